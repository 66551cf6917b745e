/**
 * The selected queue beside the tree: every resource it guarantees, caps, holds and waits for (not only
 * CPU and memory), its application limit, status, properties, parent and children, and the way to its
 * applications.
 */
import type { Queue } from '../api/model.js';
import { OverGuaranteeMarker, QueueStatusBadge } from '../components/common.js';
import { formatCount, formatQuantity, orderedNames, resourceLabel } from '../format.js';
import { Link } from '../router.js';
import { href } from '../routes.js';
import type { TreeIndex } from './queue-tree.js';
import { overGuarantee } from './queue-tree.js';

const ROWS = [
  ['guaranteed', 'Guaranteed'],
  ['max', 'Max'],
  ['allocated', 'Allocated'],
  ['pending', 'Pending'],
  ['headroom', 'Headroom'],
] as const;

export function QueueDetail({ queue: q, index, partition }: { readonly queue: Queue; readonly index: TreeIndex; readonly partition: string }) {
  const values = { guaranteed: q.guaranteed ?? {}, max: q.max ?? {}, allocated: q.allocated, pending: q.pending, headroom: q.headroom ?? {} };
  const names = orderedNames(Object.assign({}, ...Object.values(values)) as Record<string, number>);
  const over = overGuarantee(q);
  const parentPath = q.path.includes('.') ? q.path.slice(0, q.path.lastIndexOf('.')) : undefined;
  const props = Object.entries(q.properties);
  return (
    <aside className="detail" aria-labelledby="queue-detail-title">
      <h2 id="queue-detail-title">{q.path}</h2>
      <p className="detail-tags">
        <QueueStatusBadge status={q.status} /> <span className="badge tone-done">{q.isManaged ? 'managed' : 'dynamic'}</span>{' '}
        <span className="badge tone-done">{q.isLeaf ? 'leaf' : 'parent'}</span> {over.length > 0 ? <OverGuaranteeMarker resources={over.map(resourceLabel)} /> : null}
      </p>
      {over.length > 0 ? (
        <p className="callout callout-over">
          Allocated above its guarantee for {over.map(resourceLabel).join(' and ')}: this queue is borrowing capacity other queues are guaranteed, and may give it back when they need it.
        </p>
      ) : null}
      {names.length === 0 ? (
        <p className="muted">No resources guaranteed, capped, allocated or pending.</p>
      ) : (
        <table className="kv-table">
          <caption className="sr-only">Resources of {q.path}</caption>
          <thead>
            <tr>
              <td />
              {names.map((n) => (
                <th scope="col" key={n} className={over.includes(n) ? 'th-over' : undefined}>
                  {resourceLabel(n)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([k, label]) => (
              <tr key={k}>
                <th scope="row">{label}</th>
                {names.map((n) => {
                  const v = values[k][n];
                  const hot = k === 'allocated' && over.includes(n);
                  return (
                    <td key={n} className={hot ? 'td-over' : undefined}>
                      {v === undefined ? <span className="muted">{k === 'max' ? 'no max' : '–'}</span> : formatQuantity(n, v)}
                      {hot ? <span className="sr-only"> (over its guarantee)</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="kv">
        <dt>Running applications</dt>
        <dd>
          {formatCount(q.runningApps)} of {q.maxRunningApps === undefined ? 'no limit' : formatCount(q.maxRunningApps)}
        </dd>
        {parentPath === undefined ? null : (
          <>
            <dt>Parent</dt>
            <dd>
              <Link to={href.queues(partition, parentPath)}>{parentPath}</Link>
            </dd>
          </>
        )}
        {q.children.length === 0 ? null : (
          <>
            <dt>Children</dt>
            <dd>
              {formatCount(q.children.length)}
              {(index.overBelow.get(q.path) ?? 0) > 0 ? `, ${formatCount(index.overBelow.get(q.path) ?? 0)} below over guarantee` : ''}
            </dd>
          </>
        )}
      </dl>
      <p>
        <Link className="button" to={href.applications(partition, { queue: q.path })}>
          Applications in {q.path} →
        </Link>
      </p>
      {props.length === 0 ? null : (
        <details>
          <summary>Properties ({props.length})</summary>
          <dl className="kv">
            {props.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </aside>
  );
}

/**
 * The Dashboard: how full the cluster is, how many applications are in each state, how the nodes are
 * spread over utilisation, why pods wait (counts by reason) and which queues are over their guarantee.
 * Each figure links to the page with the details.
 */
import { useMemo } from 'react';
import { APPLICATION_GROUPS, endpoints } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { ClusterSummary, Queue, UtilisationHistogram } from '../api/model.js';
import { Live, OverGuaranteeMarker, PageHeading, StateBadge } from '../components/common.js';
import { UsageBar } from '../components/resource-bar.js';
import { formatCount, formatPercent, formatQuantity, orderedNames, resourceLabel } from '../format.js';
import { Link } from '../router.js';
import { href } from '../routes.js';
import { indexTree, overGuarantee } from './queue-tree.js';
import { NOT_CONSIDERED, REASON_LABELS, reasonLabel } from './waiting.js';

const STATES = [...APPLICATION_GROUPS.active, ...APPLICATION_GROUPS.completed, ...APPLICATION_GROUPS.rejected];
const LIST_LIMIT = 10;

export function DashboardPage({ partition }: { readonly partition: string }) {
  const summary = useLive(endpoints.summary(partition));
  const queues = useLive(endpoints.queues(partition));
  return (
    <>
      <PageHeading title="Dashboard" />
      <div className="dash">
        <Live result={summary} what="the cluster summary">
          {(s) => (
            <>
              <Capacity summary={s} partition={partition} />
              <ApplicationsByState counts={s.applications} partition={partition} />
              <WaitingByReason counts={s.waiting} partition={partition} />
              <section className="card card-wide" aria-labelledby="hist-title">
                <h2 id="hist-title">Node utilisation</h2>
                <div className="hists">
                  {s.histograms
                    .filter((h) => h.type === 'vcore' || h.type === 'memory')
                    .map((h) => (
                      <Histogram key={h.type} histogram={h} />
                    ))}
                </div>
              </section>
            </>
          )}
        </Live>
        <Live result={queues} what="the queues">
          {(root) => <OverGuaranteeQueues root={root} partition={partition} />}
        </Live>
      </div>
    </>
  );
}

function Capacity({ summary: s, partition }: { readonly summary: ClusterSummary; readonly partition: string }) {
  const names = orderedNames(s.capacity);
  return (
    <section className="card card-wide" aria-labelledby="cap-title">
      <h2 id="cap-title">Cluster capacity</h2>
      <p>
        <Link to={href.nodes(partition)}>{formatCount(s.nodes.total)} nodes</Link>, {formatCount(s.nodes.schedulable)} schedulable
        {s.nodes.unschedulable > 0 ? (
          <>
            {' '}
            (<Link to={href.nodes(partition, { schedulable: 'no' })}>{formatCount(s.nodes.unschedulable)} cordoned</Link>)
          </>
        ) : null}
        ; {formatCount(s.allocations)} pods placed by drover
      </p>
      {names.length === 0 ? (
        <p className="muted">No capacity: no schedulable node has joined.</p>
      ) : (
        <div className="capacity">
          {names.map((n) => {
            const cap = s.capacity[n] ?? 0;
            const used = s.used[n] ?? 0;
            return (
              <div key={n} className="capacity-item">
                <div className="capacity-head">
                  <strong>{resourceLabel(n)}</strong>
                  <span>
                    {formatQuantity(n, used)} <span className="muted">of {formatQuantity(n, cap)}</span> · {formatPercent(cap > 0 ? used / cap : 0)}
                  </span>
                </div>
                <UsageBar name={n} used={used} capacity={cap} />
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

function ApplicationsByState({ counts, partition }: { readonly counts: Readonly<Record<string, number>>; readonly partition: string }) {
  const rows = STATES.map((s) => [s, counts[s] ?? 0] as const).filter(([, n]) => n > 0);
  const most = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <section className="card" aria-labelledby="apps-title">
      <h2 id="apps-title">Applications by state</h2>
      {rows.length === 0 ? (
        <p className="muted">No applications.</p>
      ) : (
        <ul className="hbars">
          {rows.map(([state, n]) => (
            <li key={state}>
              <Link to={href.applications(partition, { state })} className="hbar-label">
                <StateBadge state={state} />
              </Link>
              <span className="hbar" aria-hidden="true">
                <span style={{ width: `${(n / most) * 100}%` }} />
              </span>
              <span className="num">{formatCount(n)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Histogram({ histogram: h }: { readonly histogram: UtilisationHistogram }) {
  const most = Math.max(1, ...h.buckets.map((b) => b.nodes));
  const words = `${resourceLabel(h.type)} utilisation: ${h.buckets.map((b) => `${b.name} ${b.nodes} nodes`).join(', ')}`;
  return (
    <figure className="hist">
      <figcaption>{resourceLabel(h.type)}</figcaption>
      <div className="hist-bars" role="img" aria-label={words}>
        {h.buckets.map((b, i) => (
          <div key={b.name} className="hist-col" title={`${b.name}: ${formatCount(b.nodes)} nodes`}>
            <span className="hist-n">{b.nodes > 0 ? formatCount(b.nodes) : ''}</span>
            <span className={`hist-bar${i >= 8 ? ' hist-hot' : ''}`} style={{ height: `${(b.nodes / most) * 100}%` }} />
          </div>
        ))}
      </div>
      <div className="hist-axis" aria-hidden="true">
        <span>0%</span>
        <span>50%</span>
        <span>100%</span>
      </div>
    </figure>
  );
}

function WaitingByReason({ counts, partition }: { readonly counts: Readonly<Record<string, number>>; readonly partition: string }) {
  const order = [...Object.keys(REASON_LABELS), NOT_CONSIDERED];
  const rows = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return (
    <section className="card" aria-labelledby="wait-title">
      <h2 id="wait-title">Why pods wait</h2>
      {rows.length === 0 ? (
        <p className="muted">No pod is waiting.</p>
      ) : (
        <ul className="plain-list">
          {rows.map(([code, n]) => (
            <li key={code}>
              <Link to={href.applications(partition, { reason: code })}>
                <strong>{formatCount(n)}</strong> {n === 1 ? 'pod' : 'pods'}: {reasonLabel(code)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function OverGuaranteeQueues({ root, partition }: { readonly root: Queue; readonly partition: string }) {
  const over = useMemo(() => {
    const index = indexTree(root);
    return [...index.byPath.values()].filter((q) => overGuarantee(q).length > 0);
  }, [root]);
  return (
    <section className="card" aria-labelledby="over-title">
      <h2 id="over-title">Queues over their guarantee</h2>
      {over.length === 0 ? (
        <p className="muted">Every queue is within its guarantee.</p>
      ) : (
        <ul className="plain-list">
          {over.slice(0, LIST_LIMIT).map((q) => (
            <li key={q.path}>
              <Link to={href.queues(partition, q.path)}>{q.path}</Link> <OverGuaranteeMarker resources={overGuarantee(q).map(resourceLabel)} />
            </li>
          ))}
          {over.length > LIST_LIMIT ? <li className="muted">and {formatCount(over.length - LIST_LIMIT)} more</li> : null}
        </ul>
      )}
    </section>
  );
}

/**
 * One application (`/applications/{id}`): its queue, user, resources, why its pods wait (grouped by
 * reason, in words), its pods on nodes, its waiting requests and its state history.
 */
import { endpoints } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { Application, PodKind } from '../api/model.js';
import { Live, PageHeading, StateBadge, TimeAgo, useNow } from '../components/common.js';
import { VirtualList } from '../components/virtual-list.js';
import { formatCount, formatResource, formatTime } from '../format.js';
import { Link } from '../router.js';
import { href } from '../routes.js';
import { reasonLabel, waitingFor } from './waiting.js';

const ROW_HEIGHT = 36;
const MAX_LIST_HEIGHT = 400;

export function ApplicationPage({ partition, id }: { readonly partition: string; readonly id: string }) {
  const result = useLive(endpoints.application(partition, id));
  return (
    <>
      <PageHeading title={`Application ${id}`}>
        <Link to={href.applications(partition)}>← All applications</Link>
      </PageHeading>
      <Live result={result} what={`application ${id}`}>
        {(app) => <ApplicationDetail app={app} partition={partition} />}
      </Live>
    </>
  );
}

function ApplicationDetail({ app, partition }: { readonly app: Application; readonly partition: string }) {
  const now = useNow();
  const reasons = waitingFor(app, undefined);
  return (
    <div className="detail-page">
      <dl className="kv kv-wide">
        <dt>State</dt>
        <dd>
          <StateBadge state={app.state} />
        </dd>
        <dt>Queue</dt>
        <dd>
          <Link to={href.queues(partition, app.queue)}>{app.queue}</Link>
        </dd>
        <dt>User</dt>
        <dd>
          {app.user}
          {app.groups.length > 0 ? <span className="muted"> ({app.groups.join(', ')})</span> : null}
        </dd>
        <dt>Used</dt>
        <dd>{formatResource(app.used)}</dd>
        <dt>Pending</dt>
        <dd>{formatResource(app.pending)}</dd>
        <dt>Submitted</dt>
        <dd>
          <TimeAgo ms={app.submittedAt} now={now} />
        </dd>
        {app.finishedAt === undefined ? null : (
          <>
            <dt>Finished</dt>
            <dd>
              <TimeAgo ms={app.finishedAt} now={now} />
            </dd>
          </>
        )}
      </dl>

      {reasons.length === 0 ? null : (
        <section aria-labelledby="why-waiting" className="callout callout-wait">
          <h2 id="why-waiting">Why it waits</h2>
          <ul>
            {reasons.map((g) => (
              <li key={g.code}>
                <strong>{reasonLabel(g.code)}</strong> ({formatCount(g.asks)} {g.asks === 1 ? 'pod' : 'pods'}): {g.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      {app.taskGroups.length === 0 ? null : (
        <section aria-labelledby="gang">
          <h2 id="gang">Gang</h2>
          <table className="table-plain">
            <thead>
              <tr>
                <th scope="col">Task group</th>
                <th scope="col">Members</th>
                <th scope="col">Each</th>
                <th scope="col">Taken over</th>
                <th scope="col">Timed out</th>
              </tr>
            </thead>
            <tbody>
              {app.taskGroups.map((g) => (
                <tr key={g.name}>
                  <td>{g.name}</td>
                  <td>{formatCount(g.members)}</td>
                  <td>{formatResource(g.minResource)}</td>
                  <td>{formatCount(g.replaced)}</td>
                  <td>{formatCount(g.timedOut)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="allocs">
        <h2 id="allocs">Running pods ({formatCount(app.allocations.length)})</h2>
        {app.allocations.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <VirtualList
            items={app.allocations}
            rowHeight={ROW_HEIGHT}
            rowKey={(a) => a.key}
            label="Running pods"
            className="grid-allocs"
            maxHeight={MAX_LIST_HEIGHT}
            header={
              <div className="row row-head" role="row" aria-rowindex={1}>
                <span role="columnheader">Pod</span>
                <span role="columnheader">Role</span>
                <span role="columnheader">Node</span>
                <span role="columnheader">Resources</span>
                <span role="columnheader">Placed</span>
              </div>
            }
            renderRow={(a, i) => (
              <div className="row" role="row" aria-rowindex={i + 2}>
                <span role="cell" className="ellipsis" title={a.key}>
                  {a.key}
                </span>
                <span role="cell" className="ellipsis">
                  <Kind pod={a} notes={[a.placeholderUsed ? 'took over a placeholder' : null, a.preempted ? 'being preempted' : null]} />
                </span>
                <span role="cell" className="ellipsis">
                  {a.nodeId === undefined ? '–' : <Link to={href.nodes(partition, { filter: a.nodeId })}>{a.nodeId}</Link>}
                </span>
                <span role="cell" className="ellipsis">
                  {formatResource(a.resource)}
                </span>
                <span role="cell">
                  <TimeAgo ms={a.allocatedAt} now={now} />
                </span>
              </div>
            )}
          />
        )}
      </section>

      {app.requests.length === 0 ? null : (
        <section aria-labelledby="asks">
          <h2 id="asks">Waiting pods ({formatCount(app.requests.length)})</h2>
          <VirtualList
            items={app.requests}
            rowHeight={ROW_HEIGHT}
            rowKey={(r) => r.key}
            label="Waiting pods"
            className="grid-asks"
            maxHeight={MAX_LIST_HEIGHT}
            header={
              <div className="row row-head" role="row" aria-rowindex={1}>
                <span role="columnheader">Pod</span>
                <span role="columnheader">Role</span>
                <span role="columnheader">Resources</span>
                <span role="columnheader">Waiting since</span>
                <span role="columnheader">Why</span>
              </div>
            }
            renderRow={(r, i) => (
              <div className="row" role="row" aria-rowindex={i + 2}>
                <span role="cell" className="ellipsis" title={r.key}>
                  {r.key}
                </span>
                <span role="cell" className="ellipsis">
                  <Kind pod={r} notes={[r.preempting ? 'preempting others' : null]} />
                </span>
                <span role="cell" className="ellipsis">
                  {formatResource(r.resource)}
                </span>
                <span role="cell">
                  <TimeAgo ms={r.requestedAt} now={now} />
                </span>
                <span role="cell" className="ellipsis" title={r.reason?.message}>
                  {r.reason === undefined ? <span className="muted">not tried yet</span> : `${reasonLabel(r.reason.code)}: ${r.reason.message}`}
                </span>
              </div>
            )}
          />
        </section>
      )}

      {app.stateLog.length === 0 ? null : (
        <section aria-labelledby="history">
          <h2 id="history">History</h2>
          <ol className="timeline">
            {app.stateLog.map((e, i) => (
              <li key={i}>
                <StateBadge state={e.state} /> {e.at === undefined ? '' : formatTime(e.at)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

/** A pod's role and what else it is to its application, in a few words: "executor · spark-executor · placeholder". */
function Kind({ pod, notes }: { readonly pod: PodKind; readonly notes: readonly (string | null)[] }) {
  const words = [pod.placeholder ? 'placeholder' : (pod.role ?? (pod.originator ? 'originator' : null)), pod.taskGroup === undefined ? null : `group ${pod.taskGroup}`, ...notes].filter((w): w is string => w !== null);
  return words.length === 0 ? <span className="muted">–</span> : <span title={words.join(' · ')}>{words.join(' · ')}</span>;
}

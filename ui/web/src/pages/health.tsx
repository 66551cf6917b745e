/**
 * The Health page: the scheduler's own consistency checks (`/ws/v1/scheduler/healthcheck`), failed ones
 * first, each with what it checks and, when it failed, what was found.
 */
import { endpoints } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { Health } from '../api/model.js';
import { Live, PageHeading } from '../components/common.js';

export function HealthPage() {
  const result = useLive(endpoints.health());
  return (
    <>
      <PageHeading title="Health" />
      <Live result={result} what="the health checks">
        {(h) => <HealthReport health={h} />}
      </Live>
    </>
  );
}

function HealthReport({ health }: { readonly health: Health }) {
  const checks = [...health.checks].sort((a, b) => Number(a.succeeded) - Number(b.succeeded) || a.name.localeCompare(b.name));
  const failed = checks.filter((c) => !c.succeeded).length;
  return (
    <>
      <p className={`banner ${health.healthy ? 'banner-ok' : 'banner-bad'}`} role="status">
        <span aria-hidden="true">{health.healthy ? '✔' : '✖'}</span> {health.healthy ? 'The scheduler is healthy' : `The scheduler is unhealthy: ${failed} of ${checks.length} checks failed`}
      </p>
      {checks.length === 0 ? (
        <p className="muted">No checks reported.</p>
      ) : (
        <table className="table">
          <caption className="sr-only">Health checks</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result</th>
              <th scope="col">What it checks</th>
              <th scope="col">Found</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr key={c.name} className={c.succeeded ? undefined : 'tr-bad'}>
                <th scope="row">{c.name}</th>
                <td>{c.succeeded ? <span className="badge tone-ok">passed</span> : <span className="badge tone-bad">failed</span>}</td>
                <td>{c.description}</td>
                <td>{c.diagnosis === '' ? <span className="muted">–</span> : c.diagnosis}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

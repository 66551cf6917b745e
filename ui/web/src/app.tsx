/**
 * The shell: the header with the navigation, the partition picker and the live indicator, and the page
 * the URL names. Pages get the partition and the query string; they fetch their own data.
 */
import { endpoints } from './api/client.js';
import { useLive, useStreamStatus } from './api/live.js';
import { PageHeading, assertNever } from './components/common.js';
import { Link, navigate, useLocation } from './router.js';
import type { Page } from './routes.js';
import { href, parseRoute, readPartition } from './routes.js';
import { ApplicationPage } from './pages/application-detail.js';
import { ApplicationsPage } from './pages/applications.js';
import { DashboardPage } from './pages/dashboard.js';
import { HealthPage } from './pages/health.js';
import { NodesPage } from './pages/nodes.js';
import { QueuesPage } from './pages/queues.js';

const NAV: readonly { readonly label: string; readonly pages: readonly Page[]; readonly to: (p: string) => string }[] = [
  { label: 'Dashboard', pages: ['dashboard'], to: href.dashboard },
  { label: 'Queues', pages: ['queues'], to: (p) => href.queues(p) },
  { label: 'Applications', pages: ['applications', 'application'], to: (p) => href.applications(p) },
  { label: 'Nodes', pages: ['nodes'], to: (p) => href.nodes(p) },
  { label: 'Health', pages: ['health'], to: href.health },
];

export function App() {
  const location = useLocation();
  const route = parseRoute(location.pathname);
  const partition = readPartition(location.search);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to={href.dashboard(partition)} className="brand" aria-label="drover, dashboard">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          drover
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.label}>
                <Link to={n.to(partition)} aria-current={n.pages.includes(route.page) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-right">
          <PartitionPicker current={partition} />
          <StreamIndicator />
        </div>
      </header>
      <main id="main">{page(route, partition, location.search)}</main>
    </>
  );
}

function page(route: ReturnType<typeof parseRoute>, partition: string, search: URLSearchParams) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage partition={partition} />;
    case 'queues':
      return <QueuesPage partition={partition} selected={route.queue} />;
    case 'applications':
      return <ApplicationsPage partition={partition} search={search} />;
    case 'application':
      return <ApplicationPage partition={partition} id={route.id} />;
    case 'nodes':
      return <NodesPage partition={partition} search={search} />;
    case 'health':
      return <HealthPage />;
    case 'notFound':
      return (
        <>
          <PageHeading title="Not found" />
          <p>
            There is no page here. Go to the <Link to={href.dashboard(partition)}>dashboard</Link>.
          </p>
        </>
      );
    default:
      return assertNever(route);
  }
}

/** Shown only when there is more than one partition. */
function PartitionPicker({ current }: { readonly current: string }) {
  const result = useLive(endpoints.partitions());
  if (result.status !== 'ok' || result.data.length < 2) return null;
  return (
    <label className="field field-inline">
      <span>Partition</span>
      <select value={current} onChange={(e) => navigate(href.dashboard(e.target.value))}>
        {result.data.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function StreamIndicator() {
  const status = useStreamStatus();
  const words = { connecting: 'Connecting…', live: 'Live', offline: 'Offline, reconnecting' }[status];
  return (
    <span className={`live live-${status}`} role="status" title={status === 'live' ? 'Updates as the scheduler changes' : 'Not receiving updates; the data shown may be old'}>
      <span className="live-dot" aria-hidden="true" /> {words}
    </span>
  );
}

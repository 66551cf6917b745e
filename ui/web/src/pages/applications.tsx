/**
 * The Applications page: every application of the partition in a virtualised table, filtered by queue
 * (a parent queue includes the queues below it), state, user, waiting reason and id, all in the URL
 * (`/applications?queue=root.a&state=Running`). Waiting applications say why in words, from drover's
 * pending list. Filtering and sorting happen here: 10,000 rows take a few milliseconds.
 */
import { useMemo, useState } from 'react';
import { APPLICATION_GROUPS, endpoints, groupOfState } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { Application } from '../api/model.js';
import { ErrorNotice, Live, PageHeading, StateBadge, TimeAgo, useNow } from '../components/common.js';
import { VirtualList } from '../components/virtual-list.js';
import { formatCount, formatResource, shortPath } from '../format.js';
import { Link, navigate } from '../router.js';
import type { ApplicationFilters } from '../routes.js';
import { href, readApplicationFilters } from '../routes.js';
import type { WaitingIndex } from './waiting.js';
import { NOT_CONSIDERED, REASON_LABELS, indexPending, reasonLabel, waitingFor } from './waiting.js';

const ROW_HEIGHT = 52;
const MAIN = { only: ['vcore', 'memory'] } as const;

const SORTS = {
  submitted: (a: Application, b: Application) => (a.submittedAt ?? 0) - (b.submittedAt ?? 0),
  id: (a: Application, b: Application) => a.id.localeCompare(b.id),
  queue: (a: Application, b: Application) => a.queue.localeCompare(b.queue),
  state: (a: Application, b: Application) => a.state.localeCompare(b.state),
  user: (a: Application, b: Application) => a.user.localeCompare(b.user),
  used: (a: Application, b: Application) => (a.used['vcore'] ?? 0) - (b.used['vcore'] ?? 0) || (a.used['memory'] ?? 0) - (b.used['memory'] ?? 0),
  pending: (a: Application, b: Application) => (a.pending['vcore'] ?? 0) - (b.pending['vcore'] ?? 0) || (a.pending['memory'] ?? 0) - (b.pending['memory'] ?? 0),
} as const;
type SortKey = keyof typeof SORTS;
interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const COLUMNS: readonly { readonly label: string; readonly sort?: SortKey }[] = [
  { label: 'Application', sort: 'id' },
  { label: 'Queue', sort: 'queue' },
  { label: 'State', sort: 'state' },
  { label: 'User', sort: 'user' },
  { label: 'Used', sort: 'used' },
  { label: 'Pending', sort: 'pending' },
  { label: 'Submitted', sort: 'submitted' },
  { label: 'Pods' },
  { label: 'Waiting because' },
];

export function ApplicationsPage({ partition, search }: { readonly partition: string; readonly search: URLSearchParams }) {
  const filters = readApplicationFilters(search);
  const group = groupOfState(filters.state);
  const apps = useLive(endpoints.applications(partition, group));
  const pending = useLive(endpoints.pending(partition));
  const waiting = useMemo(() => (pending.status === 'ok' ? indexPending(pending.data) : undefined), [pending]);
  const title = filters.queue === undefined ? 'Applications' : `Applications in ${filters.queue}`;
  return (
    <>
      <PageHeading title={title} />
      <Filters partition={partition} filters={filters} />
      {pending.status === 'error' ? <ErrorNotice message={`Waiting reasons from the scheduler's pending list are unavailable (${pending.error}); showing those on the applications.`} /> : null}
      <Live result={apps} what="the applications">
        {(list) => <ApplicationTable apps={list} partition={partition} filters={filters} waiting={waiting} group={group} />}
      </Live>
    </>
  );
}

function Filters({ partition, filters }: { readonly partition: string; readonly filters: ApplicationFilters }) {
  const set = (change: Partial<ApplicationFilters>) => navigate(href.applications(partition, { ...filters, ...change }), { replace: true });
  return (
    <form className="toolbar" role="search" aria-label="Application filters" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        <span>Queue (and below)</span>
        <input type="search" value={filters.queue ?? ''} onChange={(e) => set({ queue: e.target.value })} placeholder="root.team-a" />
      </label>
      <label className="field">
        <span>State</span>
        <select value={filters.state ?? ''} onChange={(e) => set({ state: e.target.value })}>
          <option value="">All active</option>
          {Object.entries(APPLICATION_GROUPS).map(([g, states]) => (
            <optgroup key={g} label={g}>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field">
        <span>User</span>
        <input type="search" value={filters.user ?? ''} onChange={(e) => set({ user: e.target.value })} />
      </label>
      <label className="field">
        <span>Waiting because</span>
        <select value={filters.reason ?? ''} onChange={(e) => set({ reason: e.target.value })}>
          <option value="">Any</option>
          {[...Object.keys(REASON_LABELS), NOT_CONSIDERED].map((code) => (
            <option key={code} value={code}>
              {reasonLabel(code)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Application id</span>
        <input type="search" value={filters.search ?? ''} onChange={(e) => set({ search: e.target.value })} />
      </label>
    </form>
  );
}

function matches(app: Application, f: ApplicationFilters, waiting: WaitingIndex | undefined): boolean {
  if (f.queue !== undefined && f.queue !== '' && app.queue !== f.queue && !app.queue.startsWith(`${f.queue}.`)) return false;
  if (f.state !== undefined && f.state !== '' && app.state !== f.state) return false;
  if (f.user !== undefined && f.user !== '' && !app.user.toLowerCase().includes(f.user.toLowerCase())) return false;
  if (f.search !== undefined && f.search !== '' && !app.id.toLowerCase().includes(f.search.toLowerCase())) return false;
  if (f.reason !== undefined && f.reason !== '' && !waitingFor(app, waiting).some((g) => g.code === f.reason)) return false;
  return true;
}

interface TableProps {
  readonly apps: readonly Application[];
  readonly partition: string;
  readonly filters: ApplicationFilters;
  readonly waiting: WaitingIndex | undefined;
  readonly group: string;
}

function ApplicationTable({ apps, partition, filters, waiting, group }: TableProps) {
  const [sort, setSort] = useState<Sort>({ key: 'submitted', descending: true });
  const now = useNow();
  const rows = useMemo(() => {
    const shown = apps.filter((a) => matches(a, filters, waiting));
    const cmp = SORTS[sort.key];
    return shown.sort((a, b) => (sort.descending ? cmp(b, a) : cmp(a, b)) || a.id.localeCompare(b.id));
  }, [apps, filters, waiting, sort]);
  const header = (
    <div className="row row-head" role="row" aria-rowindex={1}>
      {COLUMNS.map((c) => {
        const active = c.sort !== undefined && sort.key === c.sort;
        const key = c.sort;
        return (
          <span role="columnheader" key={c.label} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined}>
            {key === undefined ? (
              c.label
            ) : (
              <button type="button" className="sort" onClick={() => setSort({ key, descending: active ? !sort.descending : key === 'submitted' })}>
                {c.label}
                <span aria-hidden="true">{active ? (sort.descending ? ' ↓' : ' ↑') : ''}</span>
              </button>
            )}
          </span>
        );
      })}
    </div>
  );
  return (
    <>
      <p className="count" aria-live="polite">
        {rows.length === apps.length ? `${formatCount(apps.length)} ${group} applications` : `${formatCount(rows.length)} of ${formatCount(apps.length)} ${group} applications`}
      </p>
      {rows.length === 0 ? (
        <p className="notice">No application matches.</p>
      ) : (
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          rowKey={(a) => a.id}
          label="Applications"
          className="grid-apps"
          testId="applications"
          header={header}
          renderRow={(app, i) => <ApplicationRow app={app} rowIndex={i + 2} partition={partition} waiting={waiting} now={now} />}
        />
      )}
    </>
  );
}

function ApplicationRow({ app, rowIndex, partition, waiting, now }: { readonly app: Application; readonly rowIndex: number; readonly partition: string; readonly waiting: WaitingIndex | undefined; readonly now: number }) {
  const reasons = waitingFor(app, waiting);
  const first = reasons[0];
  const more = reasons.reduce((n, g) => n + g.asks, 0) - (first?.asks ?? 0);
  const waitingAsks = reasons.reduce((n, g) => n + g.asks, 0);
  return (
    <div className={`row${first === undefined ? '' : ' row-waiting'}`} role="row" aria-rowindex={rowIndex} data-app={app.id}>
      <span role="cell" className="ellipsis">
        <Link to={href.application(partition, app.id)} title={app.id}>
          {app.id}
        </Link>
      </span>
      <span role="cell" className="ellipsis">
        <Link to={href.queues(partition, app.queue)} title={app.queue}>
          {shortPath(app.queue)}
        </Link>
      </span>
      <span role="cell">
        <StateBadge state={app.state} />
      </span>
      <span role="cell" className="ellipsis" title={app.groups.length > 0 ? `groups: ${app.groups.join(', ')}` : undefined}>
        {app.user}
      </span>
      <span role="cell" className="ellipsis" title={formatResource(app.used)}>
        {formatResource(app.used, MAIN)}
      </span>
      <span role="cell" className="ellipsis" title={formatResource(app.pending)}>
        {formatResource(app.pending, MAIN)}
      </span>
      <span role="cell">
        <TimeAgo ms={app.submittedAt} now={now} />
      </span>
      <span role="cell" className="num" title={`${app.allocations.length} running, ${waitingAsks} waiting`}>
        {formatCount(app.allocations.length)}
        {waitingAsks > 0 ? <span className="muted"> +{formatCount(waitingAsks)}</span> : null}
      </span>
      <span role="cell" className="ellipsis reason" title={first === undefined ? undefined : reasons.map((g) => `${g.asks} × ${reasonLabel(g.code)}: ${g.message}`).join('\n')}>
        {first === undefined ? null : (
          <>
            <span className="reason-code">{reasonLabel(first.code)}</span> {first.message}
            {more > 0 ? <span className="muted"> (+{formatCount(more)} more)</span> : null}
          </>
        )}
      </span>
    </div>
  );
}

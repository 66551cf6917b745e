/**
 * The Nodes page: per node its capacity, what drover allocated, what other schedulers' pods occupy,
 * utilisation and whether it takes new pods; a filter on name, host, rack and labels (`zone=a` matches
 * a label exactly) and on schedulability, kept in the URL (`/nodes?filter=gpu&schedulable=no`).
 */
import { useMemo, useState } from 'react';
import { endpoints } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { Node } from '../api/model.js';
import { Live, PageHeading } from '../components/common.js';
import { NodeBar } from '../components/resource-bar.js';
import { VirtualList } from '../components/virtual-list.js';
import { MAIN_RESOURCES, formatCount, formatPercent, formatResource, resourceLabel } from '../format.js';
import { navigate } from '../router.js';
import type { NodeFilters } from '../routes.js';
import { href, readNodeFilters } from '../routes.js';

const ROW_HEIGHT = 44;

/** The busiest of CPU and memory, in [0, 1]: what "how full is this node" means to a person. */
export function utilisation(n: Node): number {
  let u = 0;
  for (const r of MAIN_RESOURCES) {
    const cap = n.capacity[r] ?? 0;
    if (cap > 0) u = Math.max(u, ((n.allocated[r] ?? 0) + (n.occupied[r] ?? 0)) / cap);
  }
  return u;
}

/** Every whitespace-separated term must match: `key=value` a label exactly, anything else a substring of the name, host, rack or a label. */
export function nodeMatches(n: Node, filter: string): boolean {
  const terms = filter.trim().toLowerCase().split(/\s+/).filter((t) => t !== '');
  return terms.every((t) => {
    const eq = t.indexOf('=');
    if (eq > 0) {
      const key = t.slice(0, eq);
      const value = t.slice(eq + 1);
      return Object.entries(n.attributes).some(([k, v]) => k.toLowerCase() === key && v.toLowerCase() === value);
    }
    return (
      n.id.toLowerCase().includes(t) ||
      n.hostName.toLowerCase().includes(t) ||
      n.rackName.toLowerCase().includes(t) ||
      Object.entries(n.attributes).some(([k, v]) => k.toLowerCase().includes(t) || v.toLowerCase().includes(t))
    );
  });
}

export function NodesPage({ partition, search }: { readonly partition: string; readonly search: URLSearchParams }) {
  const filters = readNodeFilters(search);
  const result = useLive(endpoints.nodes(partition));
  const set = (change: Partial<NodeFilters>) => navigate(href.nodes(partition, { ...filters, ...change }), { replace: true });
  return (
    <>
      <PageHeading title="Nodes" />
      <form className="toolbar" role="search" aria-label="Node filters" onSubmit={(e) => e.preventDefault()}>
        <label className="field field-wide">
          <span>Filter (name, host, rack, label or key=value)</span>
          <input type="search" value={filters.filter ?? ''} onChange={(e) => set({ filter: e.target.value })} placeholder="gpu zone=eu-1a" />
        </label>
        <label className="field">
          <span>Schedulable</span>
          <select value={filters.schedulable ?? ''} onChange={(e) => set({ schedulable: e.target.value === 'yes' || e.target.value === 'no' ? e.target.value : undefined })}>
            <option value="">Any</option>
            <option value="yes">Yes</option>
            <option value="no">No (cordoned)</option>
          </select>
        </label>
      </form>
      <Live result={result} what="the nodes">
        {(nodes) => <NodeTable nodes={nodes} filters={filters} />}
      </Live>
    </>
  );
}

type SortKey = 'name' | 'utilisation';

function NodeTable({ nodes, filters }: { readonly nodes: readonly Node[]; readonly filters: NodeFilters }) {
  const [sort, setSort] = useState<SortKey>('name');
  const rows = useMemo(() => {
    const shown = nodes.filter((n) => (filters.filter === undefined || nodeMatches(n, filters.filter)) && (filters.schedulable === undefined || n.schedulable === (filters.schedulable === 'yes')));
    return sort === 'name' ? shown.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true })) : shown.sort((a, b) => utilisation(b) - utilisation(a) || a.id.localeCompare(b.id));
  }, [nodes, filters, sort]);
  const sortButton = (key: SortKey, label: string) => (
    <span role="columnheader" aria-sort={sort === key ? (key === 'name' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort" onClick={() => setSort(key)}>
        {label}
        <span aria-hidden="true">{sort === key ? (key === 'name' ? ' ↑' : ' ↓') : ''}</span>
      </button>
    </span>
  );
  return (
    <>
      <p className="count" aria-live="polite">
        {rows.length === nodes.length ? `${formatCount(nodes.length)} nodes` : `${formatCount(rows.length)} of ${formatCount(nodes.length)} nodes`}
      </p>
      {rows.length === 0 ? (
        <p className="notice">No node matches.</p>
      ) : (
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          rowKey={(n) => n.id}
          label="Nodes"
          className="grid-nodes"
          testId="nodes"
          header={
            <div className="row row-head" role="row" aria-rowindex={1}>
              {sortButton('name', 'Node')}
              <span role="columnheader">Schedulable</span>
              {MAIN_RESOURCES.map((r) => (
                <span role="columnheader" key={r}>
                  {resourceLabel(r)}
                </span>
              ))}
              <span role="columnheader">Pods</span>
              {sortButton('utilisation', 'Utilisation')}
              <span role="columnheader">Other schedulers</span>
            </div>
          }
          renderRow={(n, i) => <NodeRow node={n} rowIndex={i + 2} />}
        />
      )}
    </>
  );
}

function NodeRow({ node: n, rowIndex }: { readonly node: Node; readonly rowIndex: number }) {
  const u = utilisation(n);
  return (
    <div className={`row${n.schedulable ? '' : ' row-cordoned'}`} role="row" aria-rowindex={rowIndex} data-node={n.id}>
      <span role="cell" className="ellipsis" title={[n.id, n.hostName, n.rackName, ...Object.entries(n.attributes).map(([k, v]) => `${k}=${v}`)].filter((s) => s !== '').join('\n')}>
        {n.id}
        {n.hostName !== '' && n.hostName !== n.id ? <span className="muted"> {n.hostName}</span> : null}
      </span>
      <span role="cell">{n.schedulable ? <span className="badge tone-ok">yes</span> : <span className="badge tone-bad">no</span>}</span>
      {MAIN_RESOURCES.map((r) => (
        <span role="cell" key={r}>
          <NodeBar name={r} allocated={n.allocated[r] ?? 0} occupied={n.occupied[r] ?? 0} capacity={n.capacity[r] ?? 0} />
        </span>
      ))}
      <span role="cell" className="num">
        {formatCount(n.allocationCount)}
        {n.capacity['pods'] === undefined ? null : <span className="muted"> / {formatCount(n.capacity['pods'])}</span>}
      </span>
      <span role="cell" className={`num${u >= 0.9 ? ' hot' : ''}`}>
        {formatPercent(u)}
      </span>
      <span role="cell" className="ellipsis muted">
        {formatResource(n.occupied) === 'none' ? '–' : formatResource(n.occupied)}
      </span>
    </div>
  );
}

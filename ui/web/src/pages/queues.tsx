/**
 * The Queues page: the hierarchy as a tree grid (virtualised, opened three levels deep by default), per
 * queue CPU and memory bars with the guarantee marked, running/max applications, status and whether the
 * configuration manages the queue. A queue over its guarantee is tinted amber with a marker; a closed
 * parent says how many such queues it hides. `/queues/root.a` selects a queue: its ancestors open, it
 * scrolls into view and its details show beside the tree.
 */
import { useEffect, useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { endpoints } from '../api/client.js';
import { useLive } from '../api/live.js';
import type { Queue } from '../api/model.js';
import { Live, OverGuaranteeMarker, PageHeading, QueueStatusBadge } from '../components/common.js';
import { QueueBar } from '../components/resource-bar.js';
import { VirtualList } from '../components/virtual-list.js';
import { MAIN_RESOURCES, formatCount, resourceLabel } from '../format.js';
import { Link } from '../router.js';
import { href } from '../routes.js';
import { QueueDetail } from './queue-detail.js';
import type { Expansion, TreeIndex, TreeRow } from './queue-tree.js';
import { indexTree, revealed, visibleRows } from './queue-tree.js';

const ROW_HEIGHT = 44;

/** Marks the first drawing of the tree for the time-to-first-render benchmark; bench-helpers.ts waits for this name. */
export const QUEUES_RENDERED_MARK = 'drover:queues-rendered';

export function QueuesPage({ partition, selected }: { readonly partition: string; readonly selected: string | undefined }) {
  const result = useLive(endpoints.queues(partition));
  return (
    <>
      <PageHeading title="Queues" />
      <Live result={result} what="the queues">
        {(root) => <QueueTree root={root} partition={partition} selected={selected} />}
      </Live>
    </>
  );
}

function QueueTree({ root, partition, selected }: { readonly root: Queue; readonly partition: string; readonly selected: string | undefined }) {
  const index = useMemo(() => indexTree(root), [root]);
  const [expansion, setExpansion] = useState<Expansion>(() => (selected === undefined ? new Map() : revealed(new Map(), selected)));
  const [search, setSearch] = useState('');

  // A deep link or a click elsewhere selects a queue: make sure it can be seen.
  useEffect(() => {
    if (selected !== undefined) setExpansion((e) => revealed(e, selected));
  }, [selected]);

  const rows = useMemo(() => visibleRows(index, expansion, search), [index, expansion, search]);
  const selectedIndex = selected === undefined ? undefined : rows.findIndex((r) => r.queue.path === selected);

  // After the first frame holding the tree has been painted (the timeout runs after the frame's paint).
  useEffect(() => {
    if (performance.getEntriesByName(QUEUES_RENDERED_MARK).length > 0) return;
    requestAnimationFrame(() => setTimeout(() => performance.mark(QUEUES_RENDERED_MARK), 0));
  }, []);

  const toggle = (path: string, open: boolean) => setExpansion((e) => new Map(e).set(path, open));
  const setAll = (open: boolean) => {
    const next = new Map<string, boolean>();
    for (const q of index.byPath.values()) if (q.children.length > 0) next.set(q.path, open || q.depth === 0);
    setExpansion(next);
  };
  const selectedQueue = selected === undefined ? undefined : index.byPath.get(selected);

  return (
    <>
      <div className="toolbar">
        <label className="field">
          <span>Find a queue</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="root.team-a" />
        </label>
        <button type="button" onClick={() => setAll(true)}>
          Expand all
        </button>
        <button type="button" onClick={() => setAll(false)}>
          Collapse all
        </button>
        <span className="toolbar-note" aria-live="polite">
          {formatCount(index.size)} queues{index.overTotal > 0 ? `, ${formatCount(index.overTotal)} over guarantee` : ''}
          {search.trim() !== '' ? `; ${formatCount(rows.filter((r) => r.match).length)} match` : ''}
        </span>
        <Legend />
      </div>
      {selected !== undefined && selectedQueue === undefined ? <p className="notice notice-error" role="alert">There is no queue {selected} in partition {partition}.</p> : null}
      <div className={`split${selectedQueue === undefined ? '' : ' split-open'}`}>
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          rowKey={(r) => r.queue.path}
          label="Queue hierarchy"
          role="treegrid"
          className="grid-queues"
          testId="queue-tree"
          scrollToIndex={selectedIndex === -1 ? undefined : selectedIndex}
          header={<QueueHeader />}
          renderRow={(row, i) => <QueueRow row={row} index={index} rowIndex={i + 2} partition={partition} selected={row.queue.path === selected} onToggle={toggle} />}
        />
        {selectedQueue === undefined ? null : <QueueDetail queue={selectedQueue} index={index} partition={partition} />}
      </div>
    </>
  );
}

function QueueHeader() {
  return (
    <div className="row row-head" role="row" aria-rowindex={1}>
      <span role="columnheader">Queue</span>
      {MAIN_RESOURCES.map((r) => (
        <span role="columnheader" key={r}>
          {resourceLabel(r)}
        </span>
      ))}
      <span role="columnheader">Apps</span>
      <span role="columnheader">Status</span>
      <span role="columnheader">Kind</span>
    </div>
  );
}

interface QueueRowProps {
  readonly row: TreeRow;
  readonly index: TreeIndex;
  readonly rowIndex: number;
  readonly partition: string;
  readonly selected: boolean;
  readonly onToggle: (path: string, open: boolean) => void;
}

function QueueRow({ row, index, rowIndex, partition, selected, onToggle }: QueueRowProps) {
  const q = row.queue;
  const scale = index.scale.get(q.path) ?? {};
  const over = row.over.length > 0;
  const keys = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!row.hasChildren) return;
    if (e.key === 'ArrowRight' && !row.expanded) onToggle(q.path, true);
    else if (e.key === 'ArrowLeft' && row.expanded) onToggle(q.path, false);
  };
  return (
    <div
      className={`row${over ? ' row-over' : ''}${selected ? ' row-selected' : ''}${row.match ? '' : ' row-context'}`}
      role="row"
      aria-rowindex={rowIndex}
      aria-level={q.depth + 1}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      data-queue={q.path}
      data-over-guarantee={over ? 'true' : undefined}
      onKeyDown={keys}
    >
      <span role="gridcell" className="cell-name" style={{ paddingLeft: `${q.depth * 1.25 + 0.25}rem` }}>
        {row.hasChildren ? (
          <button type="button" className="toggle" aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${q.path}`} aria-expanded={row.expanded} onClick={() => onToggle(q.path, !row.expanded)}>
            <span aria-hidden="true">{row.expanded ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="toggle-space" />
        )}
        <Link to={href.queues(partition, q.path)} className="queue-link" title={q.path} aria-current={selected ? 'true' : undefined}>
          {q.depth === 0 ? q.path : q.name}
        </Link>
        {over ? <OverGuaranteeMarker resources={row.over.map(resourceLabel)} /> : null}
        {row.hiddenOver > 0 ? (
          <span className="marker-hidden" title={`${row.hiddenOver} queue(s) below are over their guarantee`}>
            <span aria-hidden="true">▲</span> {row.hiddenOver} below
          </span>
        ) : null}
      </span>
      {MAIN_RESOURCES.map((r) => (
        <span role="gridcell" key={r}>
          <QueueBar name={r} allocated={q.allocated[r] ?? 0} pending={q.pending[r] ?? 0} guaranteed={q.guaranteed?.[r]} max={q.max?.[r]} scale={scale[r] ?? 0} />
        </span>
      ))}
      <span role="gridcell" className="num">
        <Link to={href.applications(partition, { queue: q.path })} title={`Applications in ${q.path}`}>
          {formatCount(q.runningApps)}
          <span className="muted"> / {q.maxRunningApps === undefined ? '∞' : formatCount(q.maxRunningApps)}</span>
        </Link>
      </span>
      <span role="gridcell">
        <QueueStatusBadge status={q.status} />
      </span>
      <span role="gridcell" className="muted">
        {q.isManaged ? 'managed' : 'dynamic'}
      </span>
    </div>
  );
}

function Legend() {
  return (
    <span className="legend" aria-label="Legend">
      <span>
        <i className="sw sw-alloc" /> allocated
      </span>
      <span>
        <i className="sw sw-over" /> above guarantee
      </span>
      <span>
        <i className="sw sw-pending" /> pending
      </span>
      <span>
        <i className="sw sw-tick" /> guarantee
      </span>
    </span>
  );
}

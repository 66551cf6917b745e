/**
 * The queue tree as rows to draw: which queues are visible (expanded or matching a search), what each
 * bar's full width stands for, and which queues are over their guarantee. Pure, so it is cheap to
 * recompute for 1,000 queues on every change and easy to test.
 *
 * Expansion: a queue is expanded when the user said so, else when its depth is below DEFAULT_OPEN_DEPTH
 * (root and its children open: three levels show). While searching, every ancestor of a match is open.
 * Over guarantee: allocated[r] > guaranteed[r] for some resource r the queue guarantees.
 */
import type { Resource } from '../format.js';
import type { Queue } from '../api/model.js';

export const DEFAULT_OPEN_DEPTH = 2;

export interface TreeIndex {
  readonly root: Queue;
  readonly byPath: ReadonlyMap<string, Queue>;
  /** The max each queue's bars are drawn against: its own, else the nearest ancestor's, per resource. */
  readonly scale: ReadonlyMap<string, Resource>;
  /** Queues over their guarantee below each parent (not counting the parent itself). */
  readonly overBelow: ReadonlyMap<string, number>;
  readonly size: number;
  /** Queues over their guarantee in the whole tree. */
  readonly overTotal: number;
}

export function overGuarantee(q: Queue): string[] {
  if (q.guaranteed === undefined) return [];
  const over: string[] = [];
  for (const [name, g] of Object.entries(q.guaranteed)) if ((q.allocated[name] ?? 0) > g) over.push(name);
  return over;
}

export function indexTree(root: Queue): TreeIndex {
  const byPath = new Map<string, Queue>();
  const scale = new Map<string, Resource>();
  const overBelow = new Map<string, number>();
  const walk = (q: Queue, inherited: Resource): number => {
    byPath.set(q.path, q);
    const own = { ...inherited, ...(q.max ?? {}) };
    scale.set(q.path, own);
    let below = 0;
    for (const c of q.children) below += walk(c, own);
    overBelow.set(q.path, below);
    return below + (overGuarantee(q).length > 0 ? 1 : 0);
  };
  const overTotal = walk(root, {});
  return { root, byPath, scale, overBelow, size: byPath.size, overTotal };
}

export interface TreeRow {
  readonly queue: Queue;
  readonly expanded: boolean;
  readonly hasChildren: boolean;
  /** Resources over guarantee, empty when within. */
  readonly over: readonly string[];
  /** Over-guarantee queues hidden below a collapsed row. */
  readonly hiddenOver: number;
  /** The row matches the search (false for ancestors shown only for context). */
  readonly match: boolean;
}

/** The user's explicit open/closed choices; anything absent follows the default depth. */
export type Expansion = ReadonlyMap<string, boolean>;

export function isExpanded(q: Queue, expansion: Expansion): boolean {
  return expansion.get(q.path) ?? q.depth < DEFAULT_OPEN_DEPTH;
}

/** The rows in tree order. With a search, only matches and their ancestors, all open. */
export function visibleRows(index: TreeIndex, expansion: Expansion, search: string): TreeRow[] {
  const needle = search.trim().toLowerCase();
  const rows: TreeRow[] = [];
  if (needle === '') {
    const walk = (q: Queue) => {
      const expanded = q.children.length > 0 && isExpanded(q, expansion);
      rows.push({ queue: q, expanded, hasChildren: q.children.length > 0, over: overGuarantee(q), hiddenOver: expanded ? 0 : (index.overBelow.get(q.path) ?? 0), match: true });
      if (expanded) for (const c of q.children) walk(c);
    };
    walk(index.root);
    return rows;
  }
  // Which queues lead to a match: a post-order pass, then a pre-order pass drawing those.
  const keep = new Set<string>();
  const matches = (q: Queue) => q.path.toLowerCase().includes(needle);
  const mark = (q: Queue): boolean => {
    let any = matches(q);
    for (const c of q.children) any = mark(c) || any;
    if (any) keep.add(q.path);
    return any;
  };
  mark(index.root);
  const walk = (q: Queue) => {
    if (!keep.has(q.path)) return;
    const shownChildren = q.children.filter((c) => keep.has(c.path));
    rows.push({ queue: q, expanded: shownChildren.length > 0, hasChildren: q.children.length > 0, over: overGuarantee(q), hiddenOver: 0, match: matches(q) });
    for (const c of shownChildren) walk(c);
  };
  walk(index.root);
  return rows;
}

/** Open every ancestor of `path` so that it is visible. */
export function revealed(expansion: Expansion, path: string): Map<string, boolean> {
  const next = new Map(expansion);
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) next.set(parts.slice(0, i).join('.'), true);
  return next;
}

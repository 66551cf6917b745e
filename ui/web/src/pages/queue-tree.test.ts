import { describe, expect, it } from 'vitest';
import type { Queue } from '../api/model.js';
import { indexTree, overGuarantee, revealed, visibleRows } from './queue-tree.js';

/** A queue builder: `queue('root.a').max({ vcore: 4000 }).allocated({ vcore: 1000 }).children(...)`. */
function queue(path: string) {
  const depth = path.split('.').length - 1;
  const q: { -readonly [K in keyof Queue]: Queue[K] } = {
    path,
    name: path.slice(path.lastIndexOf('.') + 1),
    depth,
    status: 'Active',
    isLeaf: true,
    isManaged: true,
    guaranteed: undefined,
    max: undefined,
    allocated: {},
    pending: {},
    headroom: undefined,
    runningApps: 0,
    maxRunningApps: undefined,
    properties: {},
    children: [],
  };
  const b = {
    max: (r: Record<string, number>) => ((q.max = r), b),
    guaranteed: (r: Record<string, number>) => ((q.guaranteed = r), b),
    allocated: (r: Record<string, number>) => ((q.allocated = r), b),
    children: (...c: Queue[]) => ((q.children = c), (q.isLeaf = c.length === 0), b),
    build: (): Queue => q,
  };
  return b;
}

// root (max 10 cores) > a (guaranteed 1, allocated 2: over) > a.x, a.y (guaranteed 1, allocated 1: not over); b (max 4)
const tree = queue('root')
  .max({ vcore: 10_000 })
  .children(
    queue('root.a')
      .guaranteed({ vcore: 1000 })
      .allocated({ vcore: 2000 })
      .children(queue('root.a.x').build(), queue('root.a.y').guaranteed({ vcore: 1000 }).allocated({ vcore: 1000 }).children(queue('root.a.y.z').guaranteed({ memory: 1 }).allocated({ memory: 2 }).build()).build())
      .build(),
    queue('root.b').max({ vcore: 4000 }).build(),
  )
  .build();

const paths = (rows: { queue: Queue }[]) => rows.map((r) => r.queue.path);

describe('the queue tree', () => {
  it('marks a queue over its guarantee only when allocated exceeds it', () => {
    const index = indexTree(tree);
    expect(overGuarantee(index.byPath.get('root.a') as Queue)).toEqual(['vcore']);
    expect(overGuarantee(index.byPath.get('root.a.y') as Queue)).toEqual([]);
    expect(index.overTotal).toBe(2);
    expect(index.overBelow.get('root')).toBe(2);
    expect(index.overBelow.get('root.a.y')).toBe(1);
  });

  it('draws bars against the nearest max up the tree', () => {
    const index = indexTree(tree);
    expect(index.scale.get('root.a.x')).toEqual({ vcore: 10_000 });
    expect(index.scale.get('root.b')).toEqual({ vcore: 4000 });
  });

  it('opens two levels by default and counts the over-guarantee queues a closed row hides', () => {
    const rows = visibleRows(indexTree(tree), new Map(), '');
    expect(paths(rows)).toEqual(['root', 'root.a', 'root.a.x', 'root.a.y', 'root.b']);
    expect(rows.find((r) => r.queue.path === 'root.a.y')?.hiddenOver).toBe(1);
    expect(rows.find((r) => r.queue.path === 'root.a')?.hiddenOver).toBe(0);
  });

  it('follows the user, and reveals a deep-linked queue', () => {
    const index = indexTree(tree);
    expect(paths(visibleRows(index, new Map([['root.a', false]]), ''))).toEqual(['root', 'root.a', 'root.b']);
    expect(paths(visibleRows(index, revealed(new Map([['root.a', false]]), 'root.a.y.z'), ''))).toContain('root.a.y.z');
  });

  it('shows matches of a search with their ancestors only', () => {
    const rows = visibleRows(indexTree(tree), new Map(), 'Z');
    expect(paths(rows)).toEqual(['root', 'root.a', 'root.a.y', 'root.a.y.z']);
    expect(rows.map((r) => r.match)).toEqual([false, false, false, true]);
  });
});

/**
 * The nodes of a partition in the order allocation tries them, kept up to date one node at a time.
 * Each node is keyed by (score, node id) in a B-tree (`ordered-set.ts`), as YuniKorn's node collection
 * does: an update rescores one node and moves it, O(log n); nothing is ever re-sorted as a whole, and
 * an update that leaves the score and schedulability alone costs no tree work at all.
 *
 * Ascending score, ties broken by node id (code-unit order), so the order is a function of the nodes'
 * state alone, whatever the order of updates. Unschedulable nodes are known (`size`, `has`, `scoreOf`)
 * but left out of the tree, so iteration never has to skip them. A policy that returns NaN (only
 * possible with a negative allocation on a zero capacity) sorts that node last rather than breaking
 * the tree's total order.
 *
 * Iteration is live and can stop early (`break`): a node updated while an iterator is open moves; the
 * iterator visits it again if it moved past the cursor, not at all if it moved behind (see
 * `ordered-set.ts`). Changing the policy while iterating is a bug and throws.
 *
 * The order reads `capacity` and `allocated` during `upsert` (and again on `setPolicy`); a caller that
 * updates them in place must call `upsert` afterwards for the node to move.
 */
import type { Resource } from '../resources/resource.js';
import type { OrderedSet } from './ordered-set.js';
import { createOrderedSet } from './ordered-set.js';
import type { NodeSortingPolicy } from './policy.js';

export interface NodeOrder<Id extends string = string> extends Iterable<Id> {
  readonly policy: NodeSortingPolicy;
  /** All nodes known, schedulable or not. */
  readonly size: number;
  /** The nodes iteration visits. */
  readonly schedulableSize: number;
  /** Adds the node or updates it, rescoring it and moving it to its place. O(log n). */
  upsert(nodeId: Id, capacity: Resource, allocated: Resource, schedulable: boolean): void;
  /** Forgets the node; false when it was not known. O(log n). */
  remove(nodeId: Id): boolean;
  has(nodeId: Id): boolean;
  /** The node's current score (schedulable or not), or undefined when the node is not known. */
  scoreOf(nodeId: Id): number | undefined;
  /** Switches policy (a configuration reload) and rescores every node. O(n log n). */
  setPolicy(policy: NodeSortingPolicy): void;
  /** The schedulable nodes, best first. */
  [Symbol.iterator](): IterableIterator<Id>;
}

export interface NodeOrderOptions {
  /** Passed to the B-tree; small values exercise splits and merges in tests. */
  readonly minDegree?: number;
}

/** Creates an empty order; `Id` is the node id type (drover's branded `NodeId`, or plain strings). */
export function createNodeOrder<Id extends string = string>(policy: NodeSortingPolicy, options: NodeOrderOptions = {}): NodeOrder<Id> {
  return new IncrementalNodeOrder<Id>(policy, options);
}

interface Key<Id extends string> {
  readonly score: number;
  readonly nodeId: Id;
}

interface Entry<Id extends string> {
  key: Key<Id>;
  capacity: Resource;
  allocated: Resource;
  schedulable: boolean;
}

function compareKeys<Id extends string>(a: Key<Id>, b: Key<Id>): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  if (a.nodeId === b.nodeId) return 0;
  return a.nodeId < b.nodeId ? -1 : 1;
}

class IncrementalNodeOrder<Id extends string> implements NodeOrder<Id> {
  private readonly nodes = new Map<Id, Entry<Id>>();
  private tree: OrderedSet<Key<Id>>;
  /** Bumped by `setPolicy`, which invalidates open iterators. */
  private epoch = 0;

  constructor(
    private current: NodeSortingPolicy,
    private readonly options: NodeOrderOptions,
  ) {
    this.tree = createOrderedSet(compareKeys, options);
  }

  get policy(): NodeSortingPolicy {
    return this.current;
  }

  get size(): number {
    return this.nodes.size;
  }

  get schedulableSize(): number {
    return this.tree.size;
  }

  upsert(nodeId: Id, capacity: Resource, allocated: Resource, schedulable: boolean): void {
    const score = this.score(capacity, allocated);
    const entry = this.nodes.get(nodeId);
    if (entry === undefined) {
      const key = { score, nodeId };
      this.nodes.set(nodeId, { key, capacity, allocated, schedulable });
      if (schedulable) this.tree.insert(key);
      return;
    }
    entry.capacity = capacity;
    entry.allocated = allocated;
    if (entry.key.score === score && entry.schedulable === schedulable) return;
    if (entry.schedulable) this.tree.delete(entry.key);
    entry.key = { score, nodeId };
    entry.schedulable = schedulable;
    if (schedulable) this.tree.insert(entry.key);
  }

  remove(nodeId: Id): boolean {
    const entry = this.nodes.get(nodeId);
    if (entry === undefined) return false;
    if (entry.schedulable) this.tree.delete(entry.key);
    this.nodes.delete(nodeId);
    return true;
  }

  has(nodeId: Id): boolean {
    return this.nodes.has(nodeId);
  }

  scoreOf(nodeId: Id): number | undefined {
    return this.nodes.get(nodeId)?.key.score;
  }

  setPolicy(policy: NodeSortingPolicy): void {
    this.current = policy;
    this.epoch++;
    this.tree = createOrderedSet(compareKeys, this.options);
    for (const entry of this.nodes.values()) {
      entry.key = { score: this.score(entry.capacity, entry.allocated), nodeId: entry.key.nodeId };
      if (entry.schedulable) this.tree.insert(entry.key);
    }
  }

  *[Symbol.iterator](): Generator<Id, void, undefined> {
    const epoch = this.epoch;
    for (const key of this.tree) {
      yield key.nodeId;
      if (epoch !== this.epoch) throw new Error('the node sorting policy changed while the node order was being iterated');
    }
  }

  private score(capacity: Resource, allocated: Resource): number {
    const score = this.current.score(capacity, allocated);
    return Number.isNaN(score) ? Number.POSITIVE_INFINITY : score;
  }
}

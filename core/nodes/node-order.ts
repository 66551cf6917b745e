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
 *
 * First fit: the tree also keeps, for every subtree, the componentwise maximum of its nodes' free
 * resources (`max-free.ts`), so `firstFit` skips whole subtrees that cannot hold a request. With
 * `binpacking`, whose order starts with the fullest nodes, that is the difference between walking
 * past every full node and stepping over them a few dozen at a time. An upsert that changes a node's
 * free resources but not its place refreshes the maxima on its path, O(degree x resources x log n).
 */
import type { Resource } from '../resources/resource.js';
import { covers, freeVector, maxFreeAugmentation, needOf, ResourceIndex, sameVector } from './max-free.js';
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
  /**
   * The first schedulable node in order for which `accept(id)` returns true, visiting only nodes whose
   * free resources could hold `request` (free[k] >= request[k] for every k with request[k] > 0), and
   * skipping whole subtrees whose maximum free cannot. Returns null when none is accepted.
   *
   * Free = capacity - allocated as last passed to `upsert`; a resource a node lacks is 0 free. `accept`
   * is the caller's exact check (reservations, predicates, what else it knows) and must not change
   * the order: that is a bug and throws.
   */
  firstFit(request: Resource, accept: (nodeId: Id) => boolean): Id | null;
  /** The schedulable nodes, best first. */
  [Symbol.iterator](): IterableIterator<Id>;
  /** Broken invariants (tree shape, free vectors, subtree maxima), described; empty when sound. For tests. */
  check(): string[];
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
  /** capacity - allocated, clamped at 0, by `ResourceIndex` position (see `max-free.ts`). */
  free: Float64Array;
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
  private readonly resources = new ResourceIndex();
  private readonly augmentation = maxFreeAugmentation<Key<Id>>(this.resources, (key) => key.free);
  private tree: OrderedSet<Key<Id>, Float64Array>;
  /** A free vector no key holds, to compute into before knowing whether anything changed. */
  private spareFree: Float64Array = new Float64Array(0);
  /** Bumped by `setPolicy`, which invalidates open iterators. */
  private epoch = 0;

  constructor(
    private current: NodeSortingPolicy,
    private readonly options: NodeOrderOptions,
  ) {
    this.tree = this.newTree();
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
      const key = { score, nodeId, free: freeVector(this.resources, capacity, allocated) };
      this.nodes.set(nodeId, { key, capacity, allocated, schedulable });
      if (schedulable) this.tree.insert(key);
      return;
    }
    entry.capacity = capacity;
    entry.allocated = allocated;
    if (entry.key.score === score && entry.schedulable === schedulable) {
      // Same place; only the maxima on its path may need to change.
      const free = freeVector(this.resources, capacity, allocated, this.spareFree);
      if (sameVector(entry.key.free, free)) {
        this.spareFree = free;
        return;
      }
      this.spareFree = entry.key.free;
      entry.key.free = free;
      if (schedulable) this.tree.refresh(entry.key);
      return;
    }
    if (entry.schedulable) this.tree.delete(entry.key);
    // The old key has left the tree, so its vector can be rewritten for the new one.
    entry.key = { score, nodeId, free: freeVector(this.resources, capacity, allocated, entry.key.free) };
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
    this.tree = this.newTree();
    for (const entry of this.nodes.values()) {
      entry.key = { score: this.score(entry.capacity, entry.allocated), nodeId: entry.key.nodeId, free: entry.key.free };
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

  firstFit(request: Resource, accept: (nodeId: Id) => boolean): Id | null {
    const need = needOf(this.resources, request);
    if (need === null) return null;
    const epoch = this.epoch;
    const found = this.tree.findFirst(
      (maxFree) => covers(maxFree, need),
      (key) => {
        if (!covers(key.free, need)) return false;
        const taken = accept(key.nodeId);
        if (epoch !== this.epoch) throw new Error('the node sorting policy changed during firstFit');
        return taken;
      },
    );
    return found === undefined ? null : found.nodeId;
  }

  check(): string[] {
    const problems = this.tree.check();
    let schedulable = 0;
    for (const [id, entry] of this.nodes) {
      if (!sameVector(entry.key.free, freeVector(this.resources, entry.capacity, entry.allocated))) problems.push(`node ${id} has a stale free vector`);
      if (!entry.schedulable) continue;
      schedulable++;
      if (!this.tree.has(entry.key)) problems.push(`schedulable node ${id} is not in the tree`);
    }
    if (schedulable !== this.tree.size) problems.push(`${schedulable} schedulable nodes but ${this.tree.size} in the tree`);
    return problems;
  }

  private newTree(): OrderedSet<Key<Id>, Float64Array> {
    return createOrderedSet(compareKeys, { ...this.options, augmentation: this.augmentation });
  }

  private score(capacity: Resource, allocated: Resource): number {
    const score = this.current.score(capacity, allocated);
    return Number.isNaN(score) ? Number.POSITIVE_INFINITY : score;
  }
}

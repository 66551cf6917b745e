/**
 * An ordered set on a B-tree: insert, delete and lookup in O(log n), ascending iteration that can
 * start after any key. It is what keeps the node order incremental (YuniKorn keeps its nodes in
 * google/btree for the same reason); it knows nothing about nodes.
 *
 * Invariants (CLRS, minimum degree t): every node but the root holds t-1 to 2t-1 keys, sorted; an
 * internal node with k keys has k+1 children, and the keys of child i lie between keys i-1 and i; all
 * leaves are at the same depth. Insertion splits full nodes on the way down and deletion tops up thin
 * nodes on the way down, so neither ever walks back up. `check()` verifies all of this for tests.
 *
 * Iteration is live: each step continues after the last key returned, so the set may change while an
 * iterator is open. A key inserted ahead of the cursor is visited, one behind it is not, a deleted one
 * is not. Between changes a step costs O(1) amortised; after a change the iterator finds its place again
 * in O(log n).
 *
 * Optionally augmented: each tree node then keeps a summary of its subtree (`btree-node.ts`), kept
 * current by every insert and delete and by `refresh`, so `findFirst` can skip whole subtrees that
 * cannot hold what it looks for.
 */

import type { Augmentation, BNode } from './btree-node.js';
import { at, noAugmentation, NodeOps } from './btree-node.js';

export type { Augmentation, Subtree } from './btree-node.js';

/** Negative when a sorts before b, zero when equal, positive after; must be a total order. */
export type Compare<K> = (a: K, b: K) => number;

/** `S` is the type of the subtree summaries when the set is augmented (see `btree-node.ts`). */
export interface OrderedSet<K, S = undefined> extends Iterable<K> {
  readonly size: number;
  has(key: K): boolean;
  /** Adds the key; false when an equal key is already present (the set is unchanged). */
  insert(key: K): boolean;
  /** Removes the key; false when it was not present. */
  delete(key: K): boolean;
  /**
   * Brings the summaries on the path to `key` up to date after something the augmentation reads from
   * the key changed (its place in the order must not have). False when it is not present. At most one
   * recompute per level, stopping where a summary stands.
   */
  refresh(key: K): boolean;
  first(): K | undefined;
  /** The keys strictly after `key` (which need not be present), ascending. */
  after(key: K): IterableIterator<K>;
  [Symbol.iterator](): IterableIterator<K>;
  /**
   * The first key in ascending order that `accept` takes, descending only into subtrees whose summary
   * `admits`: a pruned in-order walk. `admits` must hold for every subtree that holds a key `accept`
   * would take, or that key is missed. Neither may change the set: that is a bug and throws.
   */
  findFirst(admits: (summary: S) => boolean, accept: (key: K) => boolean): K | undefined;
  /** Broken invariants (summaries included), described; empty when the tree is sound. For tests. */
  check(): string[];
}

export interface OrderedSetOptions {
  /** The B-tree's minimum degree t (nodes hold up to 2t-1 keys); 2 or more. Small values are for tests. */
  readonly minDegree?: number;
}

/** 16 keeps nodes within a few cache lines of pointers and the tree 3 levels deep for 5,000 nodes. */
const DEFAULT_MIN_DEGREE = 16;

export function createOrderedSet<K>(compare: Compare<K>, options?: OrderedSetOptions): OrderedSet<K>;
export function createOrderedSet<K, S>(compare: Compare<K>, options: OrderedSetOptions & { readonly augmentation: Augmentation<K, S> }): OrderedSet<K, S>;
export function createOrderedSet<K, S>(compare: Compare<K>, options: OrderedSetOptions & { readonly augmentation?: Augmentation<K, S> } = {}): OrderedSet<K, S | undefined> {
  const t = options.minDegree ?? DEFAULT_MIN_DEGREE;
  if (!Number.isInteger(t) || t < 2) throw new Error(`B-tree minimum degree must be an integer of 2 or more, not ${t}`);
  return new BTree<K, S | undefined>(compare, new NodeOps(t, options.augmentation ?? noAugmentation<K>()));
}

/** A position during iteration: `children[i]` has been visited (or skipped); `keys[i]` is next. */
interface Frame<K, S> {
  readonly node: BNode<K, S>;
  i: number;
}

class BTree<K, S> implements OrderedSet<K, S> {
  private root: BNode<K, S>;
  private count = 0;
  /** Bumped on every change, so open iterators know to find their place again. */
  private version = 0;
  private readonly t: number;
  private readonly maxKeys: number;
  /**
   * The descent of the current delete or refresh and which of its nodes changed (see `btree-node.ts`),
   * reused between calls; entries past the current depth are leftovers.
   */
  private readonly path: BNode<K, S>[] = [];
  private readonly marked: boolean[] = [];

  constructor(
    private readonly compare: Compare<K>,
    private readonly ops: NodeOps<K, S>,
  ) {
    this.t = ops.t;
    this.maxKeys = 2 * this.t - 1;
    this.root = ops.node([], null);
  }

  get size(): number {
    return this.count;
  }

  has(key: K): boolean {
    let node = this.root;
    for (;;) {
      const i = this.lowerBound(node.keys, key);
      if (i < node.keys.length && this.compare(at(node.keys, i), key) === 0) return true;
      if (node.children === null) return false;
      node = at(node.children, i);
    }
  }

  first(): K | undefined {
    let node = this.root;
    while (node.children !== null) node = at(node.children, 0);
    return node.keys[0];
  }

  insert(key: K): boolean {
    if (this.has(key)) return false;
    if (this.root.keys.length === this.maxKeys) {
      const root = this.ops.node([], [this.root]);
      this.ops.splitChild(root, 0);
      this.ops.refresh(root);
      this.root = root;
    }
    let node = this.root;
    for (;;) {
      // Every node the descent passes through gains the key in its subtree.
      this.ops.add(node, key);
      let i = this.lowerBound(node.keys, key);
      if (node.children === null) {
        node.keys.splice(i, 0, key);
        break;
      }
      if (at(node.children, i).keys.length === this.maxKeys) {
        this.ops.splitChild(node, i);
        if (this.compare(key, at(node.keys, i)) > 0) i++;
      }
      node = at(node.children, i);
    }
    this.count++;
    this.version++;
    return true;
  }

  delete(key: K): boolean {
    const { path, marked } = this;
    let depth = 0;
    let node = this.root;
    let target = key;
    let gained = false;
    for (;;) {
      path[depth] = node;
      marked[depth] = gained;
      depth++;
      const reshaped = gained;
      gained = false;
      let i = this.lowerBound(node.keys, target);
      const found = i < node.keys.length && this.compare(at(node.keys, i), target) === 0;
      if (node.children === null) {
        if (!found) {
          // Not in the set. The descent may have reshaped nodes on its way (a valid tree still): bring
          // their summaries up to date and report that nothing was deleted.
          this.ops.refreshPath(path, marked, depth);
          if (this.root.keys.length === 0 && this.root.children !== null) this.root = at(this.root.children, 0);
          return false;
        }
        // Losing the key changes the leaf's summary only if the key could have made it (or the leaf
        // was just reshaped).
        marked[depth - 1] = reshaped || this.ops.dependsOn(node, target);
        node.keys.splice(i, 1);
        break;
      }
      if (found) {
        const left = at(node.children, i);
        const right = at(node.children, i + 1);
        if (left.keys.length >= this.t || right.keys.length >= this.t) {
          // Replace with the predecessor (or successor), then delete that from the child's subtree:
          // this subtree loses `target`, the ones below lose the replacement.
          marked[depth - 1] = reshaped || this.ops.dependsOn(node, target);
          target = left.keys.length >= this.t ? this.last(left) : this.firstOf(right);
          node.keys[i] = target;
          node = left.keys.length >= this.t ? left : right;
        } else {
          this.ops.merge(node, i);
          marked[depth - 1] = true;
          gained = true;
          node = left;
        }
        continue;
      }
      if (at(node.children, i).keys.length < this.t) {
        i = this.ops.topUp(node, i);
        marked[depth - 1] = true;
        gained = true;
      }
      node = at(node.children, i);
    }
    this.ops.refreshPath(path, marked, depth);
    if (this.root.keys.length === 0 && this.root.children !== null) this.root = at(this.root.children, 0);
    this.count--;
    this.version++;
    return true;
  }

  refresh(key: K): boolean {
    const { path, marked } = this;
    let depth = 0;
    let node = this.root;
    for (;;) {
      path[depth] = node;
      marked[depth] = false;
      depth++;
      const i = this.lowerBound(node.keys, key);
      if (i < node.keys.length && this.compare(at(node.keys, i), key) === 0) break;
      if (node.children === null) return false;
      node = at(node.children, i);
    }
    // The node holding the key changed; its ancestors only if their maximum (or the like) moved.
    marked[depth - 1] = true;
    this.ops.refreshPath(path, marked, depth);
    return true;
  }

  findFirst(admits: (summary: S) => boolean, accept: (key: K) => boolean): K | undefined {
    return this.search(this.root, admits, accept, this.version);
  }

  [Symbol.iterator](): IterableIterator<K> {
    return this.walk({ has: false });
  }

  after(key: K): IterableIterator<K> {
    return this.walk({ has: true, key });
  }

  check(): string[] {
    return this.ops.check(this.root, this.count, this.compare);
  }

  /** `findFirst` within the subtree of `node`. */
  private search(node: BNode<K, S>, admits: (summary: S) => boolean, accept: (key: K) => boolean, version: number): K | undefined {
    if (!admits(node.summary)) return undefined;
    const { keys, children } = node;
    for (let i = 0; i < keys.length; i++) {
      if (children !== null) {
        const found = this.search(at(children, i), admits, accept, version);
        if (found !== undefined) return found;
      }
      const key = at(keys, i);
      const taken = accept(key);
      if (version !== this.version) throw new Error('the ordered set changed during findFirst');
      if (taken) return key;
    }
    const found = children === null ? undefined : this.search(at(children, keys.length), admits, accept, version);
    // A lazy summary may promise more than the subtree holds; having searched it all in vain, tighten
    // it, so that the next search for as much skips it.
    if (found === undefined) this.ops.refresh(node);
    return found;
  }

  /** The first index whose key is >= key. */
  private lowerBound(keys: readonly K[], key: K): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(at(keys, mid), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose key is > key. */
  private upperBound(keys: readonly K[], key: K): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(at(keys, mid), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private last(node: BNode<K, S>): K {
    let n = node;
    while (n.children !== null) n = at(n.children, n.children.length - 1);
    return at(n.keys, n.keys.length - 1);
  }

  private firstOf(node: BNode<K, S>): K {
    let n = node;
    while (n.children !== null) n = at(n.children, 0);
    return at(n.keys, 0);
  }

  /** The path to the first key (after `from.key` when given): leftmost descent, or upper bounds. */
  private seek(from: { readonly has: false } | { readonly has: true; readonly key: K }): Frame<K, S>[] {
    const stack: Frame<K, S>[] = [];
    let node = this.root;
    for (;;) {
      const i = from.has ? this.upperBound(node.keys, from.key) : 0;
      stack.push({ node, i });
      if (node.children === null) return stack;
      node = at(node.children, i);
    }
  }

  private *walk(start: { readonly has: false } | { readonly has: true; readonly key: K }): Generator<K, void, undefined> {
    let from = start;
    let version = this.version;
    let stack = this.seek(from);
    for (;;) {
      if (version !== this.version) {
        stack = this.seek(from);
        version = this.version;
      }
      const top = stack[stack.length - 1];
      if (top === undefined) return;
      if (top.i >= top.node.keys.length) {
        stack.pop();
        continue;
      }
      const key = at(top.node.keys, top.i);
      top.i++;
      // Key i of an internal node is followed by the leftmost path of child i+1.
      let child = top.node.children?.[top.i];
      while (child !== undefined) {
        stack.push({ node: child, i: 0 });
        child = child.children?.[0];
      }
      from = { has: true, key };
      yield key;
    }
  }
}

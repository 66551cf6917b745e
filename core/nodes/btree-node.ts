/**
 * The nodes of the B-tree behind `ordered-set.ts`, the local reshaping that insertion and deletion do
 * (split, merge, borrow through the parent), subtree summaries (the augmentation) and the invariant
 * checker. The set owns descent and iteration; this file owns what happens to one node and its
 * neighbours.
 *
 * Summaries: each node keeps `summary`, a function of the keys in its subtree that the augmentation
 * derives from the node's own keys and its children's summaries (for the node order, the componentwise
 * maximum free resources). A summary is current when it equals that derivation. How each change keeps
 * them current, at O(degree x summary size) per level at most:
 *
 * - insertion adds the key to the summary of every node it descends through (`add`, O(summary size)),
 *   since each of their subtrees gains exactly that key; a split only rearranges its parent's subtree,
 *   so it recomputes the two halves and nothing else;
 * - deletion and `refresh` record their descent and mark the nodes whose summary may have changed for
 *   a reason of their own: a node that merged children or topped one up, the child that gained keys
 *   from it, and a node that lost a key the summary may depend on (`dependsOn`: the leaf the key left,
 *   a node whose key was swapped for its predecessor). `refreshPath` then recomputes bottom-up: a
 *   marked node always, an unmarked one only when the child below it changed. Every other node on the
 *   path lost only that same key, through the child below, so if that child's summary stands, so does
 *   its own. A sibling that lent a key is off the path; the borrow recomputes it at once (a leaf only
 *   when its summary depended on the key).
 */

/** A subtree as an augmentation sees it. */
export interface Subtree<K, S> {
  readonly keys: readonly K[];
  /** null for a leaf. */
  readonly children: readonly Subtree<K, S>[] | null;
  readonly summary: S;
}

/**
 * A summary of every subtree, kept current through every change. A summary must be a function of the
 * set of keys in the subtree alone (not of how the tree is shaped), and `recompute` must read only the
 * node's own keys and its children's summaries, never deeper.
 */
export interface Augmentation<K, S> {
  /** A summary for a new node, before its first `recompute`. */
  create(): S;
  /** Writes the summary of `node` into `into` (never `node.summary`) and returns it, or a new one when `into` will not do. */
  recompute(node: Subtree<K, S>, into: S): S;
  /** The summary with one more key in the subtree; it may rewrite `summary` in place and return it. */
  add(summary: S, key: K): S;
  /**
   * Could the summary change if `key` left the subtree? False only when certainly not (for a maximum:
   * the key is below it everywhere); true when unsure.
   */
  dependsOn(summary: S, key: K): boolean;
  equal(a: S, b: S): boolean;
  /**
   * For a summary kept as an upper bound rather than exactly (a lazy augmentation, whose `dependsOn`
   * is always false): does `summary` bound `fresh`? `check` then asks this instead of `equal`.
   */
  bounds?(summary: S, fresh: S): boolean;
}

/** No summary at all: what a plain ordered set uses. */
export function noAugmentation<K>(): Augmentation<K, undefined> {
  return { create: () => undefined, recompute: () => undefined, add: () => undefined, dependsOn: () => false, equal: () => true };
}

export interface BNode<K, S> {
  keys: K[];
  /** null for a leaf. */
  children: BNode<K, S>[] | null;
  summary: S;
}

/** Reads an index the invariants guarantee; a miss is a bug in the B-tree. */
export function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`B-tree invariant broken: no entry at ${i} of ${items.length}`);
  return item;
}

/** The reshaping operations for a tree of minimum degree `t`. */
export class NodeOps<K, S> {
  /** Recompute writes here, then swaps with the node's summary: no allocation per recompute. */
  private spare: S;

  constructor(
    readonly t: number,
    private readonly augmentation: Augmentation<K, S>,
  ) {
    this.spare = augmentation.create();
  }

  node(keys: K[], children: BNode<K, S>[] | null): BNode<K, S> {
    return { keys, children, summary: this.augmentation.create() };
  }

  /** Recomputes the node's summary; true when it changed. */
  refresh(node: BNode<K, S>): boolean {
    const fresh = this.augmentation.recompute(node, this.spare);
    if (this.augmentation.equal(fresh, node.summary)) {
      this.spare = fresh;
      return false;
    }
    this.spare = node.summary;
    node.summary = fresh;
    return true;
  }

  /** Could the node's summary change if `key` left its subtree? */
  dependsOn(node: BNode<K, S>, key: K): boolean {
    return this.augmentation.dependsOn(node.summary, key);
  }

  /** The node's subtree gains `key`. */
  add(node: BNode<K, S>, key: K): void {
    node.summary = this.augmentation.add(node.summary, key);
  }

  /**
   * Recomputes the first `depth` nodes of a descent bottom-up: `marked[i]` says node i's own keys or
   * children changed. An unmarked node is recomputed only when the node below it changed.
   */
  refreshPath(path: readonly BNode<K, S>[], marked: readonly boolean[], depth: number): void {
    let changed = false;
    for (let i = depth - 1; i >= 0; i--) {
      if (changed || marked[i] === true) changed = this.refresh(at(path, i));
    }
  }

  /** Splits the full child i of `parent` around its median, which moves up into `parent`. */
  splitChild(parent: BNode<K, S>, i: number): void {
    const children = parent.children ?? [];
    const full = at(children, i);
    const rightKeys = full.keys.splice(this.t);
    const median = full.keys.pop();
    if (median === undefined) throw new Error('B-tree invariant broken: splitting an empty node');
    const right = this.node(rightKeys, full.children === null ? null : full.children.splice(this.t));
    parent.keys.splice(i, 0, median);
    children.splice(i + 1, 0, right);
    this.refresh(full);
    this.refresh(right);
  }

  /**
   * Joins child i, key i and child i+1 of `parent` into child i (both children have t-1 keys). Only
   * deletion merges, and it continues into the merged child, so the path refresh covers it.
   */
  merge(parent: BNode<K, S>, i: number): void {
    const children = parent.children ?? [];
    const left = at(children, i);
    const right = at(children, i + 1);
    left.keys.push(at(parent.keys, i), ...right.keys);
    if (left.children !== null && right.children !== null) left.children.push(...right.children);
    parent.keys.splice(i, 1);
    children.splice(i + 1, 1);
  }

  /**
   * Gives child i of `parent` (which has t-1 keys) at least t, borrowing through the parent from a
   * sibling that can spare a key, else merging with a sibling. Returns the child's index afterwards;
   * the deletion continues into that child, so only a sibling that lent a key is refreshed here.
   */
  topUp(parent: BNode<K, S>, i: number): number {
    const children = parent.children ?? [];
    const child = at(children, i);
    const leftSibling = children[i - 1];
    const rightSibling = children[i + 1];
    if (leftSibling !== undefined && leftSibling.keys.length >= this.t) {
      const lent = at(leftSibling.keys, leftSibling.keys.length - 1);
      child.keys.unshift(at(parent.keys, i - 1));
      parent.keys[i - 1] = lent;
      leftSibling.keys.pop();
      if (child.children !== null && leftSibling.children !== null) {
        child.children.unshift(at(leftSibling.children, leftSibling.children.length - 1));
        leftSibling.children.pop();
      }
      this.refreshLender(leftSibling, lent);
      return i;
    }
    if (rightSibling !== undefined && rightSibling.keys.length >= this.t) {
      const lent = at(rightSibling.keys, 0);
      child.keys.push(at(parent.keys, i));
      parent.keys[i] = lent;
      rightSibling.keys.shift();
      if (child.children !== null && rightSibling.children !== null) {
        child.children.push(at(rightSibling.children, 0));
        rightSibling.children.shift();
      }
      this.refreshLender(rightSibling, lent);
      return i;
    }
    if (rightSibling !== undefined) {
      this.merge(parent, i);
      return i;
    }
    this.merge(parent, i - 1);
    return i - 1;
  }

  /**
   * A sibling lent `key` (and, if internal, a child) through the parent. A leaf that lent a key its
   * summary does not depend on keeps its summary; otherwise it is recomputed.
   */
  private refreshLender(sibling: BNode<K, S>, key: K): void {
    if (sibling.children !== null || this.augmentation.dependsOn(sibling.summary, key)) this.refresh(sibling);
  }

  /**
   * Broken invariants of the tree under `root`, described; empty when it is sound. Besides the B-tree
   * shape and order, every summary must equal a fresh recompute from its node's keys and its children's
   * summaries, which by induction from the leaves up means every summary is that of its whole subtree.
   */
  check(root: BNode<K, S>, count: number, compare: (a: K, b: K) => number): string[] {
    const problems: string[] = [];
    const maxKeys = 2 * this.t - 1;
    let leafDepth = -1;
    let seen = 0;
    const visit = (node: BNode<K, S>, depth: number, low: K | undefined, high: K | undefined, isRoot: boolean): void => {
      const n = node.keys.length;
      seen += n;
      if (!isRoot && n < this.t - 1) problems.push(`a node at depth ${depth} has ${n} keys, fewer than ${this.t - 1}`);
      if (n > maxKeys) problems.push(`a node at depth ${depth} has ${n} keys, more than ${maxKeys}`);
      node.keys.forEach((k, i) => {
        if (i > 0 && compare(at(node.keys, i - 1), k) >= 0) problems.push(`keys out of order at depth ${depth}`);
        if (low !== undefined && compare(k, low) <= 0) problems.push(`a key at depth ${depth} is not above its separator`);
        if (high !== undefined && compare(k, high) >= 0) problems.push(`a key at depth ${depth} is not below its separator`);
      });
      const fresh = this.augmentation.recompute(node, this.augmentation.create());
      const sound = this.augmentation.bounds !== undefined ? this.augmentation.bounds(node.summary, fresh) : this.augmentation.equal(fresh, node.summary);
      if (!sound) problems.push(`a node at depth ${depth} has a stale summary`);
      if (node.children === null) {
        if (leafDepth === -1) leafDepth = depth;
        else if (leafDepth !== depth) problems.push(`leaves at depths ${leafDepth} and ${depth}`);
        return;
      }
      if (node.children.length !== n + 1) problems.push(`a node at depth ${depth} has ${n} keys and ${node.children.length} children`);
      node.children.forEach((child, i) => visit(child, depth + 1, i > 0 ? node.keys[i - 1] : low, i < n ? node.keys[i] : high, false));
    };
    visit(root, 0, undefined, undefined, true);
    if (root.keys.length === 0 && root.children !== null) problems.push('an empty root has children');
    if (seen !== count) problems.push(`size is ${count} but the tree holds ${seen} keys`);
    return problems;
  }
}

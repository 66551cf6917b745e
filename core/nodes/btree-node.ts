/**
 * The nodes of the B-tree behind `ordered-set.ts`, the local reshaping that insertion and deletion do
 * (split, merge, borrow through the parent), subtree summaries (the augmentation) and the invariant
 * checker. The set owns descent and iteration; this file owns what happens to one node and its
 * neighbours.
 *
 * Summaries: each node keeps `summary`, derived by the augmentation from its own keys and its
 * children's summaries (for the node order, the componentwise maximum free resources of the subtree).
 * A summary is current when it equals that derivation. The reshaping operations leave every child they
 * touch current but not the parent: the parent lies on the caller's descent path, and the caller
 * recomputes the whole path bottom-up once the descent ends (`refreshPath`), so a change costs one
 * recompute per level plus one per node split, merged or borrowed from.
 */

/** A subtree as an augmentation sees it. */
export interface Subtree<K, S> {
  readonly keys: readonly K[];
  /** null for a leaf. */
  readonly children: readonly Subtree<K, S>[] | null;
  readonly summary: S;
}

/**
 * A summary of every subtree kept current through every change. `recompute` must read only the node's
 * own keys and its children's summaries (never deeper), so that a change costs O(degree) per level.
 */
export interface Augmentation<K, S> {
  /** A summary for a new node, before its first `recompute`. */
  create(): S;
  /** The summary of `node`; it may rewrite `node.summary` in place and return it. */
  recompute(node: Subtree<K, S>): S;
  /** For `check()`: do the two summaries agree? */
  equal(a: S, b: S): boolean;
}

/** No summary at all: what a plain ordered set uses. */
export const NO_AUGMENTATION: Augmentation<unknown, undefined> = {
  create: () => undefined,
  recompute: () => undefined,
  equal: () => true,
};

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
  constructor(
    readonly t: number,
    private readonly augmentation: Augmentation<K, S>,
  ) {}

  node(keys: K[], children: BNode<K, S>[] | null): BNode<K, S> {
    return { keys, children, summary: this.augmentation.create() };
  }

  refresh(node: BNode<K, S>): void {
    node.summary = this.augmentation.recompute(node);
  }

  /** Recomputes the nodes of a descent, deepest first, so each reads its children's new summaries. */
  refreshPath(path: readonly BNode<K, S>[]): void {
    for (let i = path.length - 1; i >= 0; i--) this.refresh(at(path, i));
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

  /** Joins child i, key i and child i+1 of `parent` into child i (both children have t-1 keys). */
  merge(parent: BNode<K, S>, i: number): void {
    const children = parent.children ?? [];
    const left = at(children, i);
    const right = at(children, i + 1);
    left.keys.push(at(parent.keys, i), ...right.keys);
    if (left.children !== null && right.children !== null) left.children.push(...right.children);
    parent.keys.splice(i, 1);
    children.splice(i + 1, 1);
    this.refresh(left);
  }

  /**
   * Gives child i of `parent` (which has t-1 keys) at least t, borrowing through the parent from a
   * sibling that can spare a key, else merging with a sibling. Returns the child's index afterwards.
   */
  topUp(parent: BNode<K, S>, i: number): number {
    const children = parent.children ?? [];
    const child = at(children, i);
    const leftSibling = children[i - 1];
    const rightSibling = children[i + 1];
    if (leftSibling !== undefined && leftSibling.keys.length >= this.t) {
      child.keys.unshift(at(parent.keys, i - 1));
      parent.keys[i - 1] = at(leftSibling.keys, leftSibling.keys.length - 1);
      leftSibling.keys.pop();
      if (child.children !== null && leftSibling.children !== null) {
        child.children.unshift(at(leftSibling.children, leftSibling.children.length - 1));
        leftSibling.children.pop();
      }
      this.refresh(leftSibling);
      this.refresh(child);
      return i;
    }
    if (rightSibling !== undefined && rightSibling.keys.length >= this.t) {
      child.keys.push(at(parent.keys, i));
      parent.keys[i] = at(rightSibling.keys, 0);
      rightSibling.keys.shift();
      if (child.children !== null && rightSibling.children !== null) {
        child.children.push(at(rightSibling.children, 0));
        rightSibling.children.shift();
      }
      this.refresh(rightSibling);
      this.refresh(child);
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
      const fresh = this.augmentation.recompute({ keys: node.keys, children: node.children, summary: this.augmentation.create() });
      if (!this.augmentation.equal(fresh, node.summary)) problems.push(`a node at depth ${depth} has a stale summary`);
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

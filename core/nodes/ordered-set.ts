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
 */

/** Negative when a sorts before b, zero when equal, positive after; must be a total order. */
export type Compare<K> = (a: K, b: K) => number;

export interface OrderedSet<K> extends Iterable<K> {
  readonly size: number;
  has(key: K): boolean;
  /** Adds the key; false when an equal key is already present (the set is unchanged). */
  insert(key: K): boolean;
  /** Removes the key; false when it was not present. */
  delete(key: K): boolean;
  first(): K | undefined;
  /** The keys strictly after `key` (which need not be present), ascending. */
  after(key: K): IterableIterator<K>;
  [Symbol.iterator](): IterableIterator<K>;
  /** Broken invariants, described; empty when the tree is sound. For tests. */
  check(): string[];
}

export interface OrderedSetOptions {
  /** The B-tree's minimum degree t (nodes hold up to 2t-1 keys); 2 or more. Small values are for tests. */
  readonly minDegree?: number;
}

/** 16 keeps nodes within a few cache lines of pointers and the tree 3 levels deep for 5,000 nodes. */
const DEFAULT_MIN_DEGREE = 16;

export function createOrderedSet<K>(compare: Compare<K>, options: OrderedSetOptions = {}): OrderedSet<K> {
  const t = options.minDegree ?? DEFAULT_MIN_DEGREE;
  if (!Number.isInteger(t) || t < 2) throw new Error(`B-tree minimum degree must be an integer of 2 or more, not ${t}`);
  return new BTree(compare, t);
}

interface BNode<K> {
  keys: K[];
  /** null for a leaf. */
  children: BNode<K>[] | null;
}

/** A position during iteration: `children[i]` has been visited (or skipped); `keys[i]` is next. */
interface Frame<K> {
  readonly node: BNode<K>;
  i: number;
}

/** Reads an index the invariants guarantee; a miss is a bug in this file. */
function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`B-tree invariant broken: no entry at ${i} of ${items.length}`);
  return item;
}

class BTree<K> implements OrderedSet<K> {
  private root: BNode<K> = { keys: [], children: null };
  private count = 0;
  /** Bumped on every change, so open iterators know to find their place again. */
  private version = 0;
  private readonly maxKeys: number;

  constructor(
    private readonly compare: Compare<K>,
    private readonly t: number,
  ) {
    this.maxKeys = 2 * t - 1;
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
      const root: BNode<K> = { keys: [], children: [this.root] };
      this.splitChild(root, 0);
      this.root = root;
    }
    let node = this.root;
    for (;;) {
      let i = this.lowerBound(node.keys, key);
      if (node.children === null) {
        node.keys.splice(i, 0, key);
        break;
      }
      if (at(node.children, i).keys.length === this.maxKeys) {
        this.splitChild(node, i);
        if (this.compare(key, at(node.keys, i)) > 0) i++;
      }
      node = at(node.children, i);
    }
    this.count++;
    this.version++;
    return true;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    let node = this.root;
    let target = key;
    for (;;) {
      let i = this.lowerBound(node.keys, target);
      const found = i < node.keys.length && this.compare(at(node.keys, i), target) === 0;
      if (node.children === null) {
        node.keys.splice(i, 1); // found is certain: the key is present and the descent follows it
        break;
      }
      if (found) {
        const left = at(node.children, i);
        const right = at(node.children, i + 1);
        if (left.keys.length >= this.t) {
          // Replace with the predecessor, then delete the predecessor from the left subtree.
          target = this.last(left);
          node.keys[i] = target;
          node = left;
        } else if (right.keys.length >= this.t) {
          target = this.firstOf(right);
          node.keys[i] = target;
          node = right;
        } else {
          this.merge(node, i);
          node = left;
        }
        continue;
      }
      if (at(node.children, i).keys.length < this.t) i = this.topUp(node, i);
      node = at(node.children, i);
    }
    if (this.root.keys.length === 0 && this.root.children !== null) this.root = at(this.root.children, 0);
    this.count--;
    this.version++;
    return true;
  }

  [Symbol.iterator](): IterableIterator<K> {
    return this.walk({ has: false });
  }

  after(key: K): IterableIterator<K> {
    return this.walk({ has: true, key });
  }

  check(): string[] {
    const problems: string[] = [];
    let leafDepth = -1;
    let seen = 0;
    const visit = (node: BNode<K>, depth: number, low: K | undefined, high: K | undefined, isRoot: boolean): void => {
      const n = node.keys.length;
      seen += n;
      if (!isRoot && n < this.t - 1) problems.push(`a node at depth ${depth} has ${n} keys, fewer than ${this.t - 1}`);
      if (n > this.maxKeys) problems.push(`a node at depth ${depth} has ${n} keys, more than ${this.maxKeys}`);
      node.keys.forEach((k, i) => {
        if (i > 0 && this.compare(at(node.keys, i - 1), k) >= 0) problems.push(`keys out of order at depth ${depth}`);
        if (low !== undefined && this.compare(k, low) <= 0) problems.push(`a key at depth ${depth} is not above its separator`);
        if (high !== undefined && this.compare(k, high) >= 0) problems.push(`a key at depth ${depth} is not below its separator`);
      });
      if (node.children === null) {
        if (leafDepth === -1) leafDepth = depth;
        else if (leafDepth !== depth) problems.push(`leaves at depths ${leafDepth} and ${depth}`);
        return;
      }
      if (node.children.length !== n + 1) problems.push(`a node at depth ${depth} has ${n} keys and ${node.children.length} children`);
      node.children.forEach((child, i) => visit(child, depth + 1, i > 0 ? node.keys[i - 1] : low, i < n ? node.keys[i] : high, false));
    };
    visit(this.root, 0, undefined, undefined, true);
    if (this.root.keys.length === 0 && this.root.children !== null) problems.push('an empty root has children');
    if (seen !== this.count) problems.push(`size is ${this.count} but the tree holds ${seen} keys`);
    return problems;
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

  private last(node: BNode<K>): K {
    let n = node;
    while (n.children !== null) n = at(n.children, n.children.length - 1);
    return at(n.keys, n.keys.length - 1);
  }

  private firstOf(node: BNode<K>): K {
    let n = node;
    while (n.children !== null) n = at(n.children, 0);
    return at(n.keys, 0);
  }

  /** The path to the first key (after `from.key` when given): leftmost descent, or upper bounds. */
  private seek(from: { readonly has: false } | { readonly has: true; readonly key: K }): Frame<K>[] {
    const stack: Frame<K>[] = [];
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

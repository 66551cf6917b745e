/**
 * Free resources as dense vectors, and the summary the node order's B-tree keeps of them: for every
 * subtree, the componentwise maximum of its nodes' free resources. With it, first fit skips a whole
 * subtree of full nodes in one comparison instead of trying each node (`NodeOrder.firstFit`).
 *
 *   free(node)[r]    = max(0, capacity[r] - allocated[r])      (absent = 0, in both and in the result)
 *   maxFree(tree)[r] = max over the nodes n in the subtree of free(n)[r]      (0 for an empty subtree)
 *   covers(free, request) = free[r] >= request[r] for every r with request[r] > 0
 *
 * Clamping at 0 changes no answer, since only positive requests are checked, and it makes "absent = 0"
 * exact: a resource a node lacks, one it has none of left and one it is over-allocated on all refuse
 * alike (a NaN free, impossible with integer quantities, clamps to 0 too).
 *
 * The maximum of a subtree is a necessary condition only: one node may give it its vcore and another
 * its memory. So a subtree that `covers` is searched, and each node in it is checked on its own vector.
 *
 * Resource names get dense positions in the order node capacities first name them (`ResourceIndex`),
 * one per name for the life of the order. A vector may be shorter than the index (it was computed
 * before a name appeared, or its last positions were 0): every position past its end reads as 0.
 */
import type { Resource } from '../resources/resource.js';
import type { Augmentation, Subtree } from './btree-node.js';

/** Resource names to dense vector positions, first seen first; names are never forgotten. */
export class ResourceIndex {
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.positions.size;
  }

  /** The position of `name`, assigning the next one when the name is new. */
  of(name: string): number {
    let d = this.positions.get(name);
    if (d === undefined) {
      d = this.positions.size;
      this.positions.set(name, d);
    }
    return d;
  }

  /** The position of `name`, or undefined when no node's capacity has ever named it. */
  find(name: string): number | undefined {
    return this.positions.get(name);
  }
}

/**
 * free(node) from the formula above, registering any new resource name of the capacity (a name only
 * allocated is 0 free, wherever it sits); written into `into` when it is as long as the index, else
 * into a new array. Runs on every upsert, so one pass and no allocation in the steady state.
 */
export function freeVector(index: ResourceIndex, capacity: Resource, allocated: Resource, into?: Float64Array): Float64Array {
  let free = into !== undefined && into.length === index.size ? into.fill(0) : new Float64Array(index.size);
  for (const name in capacity) {
    const d = index.of(name);
    const left = (capacity[name] ?? 0) - (allocated[name] ?? 0);
    if (!(left > 0)) continue;
    if (d >= free.length) free = grown(free, index.size);
    free[d] = left;
  }
  return free;
}

/** Equal entry by entry, positions past either end being 0. */
export function sameVector(a: Float64Array, b: Float64Array): boolean {
  if (a.length === b.length) {
    for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
    return true;
  }
  const n = Math.max(a.length, b.length);
  for (let d = 0; d < n; d++) if ((a[d] ?? 0) !== (b[d] ?? 0)) return false;
  return true;
}

/** A request as the positions and amounts of its positive entries. */
export interface Need {
  readonly positions: readonly number[];
  readonly amounts: readonly number[];
}

/** The request as a `Need`; null when it asks for a resource no node has ever had capacity for, so no node can hold it. */
export function needOf(index: ResourceIndex, request: Resource): Need | null {
  const positions: number[] = [];
  const amounts: number[] = [];
  for (const name in request) {
    const amount = request[name] ?? 0;
    if (!(amount > 0)) continue;
    const d = index.find(name);
    if (d === undefined) return null;
    positions.push(d);
    amounts.push(amount);
  }
  return { positions, amounts };
}

/** Does the vector (a node's free resources or a subtree's maximum) cover the need? */
export function covers(free: Float64Array, need: Need): boolean {
  const { positions, amounts } = need;
  for (let i = 0; i < positions.length; i++) {
    if (!((free[positions[i] ?? 0] ?? 0) >= (amounts[i] ?? 0))) return false;
  }
  return true;
}

/**
 * The augmentation: a node's summary is the maximum of its keys' free vectors and its children's
 * summaries. A recompute is O(degree x resources) and writes into the array it is given unless that
 * is too short for the index as it is now; adding a key is O(resources).
 */
export function maxFreeAugmentation<K>(index: ResourceIndex, freeOf: (key: K) => Float64Array): Augmentation<K, Float64Array> {
  return {
    create: () => new Float64Array(index.size),
    recompute: (node: Subtree<K, Float64Array>, into: Float64Array) => {
      const size = index.size;
      const max = into.length === size ? into : new Float64Array(size);
      for (let d = 0; d < size; d++) max[d] = 0;
      for (const key of node.keys) raise(max, freeOf(key));
      if (node.children !== null) for (const child of node.children) raise(max, child.summary);
      return max;
    },
    add: (summary: Float64Array, key: K) => {
      const free = freeOf(key);
      const max = summary.length >= free.length ? summary : grown(summary, free.length);
      raise(max, free);
      return max;
    },
    // Lazy: a node losing free resources, or leaving a subtree, leaves the maximum as it was. A maximum
    // that is too high is still a sound bound (first fit then looks into a subtree in vain, and
    // tightens it: see OrderedSet.search); only one that is too low could hide a fitting node, and
    // inserts raise the maximum on their way down. This keeps the common update, an allocation that
    // makes a node fuller, at one descent with no recompute.
    dependsOn: () => false,
    equal: sameVector,
    bounds: (summary: Float64Array, fresh: Float64Array) => {
      for (let d = 0; d < fresh.length; d++) if ((fresh[d] ?? 0) > (summary[d] ?? 0)) return false;
      return true;
    },
  };
}

/** max = max(max, v) entry by entry, over the positions both have. */
function raise(max: Float64Array, v: Float64Array): void {
  const n = max.length < v.length ? max.length : v.length;
  for (let d = 0; d < n; d++) {
    const x = v[d] ?? 0;
    if (x > (max[d] ?? 0)) max[d] = x;
  }
}

function grown(v: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(v);
  return out;
}

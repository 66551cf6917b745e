import { describe, expect, it } from 'vitest';
import type { Resource } from '../resources/resource.js';
import { covers, freeVector, maxFreeAugmentation, needOf, ResourceIndex, sameVector } from './max-free.js';
import { createOrderedSet } from './ordered-set.js';
import { Gi, seededRandom, shuffled } from './test-helpers.js';

/** A vector as a sparse map again, for readable expectations. */
function named(index: readonly string[], v: Float64Array): Resource {
  return Object.fromEntries(index.flatMap((name, d) => ((v[d] ?? 0) === 0 ? [] : [[name, v[d] ?? 0]])));
}

describe('free vectors', () => {
  // free[r] = max(0, capacity[r] - allocated[r]), absent = 0
  it.each([
    { name: 'idle', capacity: { vcore: 4_000, memory: 8 * Gi }, allocated: {}, free: { vcore: 4_000, memory: 8 * Gi } },
    // 4000 - 1500, 8Gi - 8Gi = 0 (left out)
    { name: 'partly used', capacity: { vcore: 4_000, memory: 8 * Gi }, allocated: { vcore: 1_500, memory: 8 * Gi }, free: { vcore: 2_500 } },
    // 4000 - 6000 = -2000, clamped to 0
    { name: 'over-allocated clamps at 0', capacity: { vcore: 4_000 }, allocated: { vcore: 6_000 }, free: {} },
    // gpu is allocated but not in the capacity: 0 - 1, clamped
    { name: 'allocated without capacity', capacity: { vcore: 4_000 }, allocated: { 'nvidia.com/gpu': 1 }, free: { vcore: 4_000 } },
    { name: 'nothing at all', capacity: {}, allocated: {}, free: {} },
  ])('$name', ({ capacity, allocated, free }) => {
    const index = new ResourceIndex();
    const v = freeVector(index, capacity, allocated);
    const names = ['vcore', 'memory', 'nvidia.com/gpu'].filter((n) => index.find(n) !== undefined);
    names.sort((a, b) => (index.find(a) ?? 0) - (index.find(b) ?? 0));
    expect(named(names, v)).toEqual(free);
  });

  it('treats positions past the end of a shorter vector as 0', () => {
    const index = new ResourceIndex();
    const old = freeVector(index, { vcore: 1 }, {});
    const gpu = freeVector(index, { vcore: 1, 'nvidia.com/gpu': 1 }, {});
    expect([old.length, gpu.length]).toEqual([1, 2]);
    expect(sameVector(old, freeVector(index, { vcore: 1, 'nvidia.com/gpu': 0 }, {}))).toBe(true);
    expect(sameVector(old, gpu)).toBe(false);
    // Written into a vector of the index's length, whatever it held.
    expect(freeVector(index, { vcore: 2 }, {}, gpu)).toBe(gpu);
    expect([...gpu]).toEqual([2, 0]);
  });
});

describe('requests', () => {
  const index = new ResourceIndex();
  const free = freeVector(index, { vcore: 4_000, memory: 8 * Gi, 'nvidia.com/gpu': 1 }, { vcore: 1_000 });

  it.each([
    // 3000 free
    { name: 'fits exactly', request: { vcore: 3_000 }, fits: true },
    { name: 'one over', request: { vcore: 3_001 }, fits: false },
    { name: 'every resource must fit', request: { vcore: 1_000, memory: 9 * Gi }, fits: false },
    { name: 'zero and negative entries ask for nothing', request: { vcore: 0, memory: -1, 'nvidia.com/gpu': 1 }, fits: true },
    { name: 'an empty request fits anywhere', request: {}, fits: true },
    { name: 'more GPUs than the node has', request: { 'nvidia.com/gpu': 2 }, fits: false },
  ])('$name', ({ request, fits }) => {
    const need = needOf(index, request);
    expect(need).not.toBeNull();
    expect(need !== null && covers(free, need)).toBe(fits);
  });

  it('knows no node can hold a resource never seen', () => {
    expect(needOf(index, { vcore: 1, 'example.com/fpga': 1 })).toBeNull();
    expect(needOf(index, { vcore: 1, 'example.com/fpga': 0 })).not.toBeNull();
  });
});

describe('the maximum-free augmentation', () => {
  interface Node {
    readonly id: number;
    readonly free: Float64Array;
  }
  const build = (minDegree: number, frees: readonly Resource[]) => {
    const index = new ResourceIndex();
    const set = createOrderedSet<Node, Float64Array>((a, b) => a.id - b.id, { minDegree, augmentation: maxFreeAugmentation(index, (n: Node) => n.free) });
    const nodes = frees.map((f, id) => ({ id, free: freeVector(index, f, {}) }));
    for (const n of shuffled(seededRandom(minDegree), nodes)) set.insert(n);
    return { index, set, nodes };
  };

  it('summarises the root as the componentwise maximum over all nodes', () => {
    const { index, set } = build(2, [{ vcore: 4_000 }, { memory: 8 * Gi }, { vcore: 1_000, 'nvidia.com/gpu': 2 }, {}]);
    let rootMax: Float64Array | undefined;
    set.findFirst(
      (max) => {
        rootMax ??= max;
        return false;
      },
      () => false,
    );
    expect(rootMax).toBeDefined();
    expect(named(['vcore', 'memory', 'nvidia.com/gpu'], rootMax ?? new Float64Array())).toEqual({ vcore: 4_000, memory: 8 * Gi, 'nvidia.com/gpu': 2 });
    expect(index.size).toBe(3);
    expect(set.check()).toEqual([]);
  });

  it.each([2, 16])('skips whole subtrees of full nodes: 5,000 nodes, 4,990 full (t = %i)', (minDegree) => {
    const roomy = new Set([17, 1_234, 2_000, 2_001, 2_500, 3_333, 4_000, 4_444, 4_998, 4_999]);
    const frees = Array.from({ length: 5_000 }, (_, id) => (roomy.has(id) ? { vcore: 4_000, memory: 8 * Gi } : { vcore: 100, memory: Gi }));
    const { index, set } = build(minDegree, frees);
    const need = needOf(index, { vcore: 1_000, memory: 2 * Gi });
    if (need === null) throw new Error('vcore and memory are known');
    let examined = 0;
    const taken: number[] = [];
    // Refuse every node, so the walk examines every node in every subtree the maxima let it into.
    const found = set.findFirst(
      (max) => covers(max, need),
      (n) => {
        examined++;
        if (covers(n.free, need)) taken.push(n.id);
        return false;
      },
    );
    expect(found).toBeUndefined();
    expect(taken).toEqual([...roomy].sort((a, b) => a - b));
    // Only the nodes on the paths to the 10 roomy ones are entered: at most 10 x depth x (2t - 1)
    // keys, with depth at most log_t(5,000) + 1 (13 for t = 2, 4 for t = 16); a plain scan is 5,000.
    const depth = Math.floor(Math.log(5_000) / Math.log(minDegree)) + 1;
    expect(examined).toBeLessThanOrEqual(10 * depth * (2 * minDegree - 1));
    expect(examined).toBeLessThan(5_000 / 4);
  });
});

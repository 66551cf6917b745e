import { describe, expect, it } from 'vitest';
import { createBinPackingPolicy } from './binpacking.js';
import { createNodeOrder } from './node-order.js';
import { Gi } from './test-helpers.js';

/** 4 cores and 8Gi, the node most rows use. */
const NODE = { vcore: 4_000, memory: 8 * Gi };

describe('binpacking: 1 - weighted average used share, most used first', () => {
  // score = 1 - sum(w * share) / sum(w), the free share
  it.each([
    { name: 'idle', capacity: NODE, allocated: {}, score: 1 },
    // 1 - (0.25 + 0.25) / 2
    { name: 'a quarter used', capacity: NODE, allocated: { vcore: 1_000, memory: 2 * Gi }, score: 0.75 },
    // 1 - (0.5 + 0.25) / 2
    { name: 'unevenly used', capacity: NODE, allocated: { vcore: 2_000, memory: 2 * Gi }, score: 0.625 },
    { name: 'full', capacity: NODE, allocated: { vcore: 4_000, memory: 8 * Gi }, score: 0 },
    // 1 - (1.5 + 0) / 2
    { name: 'over-allocated', capacity: NODE, allocated: { vcore: 6_000 }, score: 0.25 },
    // memory share NaN is skipped: 1 - 0.25 / 1
    { name: 'zero capacity, nothing allocated', capacity: { vcore: 4_000, memory: 0 }, allocated: { vcore: 1_000 }, score: 0.75 },
    // 1 - (+Infinity) = -Infinity, as in YuniKorn: the node comes first (and fits nothing)
    { name: 'zero capacity, something allocated', capacity: { vcore: 4_000, memory: 0 }, allocated: { memory: 1 }, score: Number.NEGATIVE_INFINITY },
    // nothing weighted: usage 0, so 1 - 0
    { name: 'no capacity at all', capacity: {}, allocated: {}, score: 1 },
  ])('$name: $score', ({ capacity, allocated, score }) => {
    expect(createBinPackingPolicy().score(capacity, allocated)).toBe(score);
  });

  it.each([
    // 1 - (3 * 0.5 + 1 * 0) / 4 = 1 - 0.375
    { name: 'vcore weighs three times memory', weights: { vcore: 3, memory: 1 }, allocated: { vcore: 2_000 }, score: 0.625 },
    // 1 - (1 * 0.25 + 2 * 0.75) / 3 = 1 - 1.75 / 3
    { name: 'an extended resource', weights: { vcore: 1, 'nvidia.com/gpu': 2 }, allocated: { vcore: 1_000, 'nvidia.com/gpu': 3 }, score: 1 - 1.75 / 3 },
    // memory's weight is 0: 1 - 1000/4000
    { name: 'a zero weight leaves the resource out', weights: { vcore: 1, memory: 0 }, allocated: { vcore: 1_000, memory: 8 * Gi }, score: 0.75 },
  ])('$name: $score', ({ weights, allocated, score }) => {
    expect(createBinPackingPolicy(weights).score({ ...NODE, 'nvidia.com/gpu': 4 }, allocated)).toBeCloseTo(score, 12);
  });

  it('tries the most used node first', () => {
    const order = createNodeOrder(createBinPackingPolicy());
    // scores: a 0.75, b 1, c 0.625, d 0, e 1 -> b and e tie at 1 and go by id
    order.upsert('a', NODE, { vcore: 1_000, memory: 2 * Gi }, true);
    order.upsert('b', NODE, {}, true);
    order.upsert('c', NODE, { vcore: 2_000, memory: 2 * Gi }, true);
    order.upsert('d', NODE, { vcore: 4_000, memory: 8 * Gi }, true);
    order.upsert('e', NODE, {}, true);
    expect([...order]).toEqual(['d', 'c', 'a', 'b', 'e']);
  });
});

import { describe, expect, it } from 'vitest';
import { createFairPolicy } from './fair.js';
import { createNodeOrder } from './node-order.js';
import { Gi } from './test-helpers.js';

/** 4 cores and 8Gi, the node most rows use. */
const NODE = { vcore: 4_000, memory: 8 * Gi };

describe('fair: weighted average used share, least used first', () => {
  // share(r) = 1 - (capacity - allocated) / capacity; score = sum(w * share) / sum(w)
  it.each([
    { name: 'idle', capacity: NODE, allocated: {}, score: 0 },
    // (1000/4000 + 2Gi/8Gi) / 2 = (0.25 + 0.25) / 2
    { name: 'a quarter used', capacity: NODE, allocated: { vcore: 1_000, memory: 2 * Gi }, score: 0.25 },
    // (0.5 + 0.25) / 2
    { name: 'unevenly used', capacity: NODE, allocated: { vcore: 2_000, memory: 2 * Gi }, score: 0.375 },
    { name: 'full', capacity: NODE, allocated: { vcore: 4_000, memory: 8 * Gi }, score: 1 },
    // (1 + 0) / 2
    { name: 'one resource full', capacity: NODE, allocated: { vcore: 4_000 }, score: 0.5 },
    // shares are not clamped: (6000/4000 + 0) / 2 = (1.5 + 0) / 2
    { name: 'over-allocated', capacity: NODE, allocated: { vcore: 6_000 }, score: 0.75 },
    // pods has no weight by default
    { name: 'an unweighted resource does not count', capacity: { ...NODE, pods: 110 }, allocated: { pods: 110 }, score: 0 },
    // memory is not in the capacity, so only vcore counts: 0.25 / 1
    { name: 'a weighted resource the node lacks', capacity: { vcore: 4_000 }, allocated: { vcore: 1_000, memory: 2 * Gi }, score: 0.25 },
    // memory: 1 - (0 - 0) / 0 = NaN, skipped; vcore alone: 0.25 / 1
    { name: 'zero capacity, nothing allocated', capacity: { vcore: 4_000, memory: 0 }, allocated: { vcore: 1_000 }, score: 0.25 },
    // memory: 1 - (0 - 1) / 0 = 1 - (-Infinity) = +Infinity, as in YuniKorn: the node goes last
    { name: 'zero capacity, something allocated', capacity: { vcore: 4_000, memory: 0 }, allocated: { memory: 1 }, score: Number.POSITIVE_INFINITY },
    { name: 'no capacity at all', capacity: {}, allocated: {}, score: 0 },
  ])('$name: $score', ({ capacity, allocated, score }) => {
    expect(createFairPolicy().score(capacity, allocated)).toBe(score);
  });

  it.each([
    // (3 * 2000/4000 + 1 * 0) / (3 + 1) = 1.5 / 4
    { name: 'vcore weighs three times memory', weights: { vcore: 3, memory: 1 }, allocated: { vcore: 2_000 }, score: 0.375 },
    // memory's weight is 0: vcore alone, 1000/4000
    { name: 'a zero weight leaves the resource out', weights: { vcore: 1, memory: 0 }, allocated: { vcore: 1_000, memory: 8 * Gi }, score: 0.25 },
    // (1 * 1000/4000 + 2 * 3/4) / (1 + 2) = 1.75 / 3
    { name: 'an extended resource', weights: { vcore: 1, 'nvidia.com/gpu': 2 }, allocated: { vcore: 1_000, 'nvidia.com/gpu': 3 }, score: 1.75 / 3 },
    // no weight is positive: the sum of weights is 0, so the score is 0 (the defaults are only for no weights)
    { name: 'all weights zero', weights: { vcore: 0 }, allocated: { vcore: 4_000 }, score: 0 },
    // the only weighted resource is not on the node
    { name: 'weights only for absent resources', weights: { 'nvidia.com/gpu': 1 }, allocated: { vcore: 4_000 }, score: 0 },
  ])('$name: $score', ({ weights, allocated, score }) => {
    expect(createFairPolicy(weights).score({ ...NODE, 'nvidia.com/gpu': 4 }, allocated)).toBeCloseTo(score, 12);
  });

  it('tries the least used node first', () => {
    const order = createNodeOrder(createFairPolicy());
    // scores: a 0.25, b 0, c 0.375, d 1, e 0 -> b and e tie at 0 and go by id
    order.upsert('a', NODE, { vcore: 1_000, memory: 2 * Gi }, true);
    order.upsert('b', NODE, {}, true);
    order.upsert('c', NODE, { vcore: 2_000, memory: 2 * Gi }, true);
    order.upsert('d', NODE, { vcore: 4_000, memory: 8 * Gi }, true);
    order.upsert('e', NODE, {}, true);
    expect([...order]).toEqual(['b', 'e', 'a', 'c', 'd']);
  });
});

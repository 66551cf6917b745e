// The contract every node-sorting policy keeps, run against each one in the registry: a new policy
// gets these laws for free by being registered. Policy-specific arithmetic lives in <policy>.test.ts.
import { describe, expect, it } from 'vitest';
import { NODE_SORT_POLICIES } from '../config/model.js';
import type { Resource } from '../resources/resource.js';
import { createNodeOrder } from './node-order.js';
import type { NodeSortingPolicyFactory } from './policy.js';
import { DEFAULT_RESOURCE_WEIGHTS } from './policy.js';
import { createNodeSortingPolicy, NODE_SORTING_POLICIES } from './registry.js';
import type { NodeState } from './test-helpers.js';
import { bruteForceFirstFit, bruteForceOrder, freeCovers, Gi, pick, randomNodeState, randomRequest, seededRandom, shuffled } from './test-helpers.js';

const NODE = { vcore: 4_000, memory: 8 * Gi };
const IDLE: Resource = {};
const HALF: Resource = { vcore: 2_000, memory: 4 * Gi };
const FULL: Resource = { vcore: 4_000, memory: 8 * Gi };

const POLICIES = Object.entries(NODE_SORTING_POLICIES).map(([name, factory]: [string, NodeSortingPolicyFactory]) => ({ name, factory }));

describe('the registry', () => {
  it('has exactly one policy per name the configuration accepts', () => {
    expect(Object.keys(NODE_SORTING_POLICIES).sort()).toEqual([...NODE_SORT_POLICIES].sort());
  });

  it.each(NODE_SORT_POLICIES)('builds %s by name', (type) => {
    expect(createNodeSortingPolicy(type).type).toBe(type);
  });
});

describe.each(POLICIES)('node sorting contract: $name', ({ name, factory }) => {
  const policy = factory();

  /** An order holding the given nodes, inserted in the given order. */
  const orderOf = (nodes: Iterable<[string, NodeState]>, minDegree?: number) => {
    const order = createNodeOrder(policy, minDegree === undefined ? {} : { minDegree });
    for (const [id, n] of nodes) order.upsert(id, n.capacity, n.allocated, n.schedulable);
    return order;
  };

  const randomNodes = (seed: number, count: number): Map<string, NodeState> => {
    const random = seededRandom(seed);
    return new Map(Array.from({ length: count }, (_, i) => [`node-${String(i).padStart(3, '0')}`, randomNodeState(random)]));
  };

  it('visits schedulable nodes in ascending score, ties by node id', () => {
    const nodes = randomNodes(1, 60);
    const visited = [...orderOf(nodes)];
    expect(visited).toEqual(bruteForceOrder(policy, nodes));
    const scores = visited.map((id) => {
      const n = nodes.get(id);
      return n === undefined ? Number.NaN : policy.score(n.capacity, n.allocated);
    });
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1] ?? Number.NaN);
  });

  it('breaks ties by node id, whatever the insertion order', () => {
    const same: NodeState = { capacity: NODE, allocated: HALF, schedulable: true };
    const order = orderOf([
      ['c', same],
      ['a', same],
      ['b', same],
    ]);
    expect([...order]).toEqual(['a', 'b', 'c']);
  });

  it('is the same whatever order the updates arrived in', () => {
    const nodes = [...randomNodes(2, 80)];
    const expected = [...orderOf(nodes)];
    for (const seed of [3, 4, 5]) expect([...orderOf(shuffled(seededRandom(seed), nodes))]).toEqual(expected);
  });

  it('moves a node when its allocation changes', () => {
    const order = orderOf([
      ['a', { capacity: NODE, allocated: IDLE, schedulable: true }],
      ['b', { capacity: NODE, allocated: HALF, schedulable: true }],
      ['c', { capacity: NODE, allocated: FULL, schedulable: true }],
    ]);
    const before = [...order];
    // a goes from idle to full and c from full to idle: they swap places under any policy that
    // tells idle from full.
    order.upsert('a', NODE, FULL, true);
    order.upsert('c', NODE, IDLE, true);
    const after = [...order];
    expect(after).toEqual(before.map((id) => (id === 'a' ? 'c' : id === 'c' ? 'a' : id)));
    expect(order.scoreOf('a')).toBe(policy.score(NODE, FULL));
  });

  it('tells idle from full and puts the half-used node between them', () => {
    const idle = policy.score(NODE, IDLE);
    const half = policy.score(NODE, HALF);
    const full = policy.score(NODE, FULL);
    expect(idle).not.toBe(full);
    expect((idle - half) * (half - full)).toBeGreaterThan(0);
  });

  it('leaves unschedulable nodes out of iteration but still knows them', () => {
    const order = orderOf([
      ['a', { capacity: NODE, allocated: IDLE, schedulable: true }],
      ['b', { capacity: NODE, allocated: IDLE, schedulable: false }],
    ]);
    expect([...order]).toEqual(['a']);
    expect([order.size, order.schedulableSize]).toEqual([2, 1]);
    expect(order.has('b')).toBe(true);
    expect(order.scoreOf('b')).toBe(policy.score(NODE, IDLE));
    order.upsert('b', NODE, IDLE, true);
    expect([...order]).toEqual(['a', 'b']);
    order.upsert('a', NODE, IDLE, false);
    expect([...order]).toEqual(['b']);
  });

  it('forgets removed nodes and takes them back', () => {
    const order = orderOf([
      ['a', { capacity: NODE, allocated: IDLE, schedulable: true }],
      ['b', { capacity: NODE, allocated: IDLE, schedulable: false }],
      ['c', { capacity: NODE, allocated: IDLE, schedulable: true }],
    ]);
    expect(order.remove('a')).toBe(true);
    expect(order.remove('b')).toBe(true);
    expect(order.remove('a')).toBe(false);
    expect(order.remove('unknown')).toBe(false);
    expect([...order]).toEqual(['c']);
    expect([order.size, order.schedulableSize, order.has('a'), order.scoreOf('a')]).toEqual([1, 1, false, undefined]);
    order.upsert('a', NODE, IDLE, true);
    expect([...order]).toEqual(['a', 'c']);
  });

  it('scores purely: the same node scores the same, and an idle node like one with nothing weighted', () => {
    const a = factory();
    expect(a.score({ ...NODE }, { ...HALF })).toBe(policy.score(NODE, HALF));
    expect(a.score(NODE, IDLE)).toBe(a.score({}, {}));
    expect(a.score(NODE, IDLE)).toBe(a.score({ pods: 110 }, { pods: 50 }));
  });

  it('uses vcore 1.0 and memory 1.0 when no weights are given', () => {
    for (const p of [factory(), factory({})]) {
      expect(p.resourceWeights).toEqual(DEFAULT_RESOURCE_WEIGHTS);
      expect(p.score(NODE, HALF)).toBe(factory({ vcore: 1, memory: 1 }).score(NODE, HALF));
    }
  });

  it('ignores resources without a weight', () => {
    const vcoreOnly = factory({ vcore: 1, memory: 0 });
    const withGpu = { ...NODE, 'nvidia.com/gpu': 4 };
    expect(vcoreOnly.score(withGpu, { vcore: 2_000, memory: 8 * Gi, 'nvidia.com/gpu': 4 })).toBe(vcoreOnly.score(NODE, { vcore: 2_000 }));
  });

  it('keeps its own copy of the weights', () => {
    const weights: Record<string, number> = { vcore: 1, memory: 1 };
    const p = factory(weights);
    const before = p.score(NODE, { vcore: 4_000 });
    weights.vcore = 100;
    expect(p.score(NODE, { vcore: 4_000 })).toBe(before);
    expect(p.resourceWeights).toEqual({ vcore: 1, memory: 1 });
  });

  it('rescores every node when the policy changes', () => {
    const nodes = randomNodes(6, 50);
    for (const other of POLICIES) {
      const order = orderOf(nodes);
      const next = other.factory({ vcore: 2, memory: 1, 'nvidia.com/gpu': 3 });
      order.setPolicy(next);
      expect(order.policy).toBe(next);
      expect([...order]).toEqual(bruteForceOrder(next, nodes));
    }
  });

  it.each([{ minDegree: 2 }, { minDegree: 16 }])('agrees with a brute-force sort after thousands of random updates (B-tree t = $minDegree)', ({ minDegree }) => {
    const random = seededRandom(name.length * 1_000 + minDegree);
    const ids = Array.from({ length: 200 }, (_, i) => `n${i}`);
    const model = new Map<string, NodeState>();
    const order = createNodeOrder(policy, { minDegree });
    for (let step = 0; step < 5_000; step++) {
      const id = pick(random, ids);
      const roll = random();
      if (roll < 0.1) {
        expect(order.remove(id)).toBe(model.delete(id));
      } else if (roll < 0.2 && model.has(id)) {
        // Same resources, flipped schedulability (a cordon or an uncordon).
        const n = model.get(id) ?? randomNodeState(random);
        const flipped = { ...n, schedulable: !n.schedulable };
        model.set(id, flipped);
        order.upsert(id, flipped.capacity, flipped.allocated, flipped.schedulable);
      } else {
        const n = randomNodeState(random);
        model.set(id, n);
        order.upsert(id, n.capacity, n.allocated, n.schedulable);
      }
      if (step < 200 || step % 25 === 0) {
        expect([...order]).toEqual(bruteForceOrder(policy, model));
        expect(order.size).toBe(model.size);
      }
    }
    expect([...order]).toEqual(bruteForceOrder(policy, model));
  });

  it.each([{ minDegree: 2 }, { minDegree: 16 }])('first fit agrees with a brute-force scan after thousands of random updates (B-tree t = $minDegree)', ({ minDegree }) => {
    const random = seededRandom(name.length * 7_000 + minDegree);
    const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
    const model = new Map<string, NodeState>();
    const order = createNodeOrder(policy, { minDegree });
    const steps = 6_000;
    let answered = 0;
    for (let step = 0; step < steps; step++) {
      const id = pick(random, ids);
      const roll = random();
      if (roll < 0.1) {
        expect(order.remove(id)).toBe(model.delete(id));
      } else if (roll < 0.2 && model.has(id)) {
        const n = model.get(id) ?? randomNodeState(random);
        const flipped = { ...n, schedulable: !n.schedulable };
        model.set(id, flipped);
        order.upsert(id, flipped.capacity, flipped.allocated, flipped.schedulable);
      } else if (roll < 0.35 && model.has(id)) {
        // Only pods change: unweighted, so the score and the place stay and only the free vector moves.
        const n = model.get(id) ?? randomNodeState(random);
        const changed = { ...n, allocated: { ...n.allocated, pods: pick(random, [0, 50, 105, 110, 120]) } };
        model.set(id, changed);
        order.upsert(id, changed.capacity, changed.allocated, changed.schedulable);
      } else {
        const n = randomNodeState(random);
        model.set(id, n);
        order.upsert(id, n.capacity, n.allocated, n.schedulable);
      }
      // Each query refuses a random part of the nodes, as reservations and predicates would.
      const request = randomRequest(random);
      const refusedBit = Math.floor(random() * 4);
      const accept = (nodeId: string) => (nodeId.length + nodeId.charCodeAt(nodeId.length - 1) + refusedBit) % 4 !== 0;
      const asked: string[] = [];
      const found = order.firstFit(request, (nodeId) => {
        asked.push(nodeId);
        return accept(nodeId);
      });
      const expected = bruteForceFirstFit(policy, model, request, accept);
      expect(found).toBe(expected);
      if (found !== null) answered++;
      // accept is asked about exactly the nodes whose free covers the request, in order, up to the answer.
      const candidates = bruteForceOrder(policy, model).filter((n) => freeCovers(model.get(n), request));
      expect(asked).toEqual(found === null ? candidates : candidates.slice(0, candidates.indexOf(found) + 1));
      if (step < 200 || step % 50 === 0) expect(order.check()).toEqual([]);
    }
    expect(order.check()).toEqual([]);
    // Both outcomes are common, so neither half of the comparison is vacuous.
    expect(Math.min(answered, steps - answered)).toBeGreaterThan(300);
  });

  it('first fit still agrees after a policy change', () => {
    const nodes = randomNodes(8, 120);
    const order = orderOf(nodes, 2);
    const random = seededRandom(9);
    for (const other of POLICIES) {
      const next = other.factory();
      order.setPolicy(next);
      expect(order.check()).toEqual([]);
      for (let q = 0; q < 200; q++) {
        const request = randomRequest(random);
        expect(order.firstFit(request, () => true)).toBe(bruteForceFirstFit(next, nodes, request, () => true));
      }
    }
  });
});

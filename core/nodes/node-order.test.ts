import { describe, expect, it } from 'vitest';
import type { Resource } from '../resources/resource.js';
import { createFairPolicy } from './fair.js';
import { createNodeOrder } from './node-order.js';
import type { NodeSortingPolicy } from './policy.js';
import { NODE_SORTING_POLICIES } from './registry.js';
import { createBinPackingPolicy } from './binpacking.js';
import { Gi, randomNodeState, seededRandom } from './test-helpers.js';

const NODE = { vcore: 4_000, memory: 8 * Gi };
/** `cores` of NODE's 4 cores allocated; fair scores that (cores / 4 + 0) / 2. */
const used = (cores: number): Resource => ({ vcore: cores * 1_000 });

/** a..e on NODE with 0..4 cores allocated; fair scores them 0, 0.125, 0.25, 0.375, 0.5. */
function fiveNodes() {
  const order = createNodeOrder(createFairPolicy(), { minDegree: 2 });
  ['a', 'b', 'c', 'd', 'e'].forEach((id, cores) => order.upsert(id, NODE, used(cores), true));
  return order;
}

/** Wraps a policy to count how often it scores. */
function counting(policy: NodeSortingPolicy): { policy: NodeSortingPolicy; calls: () => number } {
  let calls = 0;
  return {
    policy: {
      type: policy.type,
      resourceWeights: policy.resourceWeights,
      score: (capacity, allocated) => {
        calls++;
        return policy.score(capacity, allocated);
      },
    },
    calls: () => calls,
  };
}

describe('node order', () => {
  it('takes branded node ids', () => {
    type NodeId = string & { readonly __nodeId: true };
    const order = createNodeOrder<NodeId>(createFairPolicy());
    const id = 'node-1' as NodeId;
    order.upsert(id, NODE, {}, true);
    const first: NodeId | undefined = [...order][0];
    expect(first).toBe(id);
  });

  it('stops early', () => {
    const order = fiveNodes();
    const tried: string[] = [];
    for (const id of order) {
      tried.push(id);
      if (id === 'b') break;
    }
    expect(tried).toEqual(['a', 'b']);
  });

  describe('updates while iterating', () => {
    it.each([
      // a (0) is visited, then filled to 4.5 cores (0.5625): it moves past the cursor and comes round again, last
      { name: 'a visited node moved ahead is visited again', at: 'a', change: { id: 'a', cores: 4.5 }, visited: ['a', 'b', 'c', 'd', 'e', 'a'] },
      // at b, e is emptied (0): it moves behind the cursor and is not visited
      { name: 'a node moved behind the cursor is skipped', at: 'b', change: { id: 'e', cores: 0 }, visited: ['a', 'b', 'c', 'd'] },
      // at b, d moves from 0.375 to 0.1875 (1.5 cores): still ahead, visited once at its new place
      { name: 'a node moved within the part ahead is visited once', at: 'b', change: { id: 'd', cores: 1.5 }, visited: ['a', 'b', 'd', 'c', 'e'] },
    ])('$name', ({ at, change, visited }) => {
      const order = fiveNodes();
      const seen: string[] = [];
      for (const id of order) {
        seen.push(id);
        if (id === at) order.upsert(change.id, NODE, used(change.cores), true);
      }
      expect(seen).toEqual(visited);
    });

    it('does not visit a node removed or made unschedulable ahead of the cursor', () => {
      const order = fiveNodes();
      const seen: string[] = [];
      for (const id of order) {
        seen.push(id);
        if (id === 'a') {
          order.remove('c');
          order.upsert('d', NODE, used(3), false);
        }
      }
      expect(seen).toEqual(['a', 'b', 'e']);
    });

    it('treats a policy change during iteration as a bug', () => {
      const order = fiveNodes();
      const walk = () => {
        for (const id of order) if (id === 'a') order.setPolicy(NODE_SORTING_POLICIES.binpacking());
      };
      expect(walk).toThrow(/policy changed/);
    });
  });

  it('scores only the node that changed: no re-sort of every node per update', () => {
    const { policy, calls } = counting(createFairPolicy());
    const order = createNodeOrder(policy);
    const random = seededRandom(11);
    for (let i = 0; i < 1_000; i++) order.upsert(`n${i}`, NODE, used(i % 5), true);
    expect(calls()).toBe(1_000);
    for (let i = 0; i < 500; i++) {
      const n = randomNodeState(random);
      order.upsert(`n${i * 2}`, n.capacity, n.allocated, n.schedulable);
    }
    expect(calls()).toBe(1_500);
    for (const id of order) expect(id).toMatch(/^n/);
    order.remove('n1');
    expect(calls()).toBe(1_500);
  });

  it('sorts a node whose policy score is NaN last instead of breaking the order', () => {
    const base = createFairPolicy();
    const policy: NodeSortingPolicy = { ...base, score: (capacity, allocated) => (capacity.broken === 1 ? Number.NaN : base.score(capacity, allocated)) };
    const order = createNodeOrder(policy);
    order.upsert('a', { ...NODE, broken: 1 }, {}, true);
    order.upsert('b', NODE, used(4), true);
    order.upsert('c', NODE, used(0), true);
    expect([...order]).toEqual(['c', 'b', 'a']);
    expect(order.scoreOf('a')).toBe(Number.POSITIVE_INFINITY);
  });

  it.each(Object.keys(NODE_SORTING_POLICIES) as (keyof typeof NODE_SORTING_POLICIES)[])('keeps 5,000 nodes through 50,000 updates well under a second (%s)', (type) => {
    const order = createNodeOrder(NODE_SORTING_POLICIES[type]());
    const random = seededRandom(5_000);
    const states = Array.from({ length: 64 }, () => randomNodeState(random));
    const started = performance.now();
    for (let i = 0; i < 5_000; i++) {
      const n = states[i % states.length] ?? randomNodeState(random);
      order.upsert(`node-${i}`, n.capacity, n.allocated, true);
    }
    for (let i = 0; i < 50_000; i++) {
      const n = states[Math.floor(random() * states.length)] ?? randomNodeState(random);
      order.upsert(`node-${Math.floor(random() * 5_000)}`, n.capacity, n.allocated, n.schedulable);
    }
    let first: string | undefined;
    for (const id of order) {
      first = id;
      break;
    }
    const elapsed = performance.now() - started;
    expect(first).toBeDefined();
    expect(order.size).toBe(5_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  describe('first fit', () => {
    const GPU_NODE = { ...NODE, 'nvidia.com/gpu': 2 };

    it.each<{ name: string; request: Resource; refuse: string[]; found: string | null }>([
      // fair order a..e (0..4 cores used); free vcore 4000, 3000, 2000, 1000, 0
      { name: 'the first in order with room', request: { vcore: 1_000 }, refuse: [], found: 'a' },
      { name: 'accept refuses: the next with room', request: { vcore: 2_500 }, refuse: ['a'], found: 'b' },
      { name: 'no node has room', request: { vcore: 4_001 }, refuse: [], found: null },
      { name: 'every node with room refused', request: { vcore: 3_000 }, refuse: ['a', 'b'], found: null },
      { name: 'an empty request fits the first node', request: {}, refuse: [], found: 'a' },
      { name: 'a resource no node has', request: { vcore: 1, 'example.com/fpga': 1 }, refuse: [], found: null },
    ])('$name', ({ request, refuse, found }) => {
      const order = fiveNodes();
      expect(order.firstFit(request, (id) => !refuse.includes(id))).toBe(found);
    });

    it('asks accept only about nodes whose free resources cover the request, in order', () => {
      const order = fiveNodes();
      const asked: string[] = [];
      // free vcore: a 4000, b 3000, c 2000, d 1000, e 0
      order.firstFit({ vcore: 2_000 }, (id) => {
        asked.push(id);
        return false;
      });
      expect(asked).toEqual(['a', 'b', 'c']);
    });

    it('counts a resource a node lacks as 0 free', () => {
      const order = createNodeOrder(createBinPackingPolicy());
      order.upsert('plain', NODE, used(3), true);
      order.upsert('gpu', GPU_NODE, used(1), true);
      order.upsert('gpu-used', GPU_NODE, { ...used(0), 'nvidia.com/gpu': 2 }, true);
      expect([...order]).toEqual(['plain', 'gpu', 'gpu-used']);
      expect(order.firstFit({ vcore: 500 }, () => true)).toBe('plain');
      expect(order.firstFit({ vcore: 500, 'nvidia.com/gpu': 1 }, () => true)).toBe('gpu');
      expect(order.firstFit({ 'nvidia.com/gpu': 3 }, () => true)).toBeNull();
    });

    it('sees a change of free resources that leaves the score and the place alone', () => {
      // pods has no weight: filling a node's pods moves it nowhere but leaves no room for another pod.
      const order = fiveNodes();
      order.upsert('a', { ...NODE, pods: 110 }, used(0), true);
      order.upsert('b', { ...NODE, pods: 110 }, used(1), true);
      expect(order.firstFit({ vcore: 100, pods: 1 }, () => true)).toBe('a');
      order.upsert('a', { ...NODE, pods: 110 }, { ...used(0), pods: 110 }, true);
      expect([...order]).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(order.firstFit({ vcore: 100, pods: 1 }, () => true)).toBe('b');
      order.upsert('a', { ...NODE, pods: 110 }, { ...used(0), pods: 109 }, true);
      expect(order.firstFit({ vcore: 100, pods: 1 }, () => true)).toBe('a');
      expect(order.check()).toEqual([]);
    });

    it('finds nodes of a resource that appeared after the others', () => {
      const order = fiveNodes();
      order.upsert('f', GPU_NODE, used(4), true);
      expect(order.firstFit({ 'nvidia.com/gpu': 1 }, () => true)).toBe('f');
      expect(order.firstFit({ vcore: 1_000 }, () => true)).toBe('a');
      order.remove('f');
      expect(order.firstFit({ 'nvidia.com/gpu': 1 }, () => true)).toBeNull();
      expect(order.check()).toEqual([]);
    });

    it('leaves unschedulable nodes out', () => {
      const order = fiveNodes();
      order.upsert('a', NODE, used(0), false);
      expect(order.firstFit({ vcore: 3_500 }, () => true)).toBeNull();
      expect(order.firstFit({ vcore: 2_500 }, () => true)).toBe('b');
    });

    it('calls accept on few nodes when almost every node is full: 5,000 nodes, 4,990 full', () => {
      const order = createNodeOrder(createBinPackingPolicy());
      for (let i = 0; i < 5_000; i++) order.upsert(`node-${i}`, NODE, i % 500 === 7 ? used(1) : used(3.9), true);
      let calls = 0;
      const found = order.firstFit({ vcore: 1_000 }, (id) => {
        calls++;
        return id === 'node-7';
      });
      // The full nodes come first under binpacking; accept sees only the 10 with 3 cores free, in id
      // order (node-1007, node-1507, ..., node-4507, node-507, node-7), and takes the last.
      expect(found).toBe('node-7');
      expect(calls).toBe(10);
      expect(order.check()).toEqual([]);
    });

    it('treats a change of the order from inside accept as a bug', () => {
      const order = fiveNodes();
      expect(() => order.firstFit({}, (id) => (order.remove(id), false))).toThrow(/changed/);
      expect(() => order.firstFit({}, () => (order.setPolicy(createFairPolicy()), false))).toThrow(/policy changed/);
    });
  });
});

/**
 * Fixtures for the node-ordering tests: a seeded random source, random node states with many equal
 * scores (so ties are common), and the brute-force reference order the incremental one must match.
 */
import type { Resource } from '../resources/resource.js';
import type { NodeSortingPolicy } from './policy.js';
import { seededRandom } from '../random.js';

export const Gi = 1024 ** 3;


export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export interface NodeState {
  readonly capacity: Resource;
  readonly allocated: Resource;
  readonly schedulable: boolean;
}

/** A node of one of a few shapes with a quarter-step allocation, sometimes over-allocated, sometimes unschedulable. */
export function randomNodeState(random: () => number): NodeState {
  const cores = pick(random, [4, 8, 16]);
  const gpus = pick(random, [0, 0, 2]);
  const capacity: Record<string, number> = { vcore: cores * 1000, memory: cores * 4 * Gi, pods: 110 };
  if (gpus > 0) capacity['nvidia.com/gpu'] = gpus;
  const quarter = () => pick(random, [0, 1, 2, 3, 4, 5]) / 4;
  const allocated: Record<string, number> = { vcore: quarter() * cores * 1000, memory: quarter() * cores * 4 * Gi, pods: pick(random, [0, 10]) };
  if (gpus > 0) allocated['nvidia.com/gpu'] = pick(random, [0, 1, 2]);
  return { capacity, allocated, schedulable: random() < 0.9 };
}

/** The order the incremental structure must produce: every schedulable node scored and sorted. */
export function bruteForceOrder(policy: NodeSortingPolicy, nodes: ReadonlyMap<string, NodeState>): string[] {
  return [...nodes]
    .filter(([, n]) => n.schedulable)
    .map(([id, n]) => {
      const score = policy.score(n.capacity, n.allocated);
      return { id, score: Number.isNaN(score) ? Number.POSITIVE_INFINITY : score };
    })
    .sort((a, b) => (a.score !== b.score ? (a.score < b.score ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => n.id);
}

/** Fisher-Yates with the given random source. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) throw new Error('shuffle out of range');
    out[i] = b;
    out[j] = a;
  }
  return out;
}

/**
 * Brute-force first fit: the first schedulable node in order whose own free resources (capacity -
 * allocated, absent = 0) cover every positive entry of the request, and that `accept` takes.
 */
export function bruteForceFirstFit(policy: NodeSortingPolicy, nodes: ReadonlyMap<string, NodeState>, request: Resource, accept: (id: string) => boolean): string | null {
  return bruteForceOrder(policy, nodes).find((id) => freeCovers(nodes.get(id), request) && accept(id)) ?? null;
}

export function freeCovers(n: NodeState | undefined, request: Resource): boolean {
  if (n === undefined) return false;
  return Object.entries(request).every(([k, v]) => !(v > 0) || (n.capacity[k] ?? 0) - (n.allocated[k] ?? 0) >= v);
}

/** A request shaped like a pod's: often small, sometimes zero in a resource, now and then a GPU or a resource no node has. */
export function randomRequest(random: () => number): Resource {
  const request: Record<string, number> = {
    vcore: pick(random, [0, 500, 1_000, 2_000, 4_000, 8_000, 12_000, 16_000]),
    memory: pick(random, [0, 1, 2, 8, 16, 32, 64]) * Gi,
  };
  if (random() < 0.5) request.pods = pick(random, [1, 1, 5, 100]);
  if (random() < 0.2) request['nvidia.com/gpu'] = pick(random, [1, 2]);
  if (random() < 0.03) request['example.com/fpga'] = 1;
  return request;
}

export { seededRandom };

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';
import type { QueueConfig } from '../core/config/index.js';
import type { Allocation } from '../core/port.js';
import { runBare, runCore } from './core-schedule.js';
import { FULL_WORKLOAD, generateWorkload, NODE_CAPACITY, SMALL_WORKLOAD } from './core-workload.js';
import type { Workload } from './core-workload.js';

/** Sum of the allocations per node and resource. */
function usage(allocations: readonly Allocation[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const a of allocations) {
    const used = out.get(a.nodeId) ?? {};
    for (const [k, v] of Object.entries(a.resource)) used[k] = (used[k] ?? 0) + v;
    out.set(a.nodeId, used);
  }
  return out;
}

/** Every ask of the workload by key, with its resource. */
function asks(w: Workload): Map<string, { vcore: number; memory: number; pods: number }> {
  const out = new Map<string, { vcore: number; memory: number; pods: number }>();
  for (const app of w.applications) for (let p = 0; p < app.pods; p++) out.set(`${app.id}-${p}`, { vcore: app.vcore, memory: app.memory, pods: 1 });
  return out;
}

const depth = (q: QueueConfig): number => 1 + Math.max(0, ...q.queues.map(depth));

describe('the core.schedule benchmark input', () => {
  it.each(['fair', 'binpacking'] as const)('is a valid configuration of 50 leaves three levels deep, with user limits on every queue (%s)', (policy) => {
    for (const size of [SMALL_WORKLOAD, FULL_WORKLOAD]) {
      const r = loadConfig(generateWorkload(size).queuesYaml(policy));
      expect(r.issues).toEqual([]);
      if (!r.ok) expect.fail('invalid');
      const partition = r.config.partitions[0];
      if (partition === undefined) expect.fail('no partition');
      expect(partition.nodeSortPolicy.type).toBe(policy);
      expect(depth(partition.root)).toBe(3);
      const departments = partition.root.queues;
      expect(departments).toHaveLength(5);
      const teams = departments.flatMap((d) => d.queues);
      expect(teams).toHaveLength(50);
      // departments name their power users and have a wildcard; teams a wildcard; all limit resources
      for (const d of departments) expect(d.limits.map((l) => l.users.includes('*'))).toEqual([false, true]);
      for (const q of [...departments, ...teams]) for (const l of q.limits) expect(Object.keys(l.maxResources).sort()).toEqual(['memory', 'vcore']);
    }
  });

  it('asks for less than the full cluster has, and a bare first fit places every pod', () => {
    const w = generateWorkload(FULL_WORKLOAD);
    expect([w.nodeIds.length, w.pods, w.applications.length, w.leafQueues, new Set(w.applications.map((a) => a.user)).size]).toEqual([5000, 50_000, 500, 50, 50]);
    const vcore = w.applications.reduce((s, a) => s + a.vcore * a.pods, 0);
    // about 64 % of 5,000 x 16 cores
    expect(vcore / (w.nodeIds.length * NODE_CAPACITY.vcore)).toBeLessThan(0.7);
    expect(runBare(w).placed).toBe(w.pods);
  });
});

describe('the core on the small workload', () => {
  it.each(['fair', 'binpacking'] as const)('places every pod once, within node capacity, and reports what it returns (%s)', (policy) => {
    const w = generateWorkload(SMALL_WORKLOAD);
    const run = runCore(w, policy);
    const wanted = asks(w);
    expect(w.pods).toBe(500);
    expect(run.allocations).toHaveLength(w.pods);
    expect(run.reported).toEqual(run.allocations);
    expect(new Set(run.allocations.map((a) => a.allocationKey)).size).toBe(w.pods);
    for (const a of run.allocations) expect(a.resource).toEqual(wanted.get(a.allocationKey));
    expect([...run.pending]).toEqual([]);
    for (const [nodeId, used] of usage(run.allocations)) {
      expect(w.nodeIds).toContain(nodeId);
      expect(used.vcore ?? 0).toBeLessThanOrEqual(NODE_CAPACITY.vcore);
      expect(used.memory ?? 0).toBeLessThanOrEqual(NODE_CAPACITY.memory);
      expect(used.pods ?? 0).toBeLessThanOrEqual(NODE_CAPACITY.pods);
    }
    // the books agree: the root queue holds exactly what was placed
    const total = run.allocations.reduce((s, a) => s + (a.resource.vcore ?? 0), 0);
    expect(run.scheduler.partitions()[0]?.tree.root.allocated.vcore).toBe(total);
  });

  it('is matched by the bare loop, which places every pod within node capacity', () => {
    const w = generateWorkload(SMALL_WORKLOAD);
    const bare = runBare(w);
    expect(bare.placed).toBe(w.pods);
    const used = new Map<number, number>();
    let p = 0;
    for (const app of w.applications) {
      for (let i = 0; i < app.pods; i++) {
        const node = bare.nodeOf[p++] ?? -1;
        expect(node).toBeGreaterThanOrEqual(0);
        used.set(node, (used.get(node) ?? 0) + app.vcore);
      }
    }
    for (const v of used.values()) expect(v).toBeLessThanOrEqual(NODE_CAPACITY.vcore);
  });
});

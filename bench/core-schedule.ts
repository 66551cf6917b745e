/**
 * The scheduling core alone, through its port, no Kubernetes (`core.schedule.fair`,
 * `core.schedule.binpacking`): the nodes, applications and asks of `core-workload.ts` are handed to
 * a fresh scheduler, then one `schedule()` call, which runs until nothing more fits, is timed. For
 * scale, a bare first-fit loop (plain arrays, no queues, no limits, no sorting) places the same pods
 * on the same nodes; `ratioToBare` is the core's rate over the bare loop's.
 *
 * Heap figures are exact only when a collection can be forced: `npm run bench` starts Node with
 * `--expose-gc`; without it (`node dist/bench/run.js`) they include garbage and `heapExact` is false.
 */
import { loadConfig } from '../core/config/index.js';
import type { NodeSortPolicyType } from '../core/config/index.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../core/port.js';
import type { Allocation, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { FULL_WORKLOAD, generateWorkload, NODE_CAPACITY, SMALL_WORKLOAD } from './core-workload.js';
import type { Workload, WorkloadSize } from './core-workload.js';
import type { BenchResult } from './stats.js';
import { summarise } from './stats.js';

/** The issue's aims: allocations per second, and the core's rate over the bare loop's. */
export const AIM_ALLOCATIONS_PER_SECOND = 20_000;
export const AIM_RATIO_TO_BARE = 0.25;

export interface CoreRun {
  readonly scheduler: Scheduler;
  /** What `schedule()` returned. */
  readonly allocations: readonly Allocation[];
  /** What the callback was told, in order. */
  readonly reported: readonly Allocation[];
  /** Asks still pending, by reason code. */
  readonly pending: ReadonlyMap<string, number>;
  readonly setupSeconds: number;
  readonly seconds: number;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Feed the workload to a fresh scheduler through the port and time one `schedule()`. */
export function runCore(w: Workload, policy: NodeSortPolicyType): CoreRun {
  const loaded = loadConfig(w.queuesYaml(policy));
  if (!loaded.ok) throw new Error(`the generated configuration is invalid: ${loaded.issues.map((i) => `${i.code} at ${i.path}`).join('; ')}`);
  const reported: Allocation[] = [];
  const reasons = new Map<string, string>();
  const callback: ResourceManagerCallback = {
    allocated: (a) => reported.push(a),
    applicationStateChanged: () => undefined,
    askPending: (key, reason) => reasons.set(key, reason.code),
  };
  const scheduler = createScheduler(loaded.config, { clock: { now: () => 0 }, callback });

  const setup = process.hrtime.bigint();
  for (const nodeId of w.nodeIds) scheduler.addNode({ nodeId: asNodeId(nodeId), capacity: NODE_CAPACITY, schedulable: true });
  for (const app of w.applications) {
    const applicationId = asApplicationId(app.id);
    scheduler.addApplication({ applicationId, queue: app.queue, user: { user: app.user, groups: [] }, tags: { namespace: 'batch' } });
    for (let p = 0; p < app.pods; p++) {
      const resource = { vcore: app.vcore, memory: app.memory, pods: 1 };
      scheduler.addAsk({ allocationKey: asAllocationKey(`${app.id}-${p}`), applicationId, resource, priority: 0 });
    }
  }
  const setupSeconds = seconds(setup);

  const start = process.hrtime.bigint();
  const allocations = scheduler.schedule();
  const elapsed = seconds(start);

  const placed = new Set(allocations.map((a) => a.allocationKey as string));
  const pending = new Map<string, number>();
  for (const [key, code] of reasons) if (!placed.has(key)) pending.set(code, (pending.get(code) ?? 0) + 1);
  return { scheduler, allocations, reported, pending, setupSeconds, seconds: elapsed };
}

export interface BareRun {
  readonly placed: number;
  /** The node index of each pod, -1 when it did not fit; pods in the order of the workload. */
  readonly nodeOf: Int32Array;
  readonly seconds: number;
}

/** First fit over plain arrays: each pod goes to the first node, in index order, with room for it. */
export function runBare(w: Workload): BareRun {
  const n = w.nodeIds.length;
  const freeVcore = new Array<number>(n).fill(NODE_CAPACITY.vcore);
  const freeMemory = new Array<number>(n).fill(NODE_CAPACITY.memory);
  const freePods = new Array<number>(n).fill(NODE_CAPACITY.pods);
  const podVcore: number[] = [];
  const podMemory: number[] = [];
  for (const app of w.applications) {
    for (let p = 0; p < app.pods; p++) {
      podVcore.push(app.vcore);
      podMemory.push(app.memory);
    }
  }
  const nodeOf = new Int32Array(podVcore.length).fill(-1);
  let placed = 0;
  const start = process.hrtime.bigint();
  for (let p = 0; p < podVcore.length; p++) {
    const v = podVcore[p] ?? 0;
    const m = podMemory[p] ?? 0;
    for (let i = 0; i < n; i++) {
      if ((freeVcore[i] ?? 0) >= v && (freeMemory[i] ?? 0) >= m && (freePods[i] ?? 0) >= 1) {
        freeVcore[i] = (freeVcore[i] ?? 0) - v;
        freeMemory[i] = (freeMemory[i] ?? 0) - m;
        freePods[i] = (freePods[i] ?? 0) - 1;
        nodeOf[p] = i;
        placed++;
        break;
      }
    }
  }
  return { placed, nodeOf, seconds: seconds(start) };
}

/** Heap in use, after a full collection when `--expose-gc` made one possible. */
function heapUsed(): { mb: number; exact: boolean } {
  const gc = globalThis.gc;
  if (gc !== undefined) gc();
  return { mb: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10, exact: gc !== undefined };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The bare loop's figures: the median of a few runs (one is a few hundred milliseconds at most). */
export function benchBare(w: Workload, runs = 5): { bareAllocations: number; bareSeconds: number; bareAllocationsPerSecond: number } {
  const times: number[] = [];
  let placed = 0;
  for (let i = 0; i < runs; i++) {
    const run = runBare(w);
    placed = run.placed;
    times.push(run.seconds * 1000);
  }
  const bareSeconds = summarise(times).medianMs / 1000;
  return { bareAllocations: placed, bareSeconds: round(bareSeconds, 4), bareAllocationsPerSecond: Math.round(placed / bareSeconds) };
}

/**
 * One line of `npm run bench`: the core with `policy` on the workload, and the bare loop on the same
 * input. Each call builds the workload, warms the JIT on the small workload, and starts from a fresh
 * scheduler, so the lines do not depend on which other benchmarks ran before.
 */
export function benchCoreSchedule(policy: NodeSortPolicyType, size: WorkloadSize = FULL_WORKLOAD): BenchResult {
  const w = generateWorkload(size);
  const bare = benchBare(w);
  runCore(generateWorkload(SMALL_WORKLOAD), policy);

  const before = heapUsed();
  const run = runCore(w, policy);
  const after = heapUsed();
  const allocations = run.allocations.length;
  const allocationsPerSecond = Math.round(allocations / run.seconds);
  const ratioToBare = round(allocationsPerSecond / bare.bareAllocationsPerSecond);
  const result: BenchResult = {
    bench: `core.schedule.${policy}`,
    nodes: w.nodeIds.length,
    pods: w.pods,
    applications: w.applications.length,
    leafQueues: w.leafQueues,
    users: size.users,
    allocations,
    unplaced: w.pods - allocations,
    ...Object.fromEntries([...run.pending].map(([code, count]) => [`pending${code}`, count])),
    setupSeconds: round(run.setupSeconds),
    seconds: round(run.seconds),
    allocationsPerSecond,
    heapUsedMB: after.mb,
    // Without a forced collection the difference mixes in garbage and can even be negative.
    ...(after.exact ? { heapRetainedMB: round(after.mb - before.mb, 1) } : {}),
    heapExact: after.exact,
    ...bare,
    ratioToBare,
    aimAllocationsPerSecond: AIM_ALLOCATIONS_PER_SECOND,
    aimRatioToBare: AIM_RATIO_TO_BARE,
    meetsAims: allocationsPerSecond >= AIM_ALLOCATIONS_PER_SECOND && ratioToBare >= AIM_RATIO_TO_BARE,
  };
  // Keep the scheduler reachable until the heap has been measured.
  if (run.scheduler.partitions().length === 0) throw new Error('the scheduler has no partition');
  return result;
}

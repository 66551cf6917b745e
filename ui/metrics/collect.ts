/**
 * What the gauges read from the core at scrape time: pure functions from the scheduler's partitions to
 * samples, one per metric family, each a single pass over the queues, the applications or the nodes.
 * They only read the core's books (the same fields core/readmodel reads) and never change them, so a
 * scrape can run between any two events. Label values are bounded by the configuration: partitions,
 * queues, resource names and fixed state names; never a pod, an application or a node.
 *
 * Values are in the core's base units, as YuniKorn reports them: `vcore` in millicores, `memory` in
 * bytes, `pods` and extended resources as counts.
 */
import { APPLICATION_STATES } from '../../core/port.js';
import type { ApplicationState } from '../../core/port.js';
import { isZero } from '../../core/resources/resource.js';
import type { Resource } from '../../core/resources/resource.js';
import type { Partition } from '../../core/scheduler/partition.js';
import type { Queue } from '../../core/scheduler/queue.js';

export type Labels = Readonly<Record<string, string>>;
/** Where a collector puts each sample (a gauge's `set`, or a test's array). */
export type Emit = (labels: Labels, value: number) => void;

/**
 * The application state as a label value: YuniKorn's state name in lower case, which is how YuniKorn's
 * own metrics spell it (`yunikorn_queue_app{state="running"}`), so its dashboards' selectors carry over.
 */
export const STATE_LABEL = {
  New: 'new',
  Accepted: 'accepted',
  Running: 'running',
  Completing: 'completing',
  Completed: 'completed',
  Rejected: 'rejected',
  Failing: 'failing',
  Failed: 'failed',
  Expired: 'expired',
  Resuming: 'resuming',
} as const satisfies Record<ApplicationState, string>;

const STATE_INDEX = Object.fromEntries(APPLICATION_STATES.map((state, i) => [state, i])) as Readonly<Record<ApplicationState, number>>;

/**
 * Resources every queue reports as allocated and pending even when zero, so that the series of an idle
 * queue do not vanish (a gap in a graph, a missing side in a comparison).
 */
export const ALWAYS_REPORTED = ['vcore', 'memory', 'pods'] as const;

/** The `state` values of `drover_queue_resource`, YuniKorn's names. */
export const QUEUE_RESOURCE_STATES = ['guaranteed', 'max', 'allocated', 'pending'] as const;

/** The queue's max as YuniKorn reports it: the configured one; the root's is the cluster size (schedulable nodes), none without nodes. */
function maxOf(q: Queue, p: Partition): Resource {
  if (q.parent !== null) return q.settings.max;
  return isZero(p.nodes.capacity) ? {} : p.nodes.capacity;
}

/**
 * `drover_queue_resource{partition, queue, state, resource}`: guaranteed and max as configured (a type
 * absent from max is unlimited and has no series; the root has no guarantee), allocated and pending as
 * booked on the queue (its whole subtree), zero-filled for the always-reported resources and for every
 * type the queue has a guarantee or a max for.
 */
export function collectQueueResources(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    for (const q of p.tree.all()) {
      const guaranteed = q.parent === null ? {} : q.settings.guaranteed;
      const max = maxOf(q, p);
      for (const [resource, v] of Object.entries(guaranteed)) emit({ partition: p.name, queue: q.path, state: 'guaranteed', resource }, v);
      for (const [resource, v] of Object.entries(max)) emit({ partition: p.name, queue: q.path, state: 'max', resource }, v);
      const names = new Set<string>(ALWAYS_REPORTED);
      for (const r of [guaranteed, max, q.allocated, q.pending]) for (const k in r) names.add(k);
      for (const resource of names) {
        emit({ partition: p.name, queue: q.path, state: 'allocated', resource }, q.allocated[resource] ?? 0);
        emit({ partition: p.name, queue: q.path, state: 'pending', resource }, q.pending[resource] ?? 0);
      }
    }
  }
}

/**
 * `drover_queue_app{partition, queue, state}`: applications per state on the leaf queue they were placed
 * in (parents have none, so a sum over queues counts each application once). Only states that have
 * applications have a series. A finished application stays counted (completed, failed) on the queue it
 * ran in until it expires, even when that queue, a dynamic one, is gone. An application rejected before
 * it had a queue is counted in `drover_scheduler_application_total` only.
 */
export function collectQueueApplications(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    // Keyed by the queue object and counted in an array by state: this runs over every application.
    const counts = new Map<Queue, number[]>();
    for (const app of p.apps.values()) {
      if (app.queue === null) continue;
      let byState = counts.get(app.queue);
      if (byState === undefined) {
        byState = new Array<number>(APPLICATION_STATES.length).fill(0);
        counts.set(app.queue, byState);
      }
      const i = STATE_INDEX[app.state];
      byState[i] = (byState[i] ?? 0) + 1;
    }
    for (const [queue, byState] of counts) {
      byState.forEach((n, i) => {
        const state = APPLICATION_STATES[i];
        if (n > 0 && state !== undefined) emit({ partition: p.name, queue: queue.path, state: STATE_LABEL[state] }, n);
      });
    }
  }
}

/** `drover_queue_running_apps{partition, queue}`: applications in Running in the queue's subtree, the count maxapplications limits. */
export function collectQueueRunning(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) for (const q of p.tree.all()) emit({ partition: p.name, queue: q.path }, q.runningApps);
}

/** `drover_queue_max_running_apps{partition, queue}`: the maxapplications of the queues that set one. */
export function collectQueueMaxRunning(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    for (const q of p.tree.all()) if (q.settings.maxApplications > 0) emit({ partition: p.name, queue: q.path }, q.settings.maxApplications);
  }
}

/** `drover_scheduler_application_total{partition, state}`: every state, zeros included. */
export function collectApplications(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    const counts = new Map<ApplicationState, number>();
    for (const app of p.apps.values()) counts.set(app.state, (counts.get(app.state) ?? 0) + 1);
    for (const state of APPLICATION_STATES) emit({ partition: p.name, state: STATE_LABEL[state] }, counts.get(state) ?? 0);
  }
}

/**
 * `drover_scheduler_node{partition, state}`: `active` is every node the partition knows (YuniKorn's
 * meaning), `schedulable` those of them drover may place pods on (not cordoned, Ready). The two overlap:
 * do not sum over `state`.
 */
export function collectNodes(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    let schedulable = 0;
    for (const node of p.nodes.byId.values()) if (node.info.schedulable) schedulable++;
    emit({ partition: p.name, state: 'active' }, p.nodes.byId.size);
    emit({ partition: p.name, state: 'schedulable' }, schedulable);
  }
}

/** The `state` values of `drover_scheduler_node_resource`. */
export const NODE_RESOURCE_STATES = ['capacity', 'allocated', 'occupied', 'available'] as const;

/**
 * `drover_scheduler_node_resource{partition, state, resource}` summed over the partition's nodes:
 * `capacity` (allocatable, every node), `allocated` (what drover placed), `occupied` (other schedulers'
 * pods), `available` (capacity - occupied - allocated on schedulable nodes, what drover could still use).
 */
export function collectNodeResources(partitions: readonly Partition[], emit: Emit): void {
  for (const p of partitions) {
    const sums: Record<(typeof NODE_RESOURCE_STATES)[number], Record<string, number>> = { capacity: {}, allocated: {}, occupied: {}, available: {} };
    const add = (into: Record<string, number>, r: Resource, sign = 1) => {
      for (const k in r) into[k] = (into[k] ?? 0) + sign * (r[k] ?? 0);
    };
    for (const node of p.nodes.byId.values()) {
      const { capacity, occupied } = node.info;
      add(sums.capacity, capacity);
      add(sums.allocated, node.allocated);
      if (occupied !== undefined) add(sums.occupied, occupied);
      if (!node.info.schedulable) continue;
      add(sums.available, capacity);
      if (occupied !== undefined) add(sums.available, occupied, -1);
      add(sums.available, node.allocated, -1);
    }
    const names = new Set<string>();
    for (const r of Object.values(sums)) for (const k in r) names.add(k);
    for (const resource of names) {
      for (const state of NODE_RESOURCE_STATES) emit({ partition: p.name, state, resource }, sums[state][resource] ?? 0);
    }
  }
}

/**
 * YuniKorn's node usage ranges, spelt exactly as YuniKorn spells them (including the space in the second
 * one), so dashboards that select a range keep working.
 */
export const USAGE_RANGES = ['[0,10%]', '(10%, 20%]', '(20%,30%]', '(30%,40%]', '(40%,50%]', '(50%,60%]', '(60%,70%]', '(70%,80%]', '(80%,90%]', '(90%,100%]'] as const;

/**
 * The range of a usage fraction, as YuniKorn computes it: ceil(u * 10) - 1, so 0 and 10% fall in the
 * first range and 10.1% in the second; above 100% (recovered pods on a node that shrank) in the last.
 */
export function usageRange(fraction: number): (typeof USAGE_RANGES)[number] {
  const i = Math.min(USAGE_RANGES.length - 1, Math.max(0, Math.ceil(fraction * 10) - 1));
  return USAGE_RANGES[i] ?? '[0,10%]';
}

/**
 * `drover_scheduler_<resource>_node_usage_total{partition, range}`: how many nodes have drover's
 * allocations at each tenth of their capacity of `resource` (YuniKorn's node usage histogram; other
 * schedulers' pods are not counted, as in YuniKorn). Nodes without that resource are left out. Every range
 * has a series, zeros included.
 */
export function collectNodeUsage(partitions: readonly Partition[], resource: string, emit: Emit): void {
  for (const p of partitions) {
    const counts = new Map<string, number>();
    for (const node of p.nodes.byId.values()) {
      const capacity = node.info.capacity[resource] ?? 0;
      if (capacity <= 0) continue;
      const range = usageRange((node.allocated[resource] ?? 0) / capacity);
      counts.set(range, (counts.get(range) ?? 0) + 1);
    }
    for (const range of USAGE_RANGES) emit({ partition: p.name, range }, counts.get(range) ?? 0);
  }
}

/** Every resource name some node has a capacity for. */
export function nodeResourceNames(partitions: readonly Partition[]): Set<string> {
  const names = new Set<string>();
  for (const p of partitions) for (const node of p.nodes.byId.values()) for (const k in node.info.capacity) names.add(k);
  return names;
}

/** Asks waiting in the queues at this moment (each partition's root counts its subtree's by priority). */
export function pendingAsks(partitions: readonly Partition[]): number {
  let n = 0;
  for (const p of partitions) for (const count of p.tree.root.pendingPriorities.values()) n += count;
  return n;
}

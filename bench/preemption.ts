/**
 * Preemption and gangs in the core, through its port (`core.preemption`, `core.gang`).
 *
 * `core.preemption`: 5,000 nodes of 16 cores, filled by 50,000 running pods of 1.6 cores in 50 of 100
 * queues, each queue guaranteed a hundredth of the cluster: the 50 busy queues are each at twice their
 * guarantee, the 50 others empty. Then, one at a time, a pod of an empty queue arrives and has waited
 * past its preemption delay; the `schedule()` call that decides its victims is timed (it also runs
 * the allocation cycle, which finds no room). The pod needs two cores' worth of victims, so every
 * node is looked at (`core.preemption.one-victim`: one victim will do, the search stops at the first
 * node that offers it). The victims are then released, as the shim would once
 * they are gone, and the pod is placed, so the cluster stays full for the next decision.
 *
 * `core.gang`: the same cluster at 80%, then a gang of 200 members (1 driver, 199 executors) is
 * submitted with its placeholders; timed from the first placeholder ask to the application Running.
 */
import { loadConfig } from '../core/config/index.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../core/port.js';
import type { ReleaseRequest, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import type { BenchResult } from './stats.js';
import { summarise } from './stats.js';

const GiB = 2 ** 30;
const NODES = 5_000;
const QUEUES = 100;
const NODE_VCORE = 16_000;
const NODE_MEMORY = 64 * GiB;
const POD = { vcore: 1_600, memory: 4 * GiB, pods: 1 };

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function queuesYaml(): string {
  const perQueue = (NODES * NODE_VCORE) / QUEUES / 1000;
  const leaves = Array.from({ length: QUEUES }, (_, i) => `          - {name: q${i}, resources: {guaranteed: {vcore: ${perQueue}}}, properties: {preemption.delay: 1s}}`).join('\n');
  return `partitions:
  - name: default
    placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - name: tenants
            queues:
${leaves.replace(/^/gm, '    ')}
`;
}

interface Cluster {
  readonly scheduler: Scheduler;
  readonly clock: { ms: number };
  readonly releases: ReleaseRequest[];
  readonly states: Map<string, string>;
}

/** The cluster with `pods` running pods spread over the first half of the queues. */
function cluster(pods: number): Cluster {
  const loaded = loadConfig(queuesYaml());
  if (!loaded.ok) throw new Error(`invalid generated configuration: ${loaded.issues.map((i) => i.message).join('; ')}`);
  const clock = { ms: 0 };
  const releases: ReleaseRequest[] = [];
  const states = new Map<string, string>();
  const callback: ResourceManagerCallback = {
    allocated: () => undefined,
    applicationStateChanged: (id, _from, to) => states.set(id, to),
    askPending: () => undefined,
    release: (r) => releases.push(r),
  };
  const scheduler = createScheduler(loaded.config, { clock: { now: () => clock.ms }, callback });
  for (let n = 0; n < NODES; n++) scheduler.addNode({ nodeId: asNodeId(`node-${n}`), capacity: { vcore: NODE_VCORE, memory: NODE_MEMORY, pods: 110 }, schedulable: true });
  const busy = QUEUES / 2;
  const appsPerQueue = 10;
  for (let q = 0; q < busy; q++) {
    for (let a = 0; a < appsPerQueue; a++) scheduler.addApplication({ applicationId: asApplicationId(`busy-${q}-${a}`), queue: `root.tenants.q${q}`, user: { user: `u${q}`, groups: [] }, tags: {} });
  }
  for (let i = 0; i < pods; i++) {
    const q = i % busy;
    const a = Math.floor(i / busy) % appsPerQueue;
    scheduler.addAsk({ allocationKey: asAllocationKey(`busy-${i}`), applicationId: asApplicationId(`busy-${q}-${a}`), resource: POD, priority: 0, ...(i < busy * appsPerQueue ? { role: 'driver', originator: true } : {}) });
    if (i % 997 === 0) clock.ms += 1;
  }
  scheduler.schedule();
  return { scheduler, clock, releases, states };
}

/**
 * `wide`: the pod needs two victims, so no node offers a perfect answer (one regular victim) and
 * every node is looked at; otherwise the search stops at the first node where one victim will do.
 */
export function benchPreemption(decisions = 200, wide = true): BenchResult {
  const setup = process.hrtime.bigint();
  const c = cluster(50_000);
  const setupMs = ms(setup);
  const times: number[] = [];
  let victims = 0;
  let placed = 0;
  for (let d = 0; d < decisions; d++) {
    const q = QUEUES / 2 + (d % (QUEUES / 2));
    const app = asApplicationId(`urgent-${d}`);
    c.scheduler.addApplication({ applicationId: app, queue: `root.tenants.q${q}`, user: { user: 'urgent', groups: [] }, tags: {} });
    c.scheduler.addAsk({ allocationKey: asAllocationKey(`urgent-${d}`), applicationId: app, resource: wide ? { ...POD, vcore: 3_000 } : POD, priority: 0 });
    c.scheduler.schedule();
    c.clock.ms += 2_000;
    const start = process.hrtime.bigint();
    c.scheduler.schedule();
    times.push(ms(start));
    const made = c.releases.splice(0);
    if (made.length === 0) throw new Error(`decision ${d} found no victims`);
    victims += made.length;
    for (const r of made) c.scheduler.releaseAllocation(r.allocationKey);
    if (c.scheduler.schedule().some((a) => a.allocationKey === `urgent-${d}`)) placed++;
  }
  return { name: wide ? 'core.preemption' : 'core.preemption.one-victim', nodes: NODES, runningPods: 50_000, queues: QUEUES, decisions, victimsPerDecision: victims / decisions, preemptorsPlaced: placed, setupMs: Math.round(setupMs), ...prefixed(summarise(times)), p99Ms: percentile99(times) };
}

export function benchGang(gangs = 20, members = 200): BenchResult {
  // 80% full: 40,000 pods of 1.6 cores on 80,000 cores.
  const c = cluster(40_000);
  const times: number[] = [];
  let cycles = 0;
  for (let g = 0; g < gangs; g++) {
    const app = asApplicationId(`gang-${g}`);
    const taskGroups = [
      { name: 'driver', minMember: 1, minResource: { vcore: 1_000, memory: 2 * GiB, pods: 1 } },
      { name: 'executor', minMember: members - 1, minResource: { vcore: 2_000, memory: 8 * GiB, pods: 1 } },
    ];
    const start = process.hrtime.bigint();
    c.scheduler.addApplication({ applicationId: app, queue: `root.tenants.q${QUEUES - 1 - (g % 10)}`, user: { user: 'spark', groups: [] }, tags: {}, gang: { taskGroups, timeoutMs: 900_000, style: 'Soft' } });
    for (const tg of taskGroups) for (let i = 0; i < tg.minMember; i++) c.scheduler.addAsk({ allocationKey: asAllocationKey(`gang-${g}-${tg.name}-${i}`), applicationId: app, resource: tg.minResource, priority: 0, placeholder: true, taskGroup: tg.name });
    c.scheduler.addAsk({ allocationKey: asAllocationKey(`gang-${g}-driver`), applicationId: app, resource: taskGroups[0]?.minResource ?? {}, priority: 0, taskGroup: 'driver', originator: true });
    for (let round = 0; c.states.get(app) !== 'Running' && round < 10; round++) {
      c.scheduler.schedule();
      cycles++;
    }
    times.push(ms(start));
    if (c.states.get(app) !== 'Running') throw new Error(`gang ${g} was not reserved`);
    c.scheduler.removeApplication(app);
  }
  return { name: 'core.gang', nodes: NODES, runningPods: 40_000, members, gangs, cyclesPerGang: cycles / gangs, ...prefixed(summarise(times)), p99Ms: percentile99(times) };
}

function prefixed(s: ReturnType<typeof summarise>) {
  return { p50Ms: s.medianMs, p95Ms: s.p95Ms, maxMs: s.maxMs };
}

function percentile99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN) * 1000) / 1000;
}

/**
 * The shim under injected faults, end to end against the embedded API server over HTTPS: a burst of
 * 300 pods in three queues on four nodes that hold 280 of them at once, so that the last ones wait
 * until the short-lived pods finish; each fault in turn and then all of them at once (watches
 * dropped, 410 on watches and a history too short to resume from, bindings answered 409 or 500,
 * binding answers lost after the binding was stored, 500 on any request, 409 on updates, latency).
 * Whatever the faults, every pod must end bound exactly once; the scheduler must not send a binding
 * for a pod that already has its node unless the answer to its earlier one was lost; the core's books
 * (per queue and per node) must equal the requests of the pods that are bound and not finished; and
 * once everything is placed the scheduler must fall quiet (no binding but the next new pod's).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../apiserver/faults.js';
import type { FaultPlan } from '../apiserver/faults.js';
import { mustLoad } from '../core/config/test-helpers.js';
import { asNodeId, NO_LOGGER } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import type { RunningShim } from '../shim/shim.js';
import { createPods, needlessSecondBindings, NO_BINDING_FAULTS, podsOf, startCluster, usageBy, usageOf, waitFor } from './cluster-helpers.js';
import type { BindingFaults, PodShape, TestCluster, Usage } from './cluster-helpers.js';

const QUEUES = ['root.a', 'root.b', 'root.c'] as const;
const CONFIG = `partitions:
  - name: default
    placementrules: [{name: provided}]
    queues:
      - name: root
        submitacl: "*"
        queues: [{name: a}, {name: b}, {name: c}]
`;
// 4 nodes x 7 cores = 28,000m for 300 x 100m = 30,000m: 20 pods wait until short-lived ones finish.
// Of the 280 placed first at least 40 are short-lived (there are only 240 others), so room frees.
const NODES = [1, 2, 3, 4].map((i) => ({ name: `node-${i}`, cpu: '7', memory: '32Gi' }));
const PODS = 300;

/** Round robin over the queues, four applications per queue; every fifth pod finishes right after it starts. */
const burst = (prefix: string): PodShape[] =>
  Array.from({ length: PODS }, (_, i) => ({
    name: `${prefix}-${i}`,
    queue: QUEUES[i % 3] ?? 'root.a',
    app: `${prefix}-app-${i % 12}`,
    milliCpu: 100,
    memoryMi: 128,
    ...(i % 5 === 0 ? { runSeconds: 0 } : {}),
  }));

interface Case {
  readonly name: string;
  readonly plan?: Partial<FaultPlan>;
  readonly binding?: Partial<BindingFaults>;
  /** Forget the store's history every 200 ms, so every watch restart gets a real 410 and relists. */
  readonly compact?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'no faults' },
  { name: 'watches dropped every 250 ms', plan: { dropWatchAfterMs: 250 } },
  { name: '410 on half the watches, and a history too short to resume from', plan: { gone: 0.5, dropWatchAfterMs: 400 }, compact: true },
  { name: 'bindings answered 409 or 500 without binding', binding: { conflict: 0.15, internalError: 0.15 } },
  { name: 'binding answers lost after the binding was stored', binding: { lostResponse: 0.15 } },
  { name: '500 on any request (lists, watches, bindings, status, events)', plan: { internalError: 0.05 } },
  { name: '409 on updates (the PodScheduled status patches)', plan: { conflict: 0.3 } },
  { name: '25 ms latency on every request', plan: { latencyMs: 25 } },
  {
    name: 'all of them at once',
    plan: { latencyMs: 10, internalError: 0.03, conflict: 0.2, gone: 0.3, dropWatchAfterMs: 500 },
    binding: { conflict: 0.1, internalError: 0.1, lostResponse: 0.05 },
    compact: true,
  },
];

const same = (a: Usage, b: Usage) => a.vcore === b.vcore && a.memory === b.memory && a.pods === b.pods;

let cluster: TestCluster | null = null;
let shim: RunningShim | null = null;
let compactor: NodeJS.Timeout | null = null;

afterEach(async () => {
  if (compactor !== null) clearInterval(compactor);
  compactor = null;
  if (cluster !== null) cluster.faults.plan = NO_FAULTS;
  await shim?.stop();
  await cluster?.close();
  shim = null;
  cluster = null;
});

/** The core's books against the pods the API server holds: per queue and per node, and no ask left. */
function books(c: TestCluster, s: RunningShim) {
  const pods = podsOf(c.api);
  const partition = s.scheduler.partition('default');
  const byQueue = usageBy(pods, (p) => p.queue);
  const byNode = usageBy(pods, (p) => p.node);
  const zero = { vcore: 0, memory: 0, pods: 0 };
  const queues = QUEUES.map((q) => ({ queue: q, expected: byQueue.get(q) ?? zero, core: usageOf(partition?.tree.get(q)?.allocated) }));
  const nodes = NODES.map((n) => ({ node: n.name, expected: byNode.get(n.name) ?? zero, core: usageOf(partition?.nodes.byId.get(asNodeId(n.name))?.allocated) }));
  return { pods, queues, nodes, asks: partition?.asks.size ?? -1 };
}

/** No ask left in the core, and its books per queue and per node equal what the API server holds. */
const settledBooks = (b: ReturnType<typeof books>) => b.asks === 0 && b.queues.every((q) => same(q.expected, q.core)) && b.nodes.every((n) => same(n.expected, n.core));

describe('the shim under injected faults', () => {
  it.each(CASES)('$name: every pod bound exactly once, queue usage equal to what is bound', async (tc) => {
    const c = await startCluster({ nodes: NODES, seed: 7 });
    cluster = c;
    c.faults.plan = { ...NO_FAULTS, ...tc.plan };
    Object.assign(c.bindingFaults, NO_BINDING_FAULTS, tc.binding);
    if (tc.compact === true) compactor = setInterval(() => c.api.store.compact(), 200);
    const s = await startShim({ kubeConfig: c.kubeConfig, config: mustLoad(CONFIG), logger: NO_LOGGER });
    shim = s;
    const pods = burst('p');
    await createPods(c.api, pods);

    const settled = () => {
      const b = books(c, s);
      return b.pods.length === PODS && b.pods.every((p) => p.node !== '') && b.pods.filter((p) => p.phase === 'Succeeded').length === PODS / 5 && settledBooks(b);
    };
    await waitFor(settled, 15_000, () => {
      const b = books(c, s);
      return JSON.stringify({ unbound: b.pods.filter((p) => p.node === '').map((p) => p.name).slice(0, 10), succeeded: b.pods.filter((p) => p.phase === 'Succeeded').length, asks: b.asks, queues: b.queues, nodes: b.nodes });
    });
    // Stop the faults, so that what follows reads a quiet system.
    if (compactor !== null) clearInterval(compactor);
    compactor = null;
    c.faults.plan = NO_FAULTS;
    Object.assign(c.bindingFaults, NO_BINDING_FAULTS);

    const b = books(c, s);
    expect(b.pods.filter((p) => p.node === '')).toEqual([]);
    // 300 x 100m minus the 60 finished pods: 240 x 100m = 24,000m held, 8,000m per queue.
    expect(b.queues.map((q) => q.core)).toEqual(b.queues.map((q) => q.expected));
    expect(b.queues.map((q) => q.core.vcore)).toEqual([8_000, 8_000, 8_000]);
    expect(b.nodes.map((n) => n.core)).toEqual(b.nodes.map((n) => n.expected));

    // Exactly one binding stored per pod, and no binding sent for a pod that had its node already,
    // unless the answer to an earlier one was lost (then the scheduler could not know it landed).
    expect(pods.filter((p) => c.bound.get(`default/${p.name}`) !== 1).map((p) => p.name)).toEqual([]);
    expect(needlessSecondBindings(c.bindings)).toEqual([]);
    if (tc.binding !== undefined) expect(c.bindings.some((x) => x.injected !== null)).toBe(true);

    // Quiet afterwards: while one more pod is placed (a cycle or more), nothing else is bound again.
    const sent = c.bindings.length;
    await createPods(c.api, [{ name: 'marker', queue: 'root.c', app: 'marker', milliCpu: 100, memoryMi: 128 }]);
    await waitFor(() => books(c, s).pods.some((p) => p.name === 'marker' && p.node !== '') && settledBooks(books(c, s)), 5_000, () => JSON.stringify(books(c, s).queues));
    expect(c.bindings.slice(sent).map((x) => `${x.pod} ${x.status}`)).toEqual(['default/marker 201']);
  });
});

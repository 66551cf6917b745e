/**
 * The scheduler's metrics as a scraper reads them: the core driven through its port (the harness of
 * core/scheduler), then the exposition text parsed and its series and values asserted.
 */
import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { asApplicationId, asNodeId } from '../../core/port.js';
import { GiB, harness, OPEN } from '../../core/scheduler/test-helpers.js';
import { BIND_BUCKETS_SECONDS, createSchedulerMetrics, CYCLE_BUCKETS_SECONDS, nodeUsageMetricName, SCHEDULER_METRIC_NAMES as N } from './scheduler-metrics.js';
import type { Exposition } from './test-helpers.js';
import { families, parseExposition, series, valueOf } from './test-helpers.js';

const QUEUES = OPEN(`          - name: a
            maxapplications: 2
            resources: {guaranteed: {vcore: 1, memory: 1Gi}, max: {vcore: 2, memory: 4Gi}}
          - {name: b}
`);

/**
 * n1: 4 cores, 8Gi, schedulable; n2: 4 cores, 8Gi, cordoned, 500m used by another scheduler.
 * root.a (guaranteed 1 core, max 2 cores): a1 1500m placed, a2 1000m waits (2500m > its max).
 * root.b: b1 1000m placed. Everything placed lands on n1: 2500m of 4000m.
 */
function scenario() {
  const h = harness(QUEUES);
  h.node('n1', 4, 8);
  h.node('n2', 4, 8, { schedulable: false, occupied: { vcore: 500 } });
  h.app('qa', 'root.a');
  h.app('qb', 'root.b');
  h.ask('a1', 'qa', { vcore: 1500, memory: GiB });
  h.ask('a2', 'qa', { vcore: 1000, memory: GiB });
  h.ask('b1', 'qb', { vcore: 1000, memory: GiB });
  const made = h.s.schedule();
  const metrics = createSchedulerMetrics({ scheduler: h.s });
  return { h, made, metrics };
}

async function scrape(metrics: { text(): Promise<string> }): Promise<Exposition> {
  return parseExposition(await metrics.text());
}

describe('queue resources', () => {
  it.each([
    { name: 'guaranteed vcore of root.a', queue: 'root.a', state: 'guaranteed', resource: 'vcore', value: 1000 },
    { name: 'guaranteed memory of root.a', queue: 'root.a', state: 'guaranteed', resource: 'memory', value: GiB },
    { name: 'max vcore of root.a', queue: 'root.a', state: 'max', resource: 'vcore', value: 2000 },
    { name: 'max memory of root.a', queue: 'root.a', state: 'max', resource: 'memory', value: 4 * GiB },
    { name: 'allocated vcore of root.a', queue: 'root.a', state: 'allocated', resource: 'vcore', value: 1500 },
    { name: 'allocated pods of root.a', queue: 'root.a', state: 'allocated', resource: 'pods', value: 1 },
    { name: 'pending vcore of root.a (a2)', queue: 'root.a', state: 'pending', resource: 'vcore', value: 1000 },
    { name: 'pending pods of root.a', queue: 'root.a', state: 'pending', resource: 'pods', value: 1 },
    { name: 'nothing pending in root.b, reported as zero', queue: 'root.b', state: 'pending', resource: 'pods', value: 0 },
    // 1500m + 1000m, booked up the tree
    { name: 'allocated vcore of root', queue: 'root', state: 'allocated', resource: 'vcore', value: 2500 },
    // the root's max is the schedulable cluster: n1 only (n2 is cordoned)
    { name: 'max vcore of root', queue: 'root', state: 'max', resource: 'vcore', value: 4000 },
    { name: 'max memory of root', queue: 'root', state: 'max', resource: 'memory', value: 8 * GiB },
  ])('$name = $value', async ({ queue, state, resource, value }) => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.queueResource, { partition: 'default', queue, state, resource })).toBe(value);
  });

  it('has no series for what is not set: no guarantee or max on root.b, no guarantee on the root', async () => {
    const e = await scrape(scenario().metrics);
    expect(series(e, N.queueResource, { queue: 'root.b', state: 'max' })).toEqual([]);
    expect(series(e, N.queueResource, { queue: 'root.b', state: 'guaranteed' })).toEqual([]);
    expect(series(e, N.queueResource, { queue: 'root', state: 'guaranteed' })).toEqual([]);
    expect(e.types.get(N.queueResource)).toBe('gauge');
  });

  it('answers "which queue is over its guarantee" as the documented query does', async () => {
    const e = await scrape(scenario().metrics);
    // allocated > on(partition, queue, resource) guaranteed
    const over = series(e, N.queueResource, { state: 'allocated' }).filter((s) => {
      const g = series(e, N.queueResource, { partition: s.labels.partition ?? '', queue: s.labels.queue ?? '', state: 'guaranteed', resource: s.labels.resource ?? '' })[0];
      return g !== undefined && s.value > g.value;
    });
    // root.a: 1500m allocated against 1000m guaranteed; its memory (1Gi) is not over 1Gi
    expect(over.map((s) => `${s.labels.queue} ${s.labels.resource}`)).toEqual(['root.a vcore']);
  });

  it('follows the core: a dynamic queue has resources while it exists, its finished application stays counted', async () => {
    const { h, metrics } = scenario();
    h.app('dyn', 'root.team-x');
    h.ask('d1', 'dyn', { vcore: 500 });
    h.s.schedule();
    let e = await scrape(metrics);
    expect(valueOf(e, N.queueResource, { queue: 'root.team-x', state: 'allocated', resource: 'vcore' })).toBe(500);
    h.release('d1');
    h.s.removeApplication(asApplicationId('dyn'));
    e = await scrape(metrics);
    expect(series(e, N.queueResource, { queue: 'root.team-x' })).toEqual([]);
    // the finished application is still counted where it ran, until it expires (3 days)
    expect(series(e, N.queueApp, { queue: 'root.team-x' }).map((s) => [s.labels.state, s.value])).toEqual([['completed', 1]]);
  });
});

describe('applications', () => {
  it('counts applications per state on their leaf queue, lower-case state names as YuniKorn', async () => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.queueApp, { queue: 'root.a', state: 'running' })).toBe(1);
    expect(valueOf(e, N.queueApp, { queue: 'root.b', state: 'running' })).toBe(1);
    // parents hold no applications of their own
    expect(series(e, N.queueApp, { queue: 'root' })).toEqual([]);
  });

  it('counts every state per partition, zeros included', async () => {
    const e = await scrape(scenario().metrics);
    const byState: Record<string, number> = Object.fromEntries(series(e, N.applications, { partition: 'default' }).map((s) => [s.labels.state ?? '', s.value] as const));
    expect(byState).toEqual({ new: 0, accepted: 0, running: 2, completing: 0, completed: 0, rejected: 0, failing: 0, failed: 0, expired: 0, resuming: 0 });
  });

  it('moves an application from running to completing when its pods are gone', async () => {
    const { h, metrics } = scenario();
    h.release('b1');
    const e = await scrape(metrics);
    expect(valueOf(e, N.queueApp, { queue: 'root.b', state: 'completing' })).toBe(1);
    expect(series(e, N.queueApp, { queue: 'root.b', state: 'running' })).toEqual([]);
    expect(valueOf(e, N.applications, { state: 'running' })).toBe(1);
  });

  it('reports running applications up the tree and the maxapplications set', async () => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.queueRunningApps, { queue: 'root' })).toBe(2);
    expect(valueOf(e, N.queueRunningApps, { queue: 'root.a' })).toBe(1);
    expect(valueOf(e, N.queueMaxRunningApps, { queue: 'root.a' })).toBe(2);
    expect(series(e, N.queueMaxRunningApps, { queue: 'root.b' })).toEqual([]);
  });
});

describe('nodes', () => {
  it('counts nodes known and schedulable', async () => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.nodes, { state: 'active' })).toBe(2);
    expect(valueOf(e, N.nodes, { state: 'schedulable' })).toBe(1);
  });

  it.each([
    { name: 'capacity of every node', state: 'capacity', resource: 'vcore', value: 8000 },
    { name: 'allocated by drover', state: 'allocated', resource: 'vcore', value: 2500 },
    { name: "occupied by other schedulers' pods", state: 'occupied', resource: 'vcore', value: 500 },
    // schedulable nodes only: n1's 4000m - 2500m allocated
    { name: 'available', state: 'available', resource: 'vcore', value: 1500 },
    { name: 'occupied is zero-filled', state: 'occupied', resource: 'memory', value: 0 },
    { name: 'pods capacity (110 each)', state: 'capacity', resource: 'pods', value: 220 },
  ])('node resource: $name', async ({ state, resource, value }) => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.nodeResource, { partition: 'default', state, resource })).toBe(value);
  });

  it('puts nodes in YuniKorn usage ranges, one metric per resource type', async () => {
    const { h, metrics } = scenario();
    h.s.addNode({ nodeId: asNodeId('gpu-1'), capacity: { vcore: 1000, 'nvidia.com/gpu': 4 }, schedulable: true });
    const e = await scrape(metrics);
    const vcore = nodeUsageMetricName('vcore');
    expect(vcore).toBe('drover_scheduler_vcore_node_usage_total');
    // n1: 2500m / 4000m = 62.5% -> (60%,70%]; n2 and gpu-1: 0 -> [0,10%]
    expect(valueOf(e, vcore, { range: '(60%,70%]' })).toBe(1);
    expect(valueOf(e, vcore, { range: '[0,10%]' })).toBe(2);
    expect(series(e, vcore).map((s) => s.value).reduce((a, b) => a + b)).toBe(3);
    expect(series(e, vcore)).toHaveLength(10);
    // the extended resource gets its metric on the first scrape after a node brings it
    expect(valueOf(e, 'drover_scheduler_nvidia_com_gpu_node_usage_total', { range: '[0,10%]' })).toBe(1);
  });
});

describe('what the resource manager reports', () => {
  it('counts attempts: allocations of the cycle, and asks still pending after it', async () => {
    const { made, metrics } = scenario();
    metrics.observeCycle(0.002, made.length);
    const e = await scrape(metrics);
    expect(e.types.get(N.allocationAttempts)).toBe('counter');
    expect(valueOf(e, N.allocationAttempts, { state: 'allocated' })).toBe(2);
    // a2 waits for root.a's quota
    expect(valueOf(e, N.allocationAttempts, { state: 'pending' })).toBe(1);
  });

  it('starts the attempt counters and bind histograms at zero, so rate() works from the first scrape', async () => {
    const e = await scrape(scenario().metrics);
    expect(valueOf(e, N.allocationAttempts, { state: 'pending' })).toBe(0);
    for (const outcome of ['success', 'failure', 'conflict']) expect(valueOf(e, `${N.bindLatency}_count`, { outcome })).toBe(0);
  });

  it('observes cycle latency in seconds', async () => {
    const { metrics } = scenario();
    metrics.observeCycle(0.002, 1);
    metrics.observeCycle(0.3, 1);
    const e = await scrape(metrics);
    expect(e.types.get(N.schedulingLatency)).toBe('histogram');
    expect(valueOf(e, `${N.schedulingLatency}_count`)).toBe(2);
    expect(valueOf(e, `${N.schedulingLatency}_sum`)).toBeCloseTo(0.302);
    expect(valueOf(e, `${N.schedulingLatency}_bucket`, { le: '0.001' })).toBe(0);
    expect(valueOf(e, `${N.schedulingLatency}_bucket`, { le: '0.0025' })).toBe(1);
    expect(valueOf(e, `${N.schedulingLatency}_bucket`, { le: '0.5' })).toBe(2);
  });

  it('observes bind latency by outcome', async () => {
    const { metrics } = scenario();
    metrics.observeBind(0.004, 'success');
    metrics.observeBind(0.02, 'success');
    metrics.observeBind(2, 'failure');
    metrics.observeBind(0.01, 'conflict');
    const e = await scrape(metrics);
    expect(valueOf(e, `${N.bindLatency}_count`, { outcome: 'success' })).toBe(2);
    expect(valueOf(e, `${N.bindLatency}_bucket`, { outcome: 'success', le: '0.005' })).toBe(1);
    expect(valueOf(e, `${N.bindLatency}_count`, { outcome: 'failure' })).toBe(1);
    expect(valueOf(e, `${N.bindLatency}_bucket`, { outcome: 'failure', le: '1' })).toBe(0);
    expect(valueOf(e, `${N.bindLatency}_count`, { outcome: 'conflict' })).toBe(1);
  });

  it('ignores numbers that are not durations rather than failing the loop that reports them', async () => {
    const { metrics } = scenario();
    metrics.observeCycle(Number.NaN, 3);
    metrics.observeCycle(-1, 3);
    metrics.observeBind(Number.POSITIVE_INFINITY, 'success');
    const e = await scrape(metrics);
    expect(valueOf(e, `${N.schedulingLatency}_count`)).toBe(0);
    expect(valueOf(e, N.allocationAttempts, { state: 'allocated' })).toBe(0);
    expect(valueOf(e, `${N.bindLatency}_count`, { outcome: 'success' })).toBe(0);
  });

  it.each([
    { name: 'cycle', buckets: CYCLE_BUCKETS_SECONDS, least: 0.0001, most: 5 },
    { name: 'bind', buckets: BIND_BUCKETS_SECONDS, least: 0.001, most: 30 },
  ])('$name buckets are increasing seconds from $least to $most', ({ buckets, least, most }) => {
    expect(buckets[0]).toBe(least);
    expect(buckets[buckets.length - 1]).toBe(most);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i] ?? 0).toBeGreaterThan(buckets[i - 1] ?? 0);
  });
});

describe('pods the scheduler asked to remove', () => {
  it('counts preemption victims and released placeholders by kind, every kind from zero', async () => {
    const h = harness(OPEN('          - {name: a, resources: {guaranteed: {vcore: 2}}}\n          - {name: b, resources: {guaranteed: {vcore: 2}}}\n'));
    h.node('n1', 4, 8);
    const metrics = createSchedulerMetrics({ scheduler: h.s });
    let e = await scrape(metrics);
    expect(e.types.get(N.releases)).toBe('counter');
    for (const kind of ['Preempted', 'PlaceholderTimeout', 'PlaceholderUnused', 'GangFailed', 'GangAbandoned', 'ApplicationGone']) expect(valueOf(e, N.releases, { partition: 'default', kind })).toBe(0);
    h.app('busy', 'root.b');
    for (let i = 0; i < 4; i++) h.ask(`b${i}`, 'busy', { vcore: 1000 });
    h.s.schedule();
    h.app('urgent', 'root.a');
    h.ask('u', 'urgent', { vcore: 2000 });
    h.clock.ms += 31_000;
    h.s.schedule();
    // a stray placeholder of an application without task groups is refused at once
    h.askWith('stray', 'busy', { vcore: 100 }, { placeholder: true, taskGroup: 'x' });
    e = await scrape(metrics);
    expect(valueOf(e, N.releases, { partition: 'default', kind: 'Preempted' })).toBe(2);
    expect(valueOf(e, N.releases, { partition: 'default', kind: 'GangAbandoned' })).toBe(1);
    // scraping again does not count twice
    e = await scrape(metrics);
    expect(valueOf(e, N.releases, { partition: 'default', kind: 'Preempted' })).toBe(2);
  });
});

describe('the registry', () => {
  it('serves the process metrics with the drover_ prefix', async () => {
    const { metrics } = scenario();
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const e = await scrape(metrics);
    expect(e.types.get('drover_process_cpu_user_seconds_total')).toBe('counter');
    expect(e.types.get('drover_nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(e.types.get('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('registers in a registry it is given', () => {
    const registry = new Registry();
    const h = harness(QUEUES);
    const metrics = createSchedulerMetrics({ scheduler: h.s, registry });
    expect(metrics.registry).toBe(registry);
    expect(registry.getSingleMetric(N.queueResource)).toBeDefined();
    // a second scheduler in the same registry is a bug: its names are taken
    expect(() => createSchedulerMetrics({ scheduler: harness(QUEUES).s, registry })).toThrow(/already been registered/);
    // each scheduler has its own registry otherwise
    const other = createSchedulerMetrics({ scheduler: harness(QUEUES).s });
    expect(other.registry).not.toBe(registry);
  });

  it('leaves the process metrics of a registry that has them already', () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'drover_' });
    expect(() => createSchedulerMetrics({ scheduler: harness(QUEUES).s, registry })).not.toThrow();
  });

  it('keeps label sets small: no pod, application or node appears in any label', async () => {
    const e = await scrape(scenario().metrics);
    const values = new Set(e.samples.flatMap((s) => Object.values(s.labels)));
    for (const id of ['a1', 'a2', 'b1', 'qa', 'qb', 'n1', 'n2']) expect(values.has(id)).toBe(false);
  });

  it('documents every metric family it serves in docs/metrics.md', async () => {
    const e = await scrape(scenario().metrics);
    const docs = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const all = families(e);
    // the queue, application, node and scheduling families, and prom-client's process ones
    expect(all.length).toBeGreaterThan(40);
    for (const family of all) expect(docs.includes(`\`${family.replace(/_(vcore|memory|pods)_node_usage_total$/, '_<resource>_node_usage_total')}\``), family).toBe(true);
  });
});

/**
 * The scheduler's Prometheus metrics (`/ws/v1/metrics`, `/metrics`): one registry per scheduler, with
 *   - gauges computed at scrape time from the core's books (collect.ts): queue resources and
 *     applications, applications per state, nodes and their resources, node usage per resource;
 *   - counters and histograms the resource manager feeds (`SchedulingObserver`): scheduling attempts,
 *     the cycle's latency, the binding's latency by outcome;
 *   - the process's own metrics (prom-client's default ones).
 * Names follow YuniKorn's with `drover_` for `yunikorn_` (docs/metrics.md has the mapping), so YuniKorn's
 * Grafana dashboard works after a rename.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GaugeConfiguration } from 'prom-client';
import { RELEASE_KINDS } from '../../core/port.js';
import type { Scheduler } from '../../core/scheduler/scheduler.js';
import type { Emit } from './collect.js';
import { collectApplications, collectNodeResources, collectNodes, collectNodeUsage, collectQueueApplications, collectQueueMaxRunning, collectQueueResources, collectQueueRunning, nodeResourceNames, pendingAsks } from './collect.js';

export const METRIC_PREFIX = 'drover_';

/** The name of every metric family the scheduler serves besides the process metrics and the per-resource node usage. */
export const SCHEDULER_METRIC_NAMES = {
  queueResource: 'drover_queue_resource',
  queueApp: 'drover_queue_app',
  queueRunningApps: 'drover_queue_running_apps',
  queueMaxRunningApps: 'drover_queue_max_running_apps',
  applications: 'drover_scheduler_application_total',
  nodes: 'drover_scheduler_node',
  nodeResource: 'drover_scheduler_node_resource',
  allocationAttempts: 'drover_scheduler_container_allocation_attempt_total',
  schedulingLatency: 'drover_scheduler_scheduling_latency_seconds',
  bindLatency: 'drover_scheduler_bind_latency_seconds',
  releases: 'drover_scheduler_release_total',
} as const;

/**
 * `drover_scheduler_<resource>_node_usage_total`, YuniKorn's per-resource metric: characters a metric
 * name cannot hold become `_` (`nvidia.com/gpu` -> `nvidia_com_gpu`), as YuniKorn does.
 */
export function nodeUsageMetricName(resource: string): string {
  return `${METRIC_PREFIX}scheduler_${resource.replace(/[^a-zA-Z0-9_:]/g, '_')}_node_usage_total`;
}

/**
 * A cycle takes well under a millisecond when little changed and up to a few tenths of a second when it
 * places tens of thousands of pods (see the core.schedule benchmarks): 100 us to 5 s.
 */
export const CYCLE_BUCKETS_SECONDS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * A binding is one API call, milliseconds when the API server is well, but it waits for the dispatcher's
 * budget (qps/burst) and is retried with backoff: 1 ms to 30 s.
 */
export const BIND_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const BIND_OUTCOMES = ['success', 'failure', 'conflict'] as const;
export type BindOutcome = (typeof BIND_OUTCOMES)[number];

export const ATTEMPT_STATES = ['allocated', 'pending'] as const;

/** What the resource manager reports about the work the core cannot see: how long cycles and bindings take. */
export interface SchedulingObserver {
  /** After each `schedule()`: its duration and the number of allocations it returned. */
  observeCycle(seconds: number, allocations: number): void;
  /** When a binding is settled: the time from the core's decision to the answer, and how it ended (409: conflict). */
  observeBind(seconds: number, outcome: BindOutcome): void;
}

export interface SchedulerMetrics extends SchedulingObserver {
  readonly registry: Registry;
  /** The Content-Type of `text()`. */
  readonly contentType: string;
  /** The exposition text of a scrape. */
  text(): Promise<string>;
}

export interface SchedulerMetricsOptions {
  readonly scheduler: Scheduler;
  /** Where to register (shared with other metrics of the process); a fresh registry by default. */
  readonly registry?: Registry;
}

/**
 * A gauge whose series are computed from the core when it is scraped, straight into the answer: no
 * series are kept between scrapes (those that went away are simply not there), and none of prom-client's
 * per-series bookkeeping (label checks and hashing in `set`) is paid for thousands of queue series.
 */
class ScrapeGauge extends Gauge {
  constructor(
    config: GaugeConfiguration<string>,
    private readonly fill: (emit: Emit) => void,
  ) {
    super(config);
  }

  override async get(): ReturnType<Gauge['get']> {
    const answer = await super.get();
    const values: typeof answer.values = [];
    this.fill((labels, value) => values.push({ labels, value }));
    return { ...answer, values };
  }
}

function scrapeGauge(registry: Registry, name: string, help: string, labelNames: readonly string[], fill: (emit: Emit) => void): Gauge {
  return new ScrapeGauge({ name, help, labelNames, registers: [registry] }, fill);
}

const valid = (seconds: number) => Number.isFinite(seconds) && seconds >= 0;

/**
 * Register the scheduler's metrics. Each call registers its own metrics, so two calls on one registry are
 * a bug (prom-client throws on the duplicate name); the process metrics are registered once per registry.
 */
export function createSchedulerMetrics(o: SchedulerMetricsOptions): SchedulerMetrics {
  const registry = o.registry ?? new Registry();
  const partitions = () => o.scheduler.partitions();
  const N = SCHEDULER_METRIC_NAMES;

  // YuniKorn names one node usage metric per resource type; one is registered for each type
  // some node has, when a scrape first sees it (text() looks before it collects).
  const usageGauges = new Set<string>();
  const syncUsageGauges = () => {
    for (const resource of nodeResourceNames(partitions())) {
      if (usageGauges.has(resource)) continue;
      const name = nodeUsageMetricName(resource);
      // Two types that read the same as a metric name (a.b and a_b): the first keeps it.
      if (registry.getSingleMetric(name) !== undefined) continue;
      scrapeGauge(registry, name, `Nodes by the share of their ${resource} allocated by drover, in tenths.`, ['partition', 'range'], (emit) => collectNodeUsage(partitions(), resource, emit));
      usageGauges.add(resource);
    }
  };
  syncUsageGauges();

  scrapeGauge(registry, N.queueResource, 'Queue resources by state: guaranteed, max (the root: the cluster), allocated and pending, in base units (vcore in millicores, memory in bytes).', ['partition', 'queue', 'state', 'resource'], (emit) => collectQueueResources(partitions(), emit));
  scrapeGauge(registry, N.queueApp, 'Applications per state on the leaf queue they were placed in.', ['partition', 'queue', 'state'], (emit) => collectQueueApplications(partitions(), emit));
  scrapeGauge(registry, N.queueRunningApps, 'Applications in Running in the queue and below it (what maxapplications limits).', ['partition', 'queue'], (emit) => collectQueueRunning(partitions(), emit));
  scrapeGauge(registry, N.queueMaxRunningApps, 'The maxapplications of queues that set one.', ['partition', 'queue'], (emit) => collectQueueMaxRunning(partitions(), emit));
  scrapeGauge(registry, N.applications, 'Applications per state in the partition.', ['partition', 'state'], (emit) => collectApplications(partitions(), emit));
  scrapeGauge(registry, N.nodes, 'Nodes: active (all known), schedulable (of those, not cordoned and Ready).', ['partition', 'state'], (emit) => collectNodes(partitions(), emit));
  scrapeGauge(registry, N.nodeResource, "Node resources summed over the partition: capacity, allocated by drover, occupied by other schedulers' pods, available on schedulable nodes.", ['partition', 'state', 'resource'], (emit) => {
    syncUsageGauges();
    collectNodeResources(partitions(), emit);
  });

  // Counted by the core as it asks; read at scrape time, so a counter that never decreases.
  new Counter({
    name: N.releases,
    help: 'Pods the scheduler asked to remove, by kind: Preempted (preemption victims), PlaceholderTimeout, PlaceholderUnused, GangFailed, GangAbandoned, ApplicationGone (gang placeholders).',
    labelNames: ['partition', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of partitions()) for (const kind of RELEASE_KINDS) this.inc({ partition: p.name, kind }, p.releases[kind]);
    },
  });
  const attempts = new Counter({ name: N.allocationAttempts, help: 'Scheduling attempts by result: allocated, or pending (an ask still waiting after a cycle; each cycle counts each waiting ask once).', labelNames: ['state'], registers: [registry] });
  for (const state of ATTEMPT_STATES) attempts.inc({ state }, 0);
  const cycle = new Histogram({ name: N.schedulingLatency, help: 'Duration of a scheduling cycle, in seconds.', buckets: [...CYCLE_BUCKETS_SECONDS], registers: [registry] });
  const bind = new Histogram({ name: N.bindLatency, help: "Time from the core's decision to the binding's answer, in seconds, by outcome.", labelNames: ['outcome'], buckets: [...BIND_BUCKETS_SECONDS], registers: [registry] });
  for (const outcome of BIND_OUTCOMES) bind.zero({ outcome });

  if (registry.getSingleMetric(`${METRIC_PREFIX}process_cpu_user_seconds_total`) === undefined) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  return {
    registry,
    contentType: registry.contentType,
    text: () => {
      syncUsageGauges();
      return registry.metrics();
    },
    observeCycle(seconds, allocations) {
      // A bad number is the caller's bug; a metric is not worth crashing the scheduling loop for.
      if (!valid(seconds) || !valid(allocations)) return;
      cycle.observe(seconds);
      attempts.inc({ state: 'allocated' }, allocations);
      attempts.inc({ state: 'pending' }, pendingAsks(partitions()));
    },
    observeBind(seconds, outcome) {
      if (!valid(seconds)) return;
      bind.observe({ outcome }, seconds);
    },
  };
}

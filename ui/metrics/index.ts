/**
 * The scheduler's Prometheus metrics, for the REST server to mount at `/ws/v1/metrics` and `/metrics`:
 * `createSchedulerMetrics({ scheduler })`, then serve `text()` with `contentType`. The resource manager
 * reports cycles and bindings through `SchedulingObserver`. Every metric: docs/metrics.md.
 */
export { ATTEMPT_STATES, BIND_BUCKETS_SECONDS, BIND_OUTCOMES, createSchedulerMetrics, CYCLE_BUCKETS_SECONDS, METRIC_PREFIX, nodeUsageMetricName, SCHEDULER_METRIC_NAMES } from './scheduler-metrics.js';
export type { BindOutcome, SchedulerMetrics, SchedulerMetricsOptions, SchedulingObserver } from './scheduler-metrics.js';
export { ALWAYS_REPORTED, NODE_RESOURCE_STATES, QUEUE_RESOURCE_STATES, STATE_LABEL, USAGE_RANGES } from './collect.js';

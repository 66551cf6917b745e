/**
 * The webhook's Prometheus metrics, served at `GET /metrics` on its HTTPS port: admission requests by
 * operation, kind and outcome, and their latency. Label values come from closed sets (an unknown kind is
 * `other`), so a client sending odd reviews cannot grow the number of series.
 *
 *   outcome   mutated    allowed with a patch
 *             unchanged  allowed without one (not drover's, or nothing to write; every accepted ConfigMap)
 *             denied     refused by the decision or by the configuration check
 *             error      not answered with a decision: a body that is not an AdmissionReview, a bad
 *                        media type or size, a bug (4xx and 5xx answers, and malformed requests)
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { WORKLOAD_TEMPLATES } from '../admission/index.js';
import { OPERATIONS } from './review.js';

export const ADMISSION_METRIC_NAMES = {
  requests: 'drover_admission_requests_total',
  latency: 'drover_admission_request_duration_seconds',
} as const;

export const ADMISSION_OUTCOMES = ['mutated', 'unchanged', 'denied', 'error'] as const;
export type AdmissionOutcome = (typeof ADMISSION_OUTCOMES)[number];

/** The kinds that get their own label value: those the webhook handles. */
export const ADMISSION_KINDS: ReadonlySet<string> = new Set(['Pod', 'ConfigMap', ...Object.keys(WORKLOAD_TEMPLATES)]);

/** What one admission request was, as labels: `unknown` where the review could not be read. */
export interface AdmissionLabels {
  readonly operation: string;
  readonly kind: string;
  readonly outcome: AdmissionOutcome;
}

/**
 * The webhook answers in about a millisecond (see the webhook.admission benchmark); checking a large
 * queues.yaml takes tens of milliseconds; the API server waits 10 s by default: 0.5 ms to 10 s.
 */
export const ADMISSION_BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface AdmissionMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  text(): Promise<string>;
  /** One admission request answered, `seconds` after it arrived. */
  observe(labels: AdmissionLabels, seconds: number): void;
}

/** request.kind.kind as a label value: a handled kind, `other`, or `unknown` when there was none. */
export function kindLabel(kind: string | null): string {
  if (kind === null) return 'unknown';
  return ADMISSION_KINDS.has(kind) ? kind : 'other';
}

/** request.operation as a label value. */
export function operationLabel(operation: string | null): string {
  return operation !== null && (OPERATIONS as readonly string[]).includes(operation) ? operation : 'unknown';
}

/** Register the admission metrics in `registry` (a fresh one by default). */
export function createAdmissionMetrics(registry: Registry = new Registry()): AdmissionMetrics {
  const requests = new Counter({ name: ADMISSION_METRIC_NAMES.requests, help: 'Admission requests by operation, kind and outcome (mutated, unchanged, denied, error).', labelNames: ['operation', 'kind', 'outcome'], registers: [registry] });
  const latency = new Histogram({ name: ADMISSION_METRIC_NAMES.latency, help: 'Time to answer an admission request, in seconds, by kind.', labelNames: ['kind'], buckets: [...ADMISSION_BUCKETS_SECONDS], registers: [registry] });
  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    observe(labels, seconds) {
      requests.inc({ operation: labels.operation, kind: labels.kind, outcome: labels.outcome });
      if (Number.isFinite(seconds) && seconds >= 0) latency.observe({ kind: labels.kind }, seconds);
    },
  };
}

/**
 * `/mutate`: route a checked AdmissionRequest to the pure decision (pods to decidePod, workloads to
 * decideWorkload) and turn the decision into a response answer. Namespaces and PriorityClasses come
 * from lookups the caller injects; until the shim's informers provide them, the server knows the
 * namespace by name only (its annotations read as unset) and no PriorityClass (allow-preemption
 * defaults to "true", as YuniKorn's cache does for an unknown class).
 */
import { admissionOutcome, decidePod, decideWorkload } from '../admission/index.js';
import type { AdmissionSettings, NamespaceInput, PodDecision, PriorityClassInput, WorkloadDecision } from '../admission/index.js';
import type { AdmissionRequest, ReviewAnswer } from './review.js';

export interface ClusterLookups {
  /** The namespace object by name, when known (for its enableYuniKorn / generateAppId annotations). */
  readonly namespace: (name: string) => NamespaceInput | null;
  /** The PriorityClass by name, when known. */
  readonly priorityClass: (name: string) => PriorityClassInput | null;
}

export const NO_LOOKUPS: ClusterLookups = { namespace: () => null, priorityClass: () => null };

/** The answer, and what the log records about it. */
export interface MutateResult {
  readonly answer: ReviewAnswer;
  /** The decision's code (a skip or deny code), 'mutate', or why nothing was decided. */
  readonly code: string;
}

const WORKLOAD_GROUPS: ReadonlySet<string> = new Set(['apps', 'batch']);

export function mutate(request: AdmissionRequest, settings: AdmissionSettings, lookups: ClusterLookups): MutateResult {
  const { operation, kind } = request;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return { answer: { allowed: true }, code: 'operation-not-handled' };
  if (kind.group === '' && kind.kind === 'Pod') {
    const namespace = namespaceOf(request, lookups);
    const className = priorityClassName(request.object);
    return fromDecision(
      decidePod({
        pod: request.object,
        namespace,
        settings,
        user: request.user,
        operation,
        ...(operation === 'UPDATE' ? { oldPod: request.oldObject } : {}),
        priorityClass: className === '' ? null : lookups.priorityClass(className),
      }),
    );
  }
  if (WORKLOAD_GROUPS.has(kind.group)) {
    return fromDecision(decideWorkload({ kind: kind.kind, object: request.object, namespace: namespaceOf(request, lookups), settings, user: request.user, operation }));
  }
  return { answer: { allowed: true }, code: 'unsupported-kind' };
}

function fromDecision(decision: PodDecision | WorkloadDecision): MutateResult {
  const outcome = admissionOutcome(decision);
  const code = decision.kind === 'mutate' ? 'mutate' : decision.code;
  const statusCode = decision.kind === 'deny' && decision.code === 'malformed-object' ? 400 : 403;
  return { answer: { allowed: outcome.allowed, message: outcome.message, statusCode, patch: outcome.patch }, code };
}

/**
 * The request's namespace is authoritative (a pod created with `kubectl -n` may carry no
 * metadata.namespace); without one, the decision reads the object's own.
 */
function namespaceOf(request: AdmissionRequest, lookups: ClusterLookups): NamespaceInput | null {
  if (request.namespace === '') return null;
  return lookups.namespace(request.namespace) ?? { name: request.namespace };
}

function priorityClassName(pod: unknown): string {
  if (typeof pod !== 'object' || pod === null || !Object.hasOwn(pod, 'spec')) return '';
  const spec = (pod as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null || !Object.hasOwn(spec, 'priorityClassName')) return '';
  const name = (spec as { priorityClassName?: unknown }).priorityClassName;
  return typeof name === 'string' ? name : '';
}

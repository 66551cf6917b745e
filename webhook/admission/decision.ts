/**
 * The answers of the admission decision: leave the object alone (skip), change it (mutate, with the
 * JSON patch), or refuse it (deny). Every skip and denial carries a stable code from the tables below;
 * callers and tests match on codes, people read the message. `admissionOutcome` turns any answer into
 * the three fields of an AdmissionReview response.
 */
import type { AppIdSource } from './app-id.js';
import type { JsonPatchOp } from './json-patch.js';

/** Why an object is left unchanged. */
export const SKIP_CODES = {
  'own-pod': "one of drover's own pods (label app: drover)",
  'namespace-not-processed': 'the namespace is not processed (bypassNamespaces, processNamespaces, or its enableYuniKorn annotation)',
  'no-application': 'the namespace is processed but not labelled, and the object names no application id by label',
  'system-replicaset': 'a ReplicaSet created by a system user: its Deployment was already handled',
  'unsupported-kind': 'a kind the admission controller does not handle',
  'update-workload': 'an UPDATE of a workload: only pods are checked on UPDATE',
  'update-allowed': 'an UPDATE of a pod that keeps its user info annotation',
} as const;
export type SkipCode = keyof typeof SKIP_CODES;

/** Why an object is refused. */
export const DENY_CODES = {
  'user-info-not-allowed': 'the submitter set the user info annotation but is not trusted to',
  'user-info-invalid': 'the user info annotation is not readable',
  'user-info-changed': 'an UPDATE changes, adds or removes the user info annotation',
  'malformed-object': 'the object, or the namespace, is not of the shape Kubernetes gives it',
} as const;
export type DenyCode = keyof typeof DENY_CODES;

export interface Skip {
  readonly kind: 'skip';
  readonly code: SkipCode;
  readonly reason: string;
}

export interface Deny {
  readonly kind: 'deny';
  readonly code: DenyCode;
  /** Returned to the submitter as the AdmissionReview status message. */
  readonly message: string;
}

/** A pod drover takes: the scheduler name, its application and queue, and what must be written. */
export interface PodMutation {
  readonly kind: 'mutate';
  readonly schedulerName: string;
  /**
   * The pod's own schedulerName when it named another scheduler than drover or default-scheduler: it
   * is replaced all the same, as YuniKorn does. Null otherwise.
   */
  readonly replacedSchedulerName: string | null;
  /** Whether the namespace is labelled: pods naming no application get a generated id. */
  readonly labelled: boolean;
  /**
   * The application id the pod will be scheduled under, and where it comes from; null when the pod
   * names none and the namespace is not labelled (the shim then names the application).
   */
  readonly applicationId: string | null;
  readonly applicationIdSource: AppIdSource | null;
  /** The queue the pod names, or null: the placement rules choose. */
  readonly queue: string | null;
  /** The labels the pod must carry (added, replaced, or already there with this value). */
  readonly labels: Readonly<Record<string, string>>;
  /** The annotations the pod must carry (added, replaced, or already there with this value). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The RFC 6902 operations that bring the pod there; empty when nothing is missing. */
  readonly patch: readonly JsonPatchOp[];
}

/** A workload whose pods drover takes: the annotations its pod template must carry. */
export interface WorkloadMutation {
  readonly kind: 'mutate';
  readonly annotations: Readonly<Record<string, string>>;
  readonly patch: readonly JsonPatchOp[];
}

export type PodDecision = Skip | Deny | PodMutation;
export type WorkloadDecision = Skip | Deny | WorkloadMutation;

/** The fields of an AdmissionReview response a decision determines. */
export interface AdmissionOutcome {
  readonly allowed: boolean;
  /** The status message, for denials. */
  readonly message: string | null;
  /** Operations to send as a base64 JSONPatch; omit the patch when empty. */
  readonly patch: readonly JsonPatchOp[];
}

export function admissionOutcome(decision: PodDecision | WorkloadDecision): AdmissionOutcome {
  switch (decision.kind) {
    case 'skip':
      return { allowed: true, message: null, patch: [] };
    case 'deny':
      return { allowed: false, message: decision.message, patch: [] };
    case 'mutate':
      return { allowed: true, message: null, patch: decision.patch };
    default:
      return assertNever(decision);
  }
}

export function assertNever(value: never): never {
  throw new Error(`bug: unexpected decision ${JSON.stringify(value)}`);
}

export function skip(code: SkipCode, reason: string = SKIP_CODES[code]): Skip {
  return { kind: 'skip', code, reason };
}

export function deny(code: DenyCode, message: string): Deny {
  return { kind: 'deny', code, message };
}

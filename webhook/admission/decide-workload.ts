/**
 * The decision for a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) being
 * created: its pod template gets the submitting user's info annotation, so that the pods its
 * controller creates later run as that user and not as the controller. Only CREATE is handled, and
 * only the user info is written: scheduler name and labels are set on each pod as it is created.
 *
 *   1. UPDATE                                                     -> skip update-workload
 *   2. a kind without a pod template                              -> skip unsupported-kind
 *   3. a ReplicaSet created by a system user (from a Deployment)  -> skip system-replicaset
 *   4. the template must be readable                              -> deny malformed-object
 *   5. not in scope (see inScope)                                 -> skip
 *   6. user info in the template: refuse, keep, or write it       -> deny or mutate
 */
import type { WorkloadDecision } from './decision.js';
import { deny, skip } from './decision.js';
import { PatchBuilder } from './json-patch.js';
import { ANNOTATION } from './keys.js';
import type { NamespaceInput } from './namespace-filter.js';
import { inScope, readNamespace, shouldProcessNamespace } from './namespace-filter.js';
import { member, readTemplate } from './object.js';
import type { AdmissionSettings } from './settings.js';
import { matchesAny } from './settings.js';
import type { RequestUser } from './user-info.js';
import { userInfoStep } from './user-info.js';

/** Where each supported kind keeps its pod template. */
export const WORKLOAD_TEMPLATES = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
} as const satisfies Record<string, readonly string[]>;
export type WorkloadKind = keyof typeof WORKLOAD_TEMPLATES;

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return Object.hasOwn(WORKLOAD_TEMPLATES, kind);
}

export interface WorkloadInput {
  /** request.kind.kind */
  readonly kind: string;
  /** The workload as in AdmissionReview request.object (untrusted: it is checked here). */
  readonly object: unknown;
  /** The request's namespace, or null when unknown (then the object's metadata.namespace names it). */
  readonly namespace: NamespaceInput | null;
  readonly settings: AdmissionSettings;
  readonly user: RequestUser;
  readonly operation: 'CREATE' | 'UPDATE';
}

export function decideWorkload(input: WorkloadInput): WorkloadDecision {
  const { settings, kind } = input;
  if (input.operation === 'UPDATE') return skip('update-workload');
  if (!isWorkloadKind(kind)) return skip('unsupported-kind', `${kind} has no pod template drover handles`);
  // The deployment controller creates the ReplicaSets of a Deployment, which was handled when it was
  // created; touching their template would make the controller create them again and again.
  if (kind === 'ReplicaSet' && matchesAny(settings.systemUsers, input.user.username)) return skip('system-replicaset');

  const templatePath = WORKLOAD_TEMPLATES[kind];
  const template = readTemplate(input.object, templatePath);
  if (!template.ok) return deny('malformed-object', template.message);
  const ownNamespace = member(member(input.object, 'metadata'), 'namespace');
  const ns = readNamespace(input.namespace, typeof ownNamespace === 'string' ? ownNamespace : '');
  if (!ns.ok) return deny('malformed-object', ns.message);
  if (!shouldProcessNamespace(ns.value, settings)) return skip('namespace-not-processed', `namespace ${ns.value.name} is not processed`);
  if (!inScope(ns.value, template.value.labels, settings)) return skip('no-application');

  const step = userInfoStep(template.value.annotations, input.user, settings);
  if (step.kind === 'deny') return deny(step.code, step.message);
  const annotations = new Map<string, string>();
  if (step.kind === 'write') annotations.set(ANNOTATION.userInfo, step.value);
  const patch = new PatchBuilder(input.object).setEntries([...templatePath, 'metadata', 'annotations'], annotations).build();
  return { kind: 'mutate', annotations: Object.fromEntries(annotations), patch };
}

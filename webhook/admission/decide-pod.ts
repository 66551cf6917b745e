/**
 * The decision for one pod, as YuniKorn's admission controller makes it.
 *
 * CREATE, in order (the first answer wins):
 *   1. the pod must be readable                                  -> deny malformed-object
 *   2. a user info annotation set by an untrusted submitter      -> deny (checked in every namespace)
 *   3. label app: drover                                          -> skip own-pod
 *   4. namespace not processed                                    -> skip namespace-not-processed
 *   5. mutate: schedulerName; user info when absent; then
 *        labelled namespace:   application id labels (YuniKorn's, else an engine's, else generated)
 *                              and allow-preemption
 *        unlabelled namespace: ignore-application: "true"
 *
 * UPDATE: drover's pods and pods out of scope pass; the rest may not change their user info.
 */
import { findApplicationId, findQueue, planLabels } from './app-id.js';
import type { PodDecision } from './decision.js';
import { deny, skip } from './decision.js';
import { PatchBuilder } from './json-patch.js';
import { ANNOTATION, LABEL, OWN_APP_LABEL_VALUE } from './keys.js';
import type { NamespaceInput } from './namespace-filter.js';
import { inScope, readNamespace, shouldLabelNamespace, shouldProcessNamespace } from './namespace-filter.js';
import type { PodView, Read } from './object.js';
import { readPod } from './object.js';
import type { PriorityClassInput } from './preemption.js';
import { allowPreemption } from './preemption.js';
import type { AdmissionSettings } from './settings.js';
import type { RequestUser } from './user-info.js';
import { userInfoStep } from './user-info.js';

export interface PodInput {
  /** The pod as in AdmissionReview request.object (untrusted: it is checked here). */
  readonly pod: unknown;
  /** The request's namespace with its annotations, or null when unknown (then the pod's metadata.namespace names it). */
  readonly namespace: NamespaceInput | null;
  readonly settings: AdmissionSettings;
  /** The requesting user (request.userInfo). */
  readonly user: RequestUser;
  readonly operation: 'CREATE' | 'UPDATE';
  /** The pod before the update (request.oldObject); required for UPDATE. */
  readonly oldPod?: unknown;
  /** The PriorityClass named by the pod's spec.priorityClassName, when known. */
  readonly priorityClass?: PriorityClassInput | null;
}

const METADATA_LABELS = ['metadata', 'labels'] as const;
const METADATA_ANNOTATIONS = ['metadata', 'annotations'] as const;
const SCHEDULER_NAME = ['spec', 'schedulerName'] as const;
const DEFAULT_SCHEDULER = 'default-scheduler';

export function decidePod(input: PodInput): PodDecision {
  const pod = readPod(input.pod);
  if (!pod.ok) return malformed(pod);
  return input.operation === 'UPDATE' ? decideUpdate(input, pod.value) : decideCreate(input, pod.value);
}

function decideCreate(input: PodInput, pod: PodView): PodDecision {
  const { settings } = input;
  const ns = readNamespace(input.namespace, pod.namespace);
  if (!ns.ok) return malformed(ns);
  const userInfo = userInfoStep(pod.annotations, input.user, settings);
  if (userInfo.kind === 'deny') return deny(userInfo.code, userInfo.message);
  if (pod.labels.get(LABEL.app) === OWN_APP_LABEL_VALUE) return skip('own-pod');
  if (!shouldProcessNamespace(ns.value, settings)) return skip('namespace-not-processed', `namespace ${ns.value.name} is not processed`);

  const labelled = shouldLabelNamespace(ns.value, settings);
  const plan = labelled ? planLabels(pod.labels, pod.annotations, ns.value.name, settings.generateUniqueAppId, pod.uid, settings.applicationLabels) : null;
  const labels = plan?.labels ?? new Map<string, string>();
  const annotations = new Map<string, string>();
  if (userInfo.kind === 'write') annotations.set(ANNOTATION.userInfo, userInfo.value);
  if (labelled) {
    const preempt = allowPreemption(pod.annotations, pod.priorityClassName, input.priorityClass ?? null);
    if (preempt !== null) annotations.set(ANNOTATION.allowPreemption, preempt);
  } else {
    annotations.set(ANNOTATION.ignoreApplication, 'true');
  }

  const finalLabels = new Map([...pod.labels, ...labels]);
  const appId = findApplicationId(finalLabels, pod.annotations);
  // The id drover wrote itself is reported by where it came from, not as the label it now sits in.
  const written = plan === null ? null : plan.generated !== null ? 'generated' : plan.engine !== null ? 'engine-label' : null;
  const own = pod.schedulerName;
  const patch = new PatchBuilder(input.pod)
    .set(SCHEDULER_NAME, settings.schedulerName)
    .setEntries(METADATA_LABELS, labels)
    .setEntries(METADATA_ANNOTATIONS, annotations)
    .build();
  return {
    kind: 'mutate',
    schedulerName: settings.schedulerName,
    replacedSchedulerName: own === '' || own === DEFAULT_SCHEDULER || own === settings.schedulerName ? null : own,
    labelled,
    applicationId: appId?.id ?? null,
    applicationIdSource: written ?? appId?.source ?? null,
    queue: findQueue(finalLabels, pod.annotations),
    labels: Object.fromEntries(labels),
    annotations: Object.fromEntries(annotations),
    patch,
  };
}

/**
 * YuniKorn lets an UPDATE through unchanged unless the pod is in scope (see `inScope`), and then only
 * if the user info annotation is unchanged: adding, changing and removing it are all refused, whoever
 * asks and even with bypassAuth, since the scheduler has already admitted the pod as that user.
 */
function decideUpdate(input: PodInput, pod: PodView): PodDecision {
  if (input.oldPod === undefined) return deny('malformed-object', 'an UPDATE must carry the pod before the update (oldObject)');
  const old = readPod(input.oldPod, 'old pod');
  if (!old.ok) return malformed(old);
  if (pod.labels.get(LABEL.app) === OWN_APP_LABEL_VALUE) return skip('own-pod');
  const ns = readNamespace(input.namespace, pod.namespace);
  if (!ns.ok) return malformed(ns);
  if (!shouldProcessNamespace(ns.value, input.settings)) return skip('namespace-not-processed', `namespace ${ns.value.name} is not processed`);
  if (!inScope(ns.value, pod.labels, input.settings)) return skip('no-application');
  const before = old.value.annotations.get(ANNOTATION.userInfo) ?? '';
  const after = pod.annotations.get(ANNOTATION.userInfo) ?? '';
  if (before !== after) return deny('user-info-changed', 'user info annotation change is not allowed');
  return skip('update-allowed');
}

function malformed(read: Extract<Read<unknown>, { ok: false }>): PodDecision {
  return deny('malformed-object', read.message);
}

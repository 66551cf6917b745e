/**
 * What the simulator does in place of Kubernetes: admission through the webhook's own decision, the
 * shim's reading of a pod (application id, queue, user, tags for placement), and Kubernetes
 * quantities in node allocatable and pod requests.
 */

import type { UserGroup } from '../core/port.js';
import { kubeResources } from '../core/resources/kube-quantity.js';
import type { Resource } from '../core/resources/resource.js';
import { admissionSettings, ANNOTATION, decidePod, DEFAULT_SCHEDULER_NAME, findApplicationId, findEngineApplicationId, findQueue, generateApplicationId, roleOf } from '../webhook/admission/index.js';
import type { AdmissionSettings } from '../webhook/admission/index.js';
import { namespaceTags } from '../shim/namespace-tags.js';
import type { ScenarioPod } from './scenario.js';

export type AdmissionSettingsFor = AdmissionSettings;

/** A pod that opts out of being preempted (YuniKorn reads it on the pod, then on its PriorityClass). */
export const ALLOW_PREEMPTION_ANNOTATION = 'yunikorn.apache.org/allow-preemption';

/** Kubernetes' default maxPods: a node whose allocatable names no pods count takes this many. */
export const DEFAULT_MAX_PODS = 110;

export function admissionFor(raw: Readonly<Record<string, string>>): { ok: true; settings: AdmissionSettings } | { ok: false; problems: readonly { key: string; message: string }[] } {
  const r = admissionSettings(raw);
  return r.problems.length === 0 ? { ok: true, settings: r.settings } : { ok: false, problems: r.problems };
}

export function nodeCapacity(allocatable: Readonly<Record<string, unknown>>): Resource {
  const { resources } = kubeResources(allocatable);
  return resources.pods === undefined ? { ...resources, pods: DEFAULT_MAX_PODS } : resources;
}

/** A pod's requests, counting the pod itself as `pods: 1`. */
export function podResources(requests: Readonly<Record<string, unknown>>): Resource {
  return { ...kubeResources(requests).resources, pods: 1 };
}

export type Admitted =
  | { readonly managed: false }
  | {
      readonly managed: true;
      readonly applicationId: string;
      readonly queue: string | null;
      readonly user: UserGroup;
      readonly tags: Readonly<Record<string, string>>;
      /** The pod's role from its engine's labels (engines.ts), or null. */
      readonly role: string | null;
    };

interface NamespaceSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Admission, then the shim: is the pod drover's, and under which application, queue and user? */
export function admit(pod: ScenarioPod, ns: NamespaceSpec | null, settings: AdmissionSettings): Admitted {
  const uid = pod.name;
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, uid, labels: pod.labels, annotations: pod.annotations },
    spec: { ...(pod.schedulerName === null ? {} : { schedulerName: pod.schedulerName }), priority: pod.priority },
  };
  const decision = decidePod({
    pod: object,
    namespace: ns === null ? { name: pod.namespace } : { name: ns.name, labels: ns.labels, annotations: ns.annotations },
    settings,
    user: { username: pod.user, groups: pod.groups },
    operation: 'CREATE',
  });
  let labels = pod.labels;
  let annotations = pod.annotations;
  if (decision.kind === 'deny') return { managed: false };
  if (decision.kind === 'mutate') {
    labels = { ...labels, ...decision.labels };
    annotations = { ...annotations, ...decision.annotations };
  } else if ((pod.schedulerName ?? '') !== (settings.schedulerName || DEFAULT_SCHEDULER_NAME)) {
    return { managed: false };
  }
  // The shim: the application id from the labels and annotations, else from an engine's label, else
  // generated, as admission would (a pod of an unlabelled namespace is grouped by its engine too).
  const labelMap = new Map(Object.entries(labels));
  const annotationMap = new Map(Object.entries(annotations));
  const applicationId =
    findApplicationId(labelMap, annotationMap)?.id ??
    findEngineApplicationId(labelMap, pod.namespace, settings.applicationLabels) ??
    generateApplicationId(pod.namespace, settings.generateUniqueAppId, uid);
  const tags = namespaceTags(pod.namespace, ns);
  return { managed: true, applicationId, queue: findQueue(labelMap, annotationMap), user: userOf(annotations[ANNOTATION.userInfo], pod), tags, role: roleOf(labelMap) };
}

function userOf(info: string | undefined, pod: ScenarioPod): UserGroup {
  if (info !== undefined) {
    try {
      const v = JSON.parse(info) as { user?: unknown; groups?: unknown };
      if (typeof v.user === 'string') {
        return { user: v.user, groups: Array.isArray(v.groups) ? v.groups.filter((g): g is string => typeof g === 'string') : [] };
      }
    } catch {
      // an unreadable annotation: the requesting user, as admission saw them
    }
  }
  return { user: pod.user, groups: pod.groups };
}


/**
 * What the simulator does in place of Kubernetes: admission through the webhook's own decision, the
 * shim's reading of a pod (application id, queue, user, tags for placement), and Kubernetes
 * quantities in node allocatable and pod requests.
 */

import { APP_TAGS } from '../core/port.js';
import type { UserGroup } from '../core/port.js';
import { kubeResources } from '../core/resources/kube-quantity.js';
import type { Resource } from '../core/resources/resource.js';
import { admissionSettings, ANNOTATION, decidePod, DEFAULT_SCHEDULER_NAME, findApplicationId, findQueue, generateApplicationId } from '../webhook/admission/index.js';
import type { AdmissionSettings } from '../webhook/admission/index.js';
import type { ScenarioPod } from './scenario.js';

export type AdmissionSettingsFor = AdmissionSettings;

/** Namespace annotations the shim turns into application tags (YuniKorn's names). */
export const NAMESPACE_TAG_ANNOTATIONS = {
  parentQueue: 'yunikorn.apache.org/parentqueue',
  quota: 'yunikorn.apache.org/namespace.quota',
  guaranteed: 'yunikorn.apache.org/namespace.guaranteed',
  maxApps: 'yunikorn.apache.org/namespace.maxApps',
  legacyMaxCpu: 'yunikorn.apache.org/namespace.max.cpu',
  legacyMaxMemory: 'yunikorn.apache.org/namespace.max.memory',
} as const;

/** A namespace quota annotation (`{"cpu": "2", "memory": "4Gi"}`) as a tag in base units; null if unreadable. */
function quotaTag(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    return JSON.stringify(kubeResources(v as Record<string, unknown>).resources);
  } catch {
    return null;
  }
}

/** The application tags of a pod in `ns`: its namespace, and the namespace's parent queue and quotas. */
export function namespaceTags(namespace: string, ns: NamespaceSpec | null): Record<string, string> {
  const tags: Record<string, string> = { [APP_TAGS.namespace]: namespace };
  const a = ns?.annotations ?? {};
  const parent = a[NAMESPACE_TAG_ANNOTATIONS.parentQueue];
  if (parent !== undefined && parent !== '') tags[APP_TAGS.parentQueue] = parent;
  const legacy: Record<string, string> = {};
  if (a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxCpu] !== undefined) legacy.cpu = a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxCpu] ?? '';
  if (a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxMemory] !== undefined) legacy.memory = a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxMemory] ?? '';
  const quota = quotaTag(a[NAMESPACE_TAG_ANNOTATIONS.quota]) ?? (Object.keys(legacy).length > 0 ? quotaTag(JSON.stringify(legacy)) : null);
  if (quota !== null) tags[APP_TAGS.quota] = quota;
  const guaranteed = quotaTag(a[NAMESPACE_TAG_ANNOTATIONS.guaranteed]);
  if (guaranteed !== null) tags[APP_TAGS.guaranteed] = guaranteed;
  const maxApps = a[NAMESPACE_TAG_ANNOTATIONS.maxApps];
  if (maxApps !== undefined && /^[0-9]+$/.test(maxApps)) tags[APP_TAGS.maxApps] = maxApps;
  return tags;
}
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
  | { readonly managed: true; readonly applicationId: string; readonly queue: string | null; readonly user: UserGroup; readonly tags: Readonly<Record<string, string>> };

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
  // The shim: the application id from the labels and annotations, else generated as admission would.
  const found = findApplicationId(new Map(Object.entries(labels)), new Map(Object.entries(annotations)));
  const applicationId = found?.id ?? generateApplicationId(pod.namespace, settings.generateUniqueAppId, uid);
  const tags = namespaceTags(pod.namespace, ns);
  return { managed: true, applicationId, queue: findQueue(new Map(Object.entries(labels)), new Map(Object.entries(annotations))), user: userOf(annotations[ANNOTATION.userInfo], pod), tags };
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


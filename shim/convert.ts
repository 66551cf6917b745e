/**
 * Kubernetes objects into the core's messages, in one place: nodes into NodeInfo, pods into an
 * application (id, queue, user, placement tags) and an ask (resources as Kubernetes counts them, the
 * role, the task group, placeholder or not, originator or not, preemptable or not). The gang of an
 * application is read by gang/task-groups.ts. Read defensively: an object from the API is checked,
 * never trusted with `!`.
 */
import type { V1Node, V1Pod, V1PriorityClass } from '@kubernetes/client-node';
import { APP_TAGS, asAllocationKey, asApplicationId, asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, ApplicationInfo, AskInfo, NodeInfo, UserGroup } from '../core/port.js';
import { kubeResources } from '../core/resources/kube-quantity.js';
import { addInPlace } from '../core/resources/resource.js';
import type { MutableResource, Resource } from '../core/resources/resource.js';
import { ANNOTATION, DEFAULT_APPLICATION_LABELS, findApplicationId, findEngineApplicationId, findQueue, generateApplicationId, LABEL, roleOf, UNIQUE_AUTO_GEN_SUFFIX } from '../webhook/admission/index.js';
import type { ApplicationLabel } from '../webhook/admission/index.js';
import { allowPreemption } from '../webhook/admission/preemption.js';
import { isPlaceholder, taskGroupName } from './gang/task-groups.js';

const map = (m: Record<string, string> | undefined): ReadonlyMap<string, string> => new Map(Object.entries(m ?? {}));

export function nodeInfo(node: V1Node): NodeInfo {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const { resources } = kubeResources((node.status?.allocatable ?? {}));
  return {
    nodeId: asNodeId(node.metadata?.name ?? ''),
    capacity: resources,
    schedulable: ready && node.spec?.unschedulable !== true,
    labels: node.metadata?.labels ?? {},
  };
}

/** The key of a pod's ask and allocation: its uid, else namespace/name. */
export function podKey(pod: V1Pod): AllocationKey {
  return asAllocationKey(pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
}

/**
 * A pod's request as the kube-scheduler counts it (component-helpers' PodRequests): the sum of its
 * containers' requests; sidecars (init containers with `restartPolicy: Always`) run alongside them and
 * add to that sum, and to every init container that starts after them; the largest of those init
 * steps if larger (they run one at a time); pod-level `spec.resources.requests` in place of the
 * containers' sum for the resources they name; plus the pod overhead, plus the pod itself.
 */
export function podResources(pod: V1Pod): Resource {
  const requests = (r: { requests?: Record<string, string> } | undefined) => kubeResources(r?.requests ?? {}).resources;
  const sum: MutableResource = {};
  for (const c of pod.spec?.containers ?? []) addInPlace(sum, requests(c.resources));
  const sidecars: MutableResource = {};
  const initPeak: MutableResource = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const r = requests(c.resources);
    let step: MutableResource;
    if (c.restartPolicy === 'Always') {
      addInPlace(sum, r);
      addInPlace(sidecars, r);
      step = { ...sidecars };
    } else {
      step = { ...sidecars };
      addInPlace(step, r);
    }
    for (const [k, v] of Object.entries(step)) if (v > (initPeak[k] ?? 0)) initPeak[k] = v;
  }
  for (const [k, v] of Object.entries(initPeak)) if (v > (sum[k] ?? 0)) sum[k] = v;
  for (const [k, v] of Object.entries(requests((pod.spec as { resources?: { requests?: Record<string, string> } } | undefined)?.resources))) sum[k] = v;
  addInPlace(sum, kubeResources(pod.spec?.overhead ?? {}).resources);
  sum.pods = (sum.pods ?? 0) + 1;
  return sum;
}

function userOf(pod: V1Pod): UserGroup {
  const info = pod.metadata?.annotations?.[ANNOTATION.userInfo];
  if (info !== undefined) {
    try {
      const v = JSON.parse(info) as { user?: unknown; groups?: unknown };
      if (typeof v.user === 'string') return { user: v.user, groups: Array.isArray(v.groups) ? v.groups.filter((g): g is string => typeof g === 'string') : [] };
    } catch {
      // unreadable: the pod is attributed to nobody below
    }
  }
  return { user: 'nobody', groups: [] };
}

/**
 * The application of a pod; `tags` are its namespace's (see namespace-tags.ts). The id as admission
 * would write it: YuniKorn's places first, then an engine's label (`applicationLabels`, the engines'
 * defaults unless given), then generated; so a pod whose webhook was bypassed is grouped the same way.
 */
export function applicationOf(pod: V1Pod, tags: Readonly<Record<string, string>>, applicationLabels: readonly ApplicationLabel[] = DEFAULT_APPLICATION_LABELS): ApplicationInfo {
  const labels = map(pod.metadata?.labels);
  const annotations = map(pod.metadata?.annotations);
  const namespace = pod.metadata?.namespace ?? 'default';
  const found = findApplicationId(labels, annotations)?.id ?? findEngineApplicationId(labels, namespace, applicationLabels) ?? undefined;
  const uid = pod.metadata?.uid ?? '';
  // Admission could not know the uid of a pod it made unique: `<ns>-uniqueautogen` stands for it.
  const id = found === undefined ? generateApplicationId(namespace, false, uid) : found.endsWith(UNIQUE_AUTO_GEN_SUFFIX) && uid !== '' ? generateApplicationId(namespace, true, uid) : found;
  const queue = findQueue(labels, annotations);
  return { applicationId: asApplicationId(id), user: userOf(pod), tags: { ...tags, [APP_TAGS.namespace]: namespace }, ...(queue === null ? {} : { queue }) };
}

/** What the shim knows about a pod beyond the pod itself, for its ask. */
export interface AskContext {
  /** The pod created its application (see gang/lifecycle.ts). */
  readonly originator?: boolean;
  /** The pod's PriorityClass, when it has one and the shim knows it. */
  readonly priorityClass?: V1PriorityClass;
}

/**
 * A pod's ask: its requests, priority and role; its task group and whether it is a placeholder
 * (YuniKorn's gang annotations); whether it created its application; whether it may be preempted.
 */
export function askOf(pod: V1Pod, applicationId: ApplicationId, priority: number, context: AskContext = {}): AskInfo {
  const role = roleOf(map(pod.metadata?.labels));
  const annotations = pod.metadata?.annotations ?? {};
  const group = taskGroupName(annotations);
  const pinned = pinnedNode(pod);
  return {
    allocationKey: podKey(pod),
    applicationId,
    resource: podResources(pod),
    priority,
    ...(role === null ? {} : { role }),
    ...(group === null ? {} : { taskGroup: group }),
    ...(isPlaceholder(annotations, pod.metadata?.labels ?? {}) ? { placeholder: true } : {}),
    ...(context.originator === true ? { originator: true } : {}),
    ...(allowPreemptionOf(pod, context.priorityClass) ? {} : { allowPreemption: false }),
    ...(pod.spec?.preemptionPolicy === 'Never' ? { mayPreempt: false } : {}),
    ...(pinned === null ? {} : { requiredNode: asNodeId(pinned) }),
  };
}

/**
 * The one node a pod is pinned to, as a DaemonSet's controller pins its pods: a required node
 * affinity whose only term selects `metadata.name` In exactly one name. Null for any other pod.
 */
export function pinnedNode(pod: V1Pod): string | null {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const term = terms.length === 1 ? terms[0] : undefined;
  const byName = term?.matchFields?.filter((f) => f.key === 'metadata.name') ?? [];
  const field = byName.length === 1 ? byName[0] : undefined;
  if (field === undefined || field.operator !== 'In' || field.values?.length !== 1) return null;
  return field.values[0] ?? null;
}

/**
 * May the core preempt this pod: the pod's own `yunikorn.apache.org/allow-preemption` ("true" or
 * "false", as admission writes it), else its PriorityClass's ("false" opts out), else yes; as
 * YuniKorn's priority class cache reads it.
 */
export function allowPreemptionOf(pod: V1Pod, priorityClass: V1PriorityClass | undefined): boolean {
  const annotations = map(pod.metadata?.annotations);
  const className = pod.spec?.priorityClassName ?? '';
  const decided = allowPreemption(annotations, className, priorityClass === undefined ? null : { name: priorityClass.metadata?.name ?? '', annotations: priorityClass.metadata?.annotations });
  // null: the pod already says "true" or "false" itself.
  return (decided ?? annotations.get(ANNOTATION.allowPreemption)) !== 'false';
}

/**
 * When a pod names its application in more than one of YuniKorn's places with different values, the
 * first in YuniKorn's order wins; this says which values were passed over, for a warning.
 */
export function applicationIdConflict(pod: V1Pod): string | null {
  const labels = pod.metadata?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  const named = [
    [LABEL.appId, labels[LABEL.appId]],
    [ANNOTATION.appId, annotations[ANNOTATION.appId]],
    [LABEL.legacyAppId, labels[LABEL.legacyAppId]],
    [LABEL.sparkAppId, labels[LABEL.sparkAppId]],
  ].filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const first = named[0];
  if (first === undefined) return null;
  const others = named.filter(([, v]) => v !== first[1]);
  return others.length === 0 ? null : `the application id is ${first[1]} (from ${first[0]}); ${others.map(([k, v]) => `${k}=${v}`).join(', ')} ignored`;
}

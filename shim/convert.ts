/**
 * Kubernetes objects into the core's messages, in one place: nodes into NodeInfo, pods into an
 * application (id, queue, user, placement tags) and an ask (resources as Kubernetes counts them).
 * Read defensively: an object from the API is checked, never trusted with `!`.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { APP_TAGS, asAllocationKey, asApplicationId, asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, ApplicationInfo, AskInfo, NodeInfo, UserGroup } from '../core/port.js';
import { kubeResources } from '../core/resources/kube-quantity.js';
import { addInPlace } from '../core/resources/resource.js';
import type { MutableResource, Resource } from '../core/resources/resource.js';
import { ANNOTATION, findApplicationId, findQueue, generateApplicationId } from '../webhook/admission/index.js';

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
 * A pod's request as the kube-scheduler counts it: the sum of its containers' requests, or any init
 * container's if larger (they run one at a time), plus the pod overhead, plus the pod itself.
 */
export function podResources(pod: V1Pod): Resource {
  const sum: MutableResource = {};
  for (const c of pod.spec?.containers ?? []) addInPlace(sum, kubeResources((c.resources?.requests ?? {})).resources);
  for (const c of pod.spec?.initContainers ?? []) {
    const r = kubeResources((c.resources?.requests ?? {})).resources;
    for (const [k, v] of Object.entries(r)) if (v > (sum[k] ?? 0)) sum[k] = v;
  }
  addInPlace(sum, kubeResources((pod.spec?.overhead ?? {})).resources);
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

/** The application of a pod; `tags` are its namespace's (see namespace-tags.ts). */
export function applicationOf(pod: V1Pod, tags: Readonly<Record<string, string>>): ApplicationInfo {
  const labels = map(pod.metadata?.labels);
  const annotations = map(pod.metadata?.annotations);
  const namespace = pod.metadata?.namespace ?? 'default';
  const id = findApplicationId(labels, annotations)?.id ?? generateApplicationId(namespace, false, pod.metadata?.uid ?? '');
  const queue = findQueue(labels, annotations);
  return { applicationId: asApplicationId(id), user: userOf(pod), tags: { ...tags, [APP_TAGS.namespace]: namespace }, ...(queue === null ? {} : { queue }) };
}

export function askOf(pod: V1Pod, applicationId: ApplicationId, priority: number): AskInfo {
  return { allocationKey: podKey(pod), applicationId, resource: podResources(pod), priority };
}

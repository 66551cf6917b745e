/**
 * What the shim tells people, on the objects they look at: Kubernetes events (scheduled to which
 * node; why not, in words), the pod's PodScheduled=False condition, a rejected application's pods
 * failed with the message, a refused configuration on its ConfigMap. All of it goes through the
 * dispatcher's report lane, behind the bindings, and a failure to report is logged, never fatal.
 */
import type { CoreV1Api, V1Node, V1ObjectReference, V1Pod } from '@kubernetes/client-node';
import type { Logger, PendingReason } from '../core/port.js';
import type { Dispatcher } from './dispatcher.js';
import { podFitsNode } from './predicates.js';

export interface Reporter {
  podEvent(pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** PodScheduled=False and a matching event: `Unschedulable` only when the pod waits for capacity. */
  pending(pod: V1Pod, reason: PendingReason, nodes: Iterable<V1Node>): void;
  failPod(pod: V1Pod, reason: string, message: string): void;
  configMapEvent(namespace: string, name: string, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export function createReporter(core: CoreV1Api, dispatcher: Dispatcher, component: string, logger: Logger): Reporter {
  const warn = (what: string) => (err: unknown) => logger.warn({ error: String(err) }, what);
  const event = (involved: V1ObjectReference & { name: string; namespace: string }, type: string, reason: string, message: string): void => {
    const now = new Date();
    void dispatcher
      .submit('report', () =>
        core.createNamespacedEvent({
          namespace: involved.namespace,
          body: {
            metadata: { generateName: `${involved.name}.` },
            involvedObject: involved,
            type,
            reason,
            message,
            source: { component },
            reportingComponent: component,
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
          },
        }),
      )
      .catch(warn('could not record an event'));
  };
  const podRef = (pod: V1Pod) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? 'default',
    ...(pod.metadata?.uid === undefined ? {} : { uid: pod.metadata.uid }),
  });
  const podEvent = (pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string) => event(podRef(pod), type, reason, message);

  return {
    podEvent,
    pending(pod, reason, nodes) {
      const { name, namespace } = podRef(pod);
      const capacity = reason.code === 'InsufficientCapacity';
      const message = capacity ? `${nodeSummary(pod, nodes)}; ${reason.message}` : reason.message;
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'False', reason: capacity ? 'Unschedulable' : reason.code, message, lastTransitionTime: new Date() });
      void dispatcher
        .submit('report', () => core.patchNamespacedPodStatus({ name, namespace, body: [{ op: 'add', path: '/status/conditions', value: conditions }] }))
        .catch(warn('could not set the PodScheduled condition'));
      podEvent(pod, 'Warning', capacity ? 'FailedScheduling' : reason.code, message);
    },
    failPod(pod, reason, message) {
      const { name, namespace } = podRef(pod);
      void dispatcher
        .submit('report', () =>
          core.patchNamespacedPodStatus({
            name,
            namespace,
            body: [
              { op: 'add', path: '/status/phase', value: 'Failed' },
              { op: 'add', path: '/status/reason', value: reason },
              { op: 'add', path: '/status/message', value: message },
            ],
          }),
        )
        .catch(warn('could not fail a pod'));
      podEvent(pod, 'Warning', reason, message);
    },
    configMapEvent(namespace, name, type, reason, message) {
      event({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace }, type, reason, message);
    },
  };
}

/**
 * "0/5 nodes are available: 2 node(s) didn't match Pod's node selector (disk=ssd), 3 node(s) had no
 * room for the pod's requests", as kube-scheduler words it, from the shim's filters and node states.
 */
export function nodeSummary(pod: V1Pod, nodes: Iterable<V1Node>): string {
  const counts = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    total++;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const verdict = podFitsNode(pod, node);
    const why = node.spec?.unschedulable === true ? 'node(s) were unschedulable' : !ready ? 'node(s) were not ready' : verdict.ok ? "node(s) had no room for the pod's requests" : verdict.reason;
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([why, n]) => `${n} ${why}`);
  return `0/${total} nodes are available${parts.length === 0 ? '' : `: ${parts.join(', ')}`}`;
}

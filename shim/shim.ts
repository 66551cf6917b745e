/**
 * The shim: Kubernetes <-> core. It watches nodes and pods, tells the core about nodes, applications
 * and asks (pods whose scheduler name is drover's), runs the scheduling cycle, and binds each pod the
 * core places through the binding subresource. A bind that fails goes back to the core, and the pod
 * is asked for again, so nothing is lost or bound twice. Pods found already bound at start are
 * recovered as they are.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap, V1Node, V1Pod } from '@kubernetes/client-node';
import { DEFAULT_QUEUES_YAML } from '../core/config/index.js';
import type { DroverConfig } from '../core/config/model.js';
import { asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, Logger, PendingReason, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { addInPlace } from '../core/resources/resource.js';
import type { MutableResource, Resource } from '../core/resources/resource.js';
import { applicationOf, askOf, nodeInfo, podKey, podResources } from './convert.js';
import { watchResource } from './informer.js';
import { hostPorts, podFitsNode } from './predicates.js';
import type { Watched } from './informer.js';

export interface ShimOptions {
  readonly kubeConfig: KubeConfig;
  readonly config: DroverConfig;
  readonly logger: Logger;
  readonly schedulerName?: string;
  /** How often the scheduling cycle runs, in ms. */
  readonly intervalMs?: number;
  /**
   * Where the queues.yaml ConfigMap lives, hot-reloaded: `drover-configs` (or YuniKorn's
   * `yunikorn-configs`) in this namespace. Default: no ConfigMap, the configuration given stays.
   */
  readonly configNamespace?: string;
}

export interface RunningShim {
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

type PodState = 'pending' | 'binding' | 'bound';

/** The ConfigMaps that carry queues.yaml: drover's, and YuniKorn's name for a team that switches. */
export const CONFIG_MAP_NAMES: readonly string[] = ['drover-configs', 'yunikorn-configs'];

export async function startShim(o: ShimOptions): Promise<RunningShim> {
  const schedulerName = o.schedulerName ?? 'drover';
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const pods = new Map<AllocationKey, { pod: V1Pod; state: PodState }>();
  const apps = new Set<ApplicationId>();

  const ref = (pod: V1Pod) => ({ name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default' });
  const warn = (what: string) => (err: unknown) => o.logger.warn({ error: String(err) }, what);

  /** A Kubernetes event on the pod, as kube-scheduler records them. */
  const event = (pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string): void => {
    const { name, namespace } = ref(pod);
    const now = new Date();
    void core
      .createNamespacedEvent({
        namespace,
        body: {
          metadata: { generateName: `${name}.` },
          involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace, ...(pod.metadata?.uid === undefined ? {} : { uid: pod.metadata.uid }) },
          type,
          reason,
          message,
          source: { component: schedulerName },
          reportingComponent: schedulerName,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      })
      .catch(warn('could not record an event'));
  };

  /**
   * Why a pod waits, on the pod: the PodScheduled=False condition, with reason Unschedulable only when
   * it waits for cluster capacity (what a cluster autoscaler acts on) and the core's code otherwise
   * (QueueQuotaExceeded, UserQuotaExceeded, ...), and a FailedScheduling or quota event.
   */
  const reportPending = (key: AllocationKey, reason: PendingReason): void => {
    const entry = pods.get(key);
    if (entry === undefined || entry.state !== 'pending') return;
    const { name, namespace } = ref(entry.pod);
    const capacity = reason.code === 'InsufficientCapacity';
    const conditions = (entry.pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'False', reason: capacity ? 'Unschedulable' : reason.code, message: reason.message, lastTransitionTime: new Date() });
    void core.patchNamespacedPodStatus({ name, namespace, body: [{ op: 'add', path: '/status/conditions', value: conditions }] }).catch(warn('could not set the PodScheduled condition'));
    event(entry.pod, 'Warning', capacity ? 'FailedScheduling' : reason.code, reason.message);
  };

  /** The pods of a rejected application fail with the rejection message. */
  const failApplication = (appId: ApplicationId, message: string | null): void => {
    for (const [key, entry] of pods) {
      if (applicationOf(entry.pod).applicationId !== appId) continue;
      const { name, namespace } = ref(entry.pod);
      pods.delete(key);
      const text = `application ${appId} was rejected: ${message ?? 'no queue takes it'}`;
      void core
        .patchNamespacedPodStatus({ name, namespace, body: [{ op: 'add', path: '/status/phase', value: 'Failed' }, { op: 'add', path: '/status/reason', value: 'ApplicationRejected' }, { op: 'add', path: '/status/message', value: text }] })
        .catch(warn('could not fail the pod of a rejected application'));
      event(entry.pod, 'Warning', 'ApplicationRejected', text);
    }
  };

  const bind = (key: AllocationKey, nodeId: string): void => {
    const entry = pods.get(key);
    if (entry === undefined) return;
    entry.state = 'binding';
    const name = entry.pod.metadata?.name ?? '';
    const namespace = entry.pod.metadata?.namespace ?? 'default';
    core
      .createNamespacedPodBinding({ name, namespace, body: { metadata: { name }, target: { kind: 'Node', name: nodeId } } })
      .then(() => {
        entry.state = 'bound';
        o.logger.info({ podName: name, namespace, nodeId }, 'bound');
        event(entry.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeId}`);
      })
      .catch((err: unknown) => {
        // Give the resources back and ask again: the pod may be gone, or bound meanwhile (the informer says).
        o.logger.warn({ podName: name, namespace, nodeId, error: String(err) }, 'bind failed; the pod goes back to the queue');
        scheduler.releaseAllocation(key);
        if (pods.has(key)) {
          entry.state = 'pending';
          const app = applicationOf(entry.pod);
          scheduler.addAsk(askOf(entry.pod, app));
        }
      });
  };

  /** Host ports taken on a node by the pods drover placed there. */
  const portsOn = (nodeId: string): Set<string> => {
    const used = new Set<string>();
    for (const { pod, state } of pods.values()) if (state !== 'pending' && pod.spec?.nodeName === nodeId) for (const p of hostPorts(pod)) used.add(p);
    for (const [key, entry] of pods) if (entry.state === 'binding' && bindingTo.get(key) === nodeId) for (const p of hostPorts(entry.pod)) used.add(p);
    return used;
  };
  const bindingTo = new Map<AllocationKey, string>();

  const callback: ResourceManagerCallback = {
    allocated: (a) => {
      bindingTo.set(a.allocationKey, a.nodeId);
      bind(a.allocationKey, a.nodeId);
    },
    fits: (ask, nodeId) => {
      const pod = pods.get(ask.allocationKey)?.pod;
      const node = nodes.get(nodeId);
      if (pod === undefined || node === undefined) return false;
      return podFitsNode(pod, node, hostPorts(pod).length === 0 ? undefined : portsOn(nodeId)).ok;
    },
    applicationStateChanged: (appId, from, to, message) => {
      o.logger.debug({ appId, from, to, message }, 'application state');
      if (to === 'Rejected') queueMicrotask(() => failApplication(appId, message));
    },
    askPending: (key, reason) => reportPending(key, reason),
  };
  const scheduler = createScheduler(o.config, { clock: { now: () => Date.now() }, callback, logger: o.logger });

  const ensureApp = (pod: V1Pod, recovering: boolean) => {
    const app = applicationOf(pod);
    if (!apps.has(app.applicationId)) {
      apps.add(app.applicationId);
      scheduler.addApplication({ ...app, ...(recovering ? { recovering: true } : {}) });
    }
    return app;
  };

  // Pods of other schedulers (and static pods) take room on their node: the core counts it as occupied.
  const nodes = new Map<string, V1Node>();
  const foreign = new Map<string, Map<AllocationKey, Resource>>();
  const sendNode = (name: string, first: boolean): void => {
    const node = nodes.get(name);
    if (node === undefined) return;
    const occupied: MutableResource = {};
    for (const r of foreign.get(name)?.values() ?? []) addInPlace(occupied, r);
    const info = { ...nodeInfo(node), occupied };
    if (first) scheduler.addNode(info);
    else scheduler.updateNode(info);
  };
  const onForeignPod = (pod: V1Pod, deleted: boolean): void => {
    const key = podKey(pod);
    const node = pod.spec?.nodeName ?? '';
    const finished = deleted || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    for (const [name, onNode] of foreign) {
      if (onNode.delete(key) && name !== node) sendNode(name, false);
    }
    if (node === '' || finished) {
      sendNode(node, false);
      return;
    }
    let onNode = foreign.get(node);
    if (onNode === undefined) {
      onNode = new Map();
      foreign.set(node, onNode);
    }
    onNode.set(key, podResources(pod));
    sendNode(node, false);
  };

  const onPod = (pod: V1Pod, deleted: boolean): void => {
    if (pod.spec?.schedulerName !== schedulerName) {
      onForeignPod(pod, deleted);
      return;
    }
    const key = podKey(pod);
    const known = pods.get(key);
    const phase = pod.status?.phase;
    const finished = deleted || phase === 'Succeeded' || phase === 'Failed';
    if (finished) {
      if (known === undefined) return;
      pods.delete(key);
      if (known.state === 'pending') scheduler.removeAsk(key);
      else scheduler.releaseAllocation(key);
      return;
    }
    const node = pod.spec?.nodeName;
    if (known !== undefined) {
      known.pod = pod;
      return;
    }
    if (node !== undefined && node !== '') {
      // Bound before we saw it (a restart): book it as it is.
      const app = ensureApp(pod, true);
      pods.set(key, { pod, state: 'bound' });
      scheduler.recoverAllocation({ allocationKey: key, applicationId: app.applicationId, nodeId: asNodeId(node), resource: podResources(pod), priority: pod.spec?.priority ?? 0 });
      return;
    }
    const app = ensureApp(pod, false);
    pods.set(key, { pod, state: 'pending' });
    scheduler.addAsk(askOf(pod, app));
  };

  const watches: Watched[] = [];
  watches.push(
    await watchResource<V1Node>(o.kubeConfig, '/api/v1/nodes', () => core.listNode(), (c) => {
      const name = c.object.metadata?.name ?? '';
      if (c.type === 'delete') {
        nodes.delete(name);
        scheduler.removeNode(asNodeId(name));
        return;
      }
      nodes.set(name, c.object);
      sendNode(name, c.type === 'add');
    }, (err, retryInMs) => o.logger.warn({ error: String(err), retryInMs }, 'node watch failed; restarting')),
  );
  watches.push(
    await watchResource<V1Pod>(o.kubeConfig, '/api/v1/pods', () => core.listPodForAllNamespaces(), (c) => onPod(c.object, c.type === 'delete'), (err, retryInMs) =>
      o.logger.warn({ error: String(err), retryInMs }, 'pod watch failed; restarting'),
    ),
  );
  const configNamespace = o.configNamespace;
  if (configNamespace !== undefined) {
    // The configuration is hot-reloaded: an invalid update is refused whole and the running one stays.
    watches.push(
      await watchResource<V1ConfigMap>(o.kubeConfig, `/api/v1/namespaces/${configNamespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace: configNamespace }), (c) => {
        const name = c.object.metadata?.name ?? '';
        if (!CONFIG_MAP_NAMES.includes(name) || c.type === 'delete') return;
        const text = c.object.data?.['queues.yaml'] ?? DEFAULT_QUEUES_YAML;
        const r = scheduler.updateConfig(text);
        if (r.ok) o.logger.info({ configMap: name, checksum: scheduler.config().checksum }, 'configuration reloaded');
        else o.logger.warn({ configMap: name, issues: r.message }, 'configuration update refused; the running configuration stays');
      }),
    );
  }
  const timer = setInterval(() => scheduler.schedule(), o.intervalMs ?? 100);
  return {
    scheduler,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(watches.map((w) => w.stop()));
    },
  };
}

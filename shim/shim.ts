/**
 * The shim: Kubernetes <-> core. It watches namespaces, PriorityClasses, nodes, pods and drover's
 * ConfigMaps; tells the core about nodes, applications and asks (pods whose scheduler name is
 * drover's); runs the scheduling cycle while it leads; and binds each pod the core places through the
 * binding subresource, paced by the dispatcher. A bind that fails for good goes back to the core and
 * the pod is asked for again, so nothing is lost or bound twice. Pods found bound (at start, or by
 * another replica) are booked where they are.
 */
import { CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Binding, V1ConfigMap, V1Namespace, V1Node, V1Pod, V1PriorityClass } from '@kubernetes/client-node';
import type { DroverConfig } from '../core/config/model.js';
import { asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, Logger, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { pooledClients } from './client.js';
import { ConfigSource } from './config-watch.js';
import type { ConfigMapNames } from '../webhook/server/config-maps.js';
import { applicationIdConflict, applicationOf, askOf, podKey, podResources } from './convert.js';
import { Dispatcher, statusOf } from './dispatcher.js';
import { ForeignPods } from './foreign.js';
import { watchResource } from './informer.js';
import type { Watched } from './informer.js';
import { namespaceTags } from './namespace-tags.js';
import { hostPorts, podFitsNode } from './predicates.js';
import { createReporter } from './reporter.js';

/** What a binding attempt answers when there was nothing left to send. */
const ALREADY = Symbol('already bound');

/** A binding refused because this replica no longer leads (not retried). */
class NotLeading extends Error {
  readonly code = 412;
  constructor() {
    super('this replica no longer leads');
  }
}

export interface ShimOptions {
  readonly kubeConfig: KubeConfig;
  readonly config: DroverConfig;
  readonly logger: Logger;
  readonly schedulerName?: string;
  /** How often the scheduling cycle runs, in ms, until a ConfigMap says otherwise (default 100). */
  readonly intervalMs?: number;
  /**
   * Where drover's ConfigMaps live (defaults and user overrides, hot-reloaded). Default: no
   * ConfigMap, the configuration given stays.
   */
  readonly configNamespace?: string;
  readonly configMapNames?: ConfigMapNames;
  /** The pace of the calls to the API server until a ConfigMap says otherwise (YuniKorn: 1000/1000). */
  readonly qps?: number;
  readonly burst?: number;
  /** How long stop() lets decided bindings finish, in ms (default 5000). */
  readonly drainMs?: number;
  /** Told how long each cycle and each binding took (metrics). */
  readonly observe?: ShimObserver;
  /** Whether this replica leads (schedules and binds); default: always. */
  readonly leading?: () => boolean;
}

export interface ShimObserver {
  cycle(seconds: number, allocations: number): void;
  bind(seconds: number, outcome: 'success' | 'failure' | 'conflict'): void;
}

export interface RunningShim {
  readonly scheduler: Scheduler;
  /** Informers have listed everything once and the configuration is loaded. */
  ready(): boolean;
  stop(): Promise<void>;
}

interface Tracked {
  pod: V1Pod;
  state: 'pending' | 'binding' | 'bound';
  /** The node the core placed it on, or where it was found bound. */
  node: string | null;
}

export async function startShim(o: ShimOptions): Promise<RunningShim> {
  const schedulerName = o.schedulerName ?? 'drover';
  const leading = o.leading ?? (() => true);
  const clients = pooledClients(o.kubeConfig, { maxSockets: 64 });
  const core = clients.make(CoreV1Api);
  const dispatcher = new Dispatcher({ qps: o.qps ?? 1000, burst: o.burst ?? 1000 });
  const reporter = createReporter(core, dispatcher, schedulerName, o.logger);
  const pods = new Map<AllocationKey, Tracked>();
  const apps = new Set<ApplicationId>();
  const nodes = new Map<string, V1Node>();
  const namespaces = new Map<string, V1Namespace>();
  const priorityClasses = new Map<string, V1PriorityClass>();

  /** The pods of a rejected application fail with the rejection message. */
  const failApplication = (appId: ApplicationId, message: string | null): void => {
    for (const [key, entry] of pods) {
      if (entry.state !== 'pending' || appOf(entry.pod).applicationId !== appId) continue;
      pods.delete(key);
      reporter.failPod(entry.pod, 'ApplicationRejected', `application ${appId} was rejected: ${message ?? 'no queue takes it'}`);
    }
  };

  const bind = (key: AllocationKey, nodeId: string): void => {
    const entry = pods.get(key);
    if (entry === undefined || entry.state !== 'pending') return;
    entry.state = 'binding';
    entry.node = nodeId;
    const name = entry.pod.metadata?.name ?? '';
    const namespace = entry.pod.metadata?.namespace ?? 'default';
    const sentAt = performance.now();
    dispatcher
      .submit<typeof ALREADY | V1Binding>('bind', () => {
        // Seen bound meanwhile (an earlier attempt whose answer was lost landed): nothing to send.
        if (pods.get(key) !== entry || entry.state !== 'binding') return Promise.resolve(ALREADY);
        // A replica that lost the lead meanwhile must not bind: the call fails and the pod goes back.
        return leading() ? core.createNamespacedPodBinding({ name, namespace, body: { metadata: { name }, target: { kind: 'Node', name: nodeId } } }) : Promise.reject(new NotLeading());
      })
      .then((answer) => {
        if (answer === ALREADY) return;
        o.observe?.bind((performance.now() - sentAt) / 1000, 'success');
        if (entry.state === 'binding') entry.state = 'bound';
        o.logger.debug({ podName: name, namespace, nodeId }, 'bound');
        reporter.podEvent(entry.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeId}`);
      })
      .catch((err: unknown) => {
        // Still binding: nobody saw it bound meanwhile. Give the resources back and ask again; a 409
        // means it is bound elsewhere, which the watch reports and books.
        o.observe?.bind((performance.now() - sentAt) / 1000, statusOf(err) === 409 ? 'conflict' : 'failure');
        if (pods.get(key) !== entry || entry.state !== 'binding') return;
        o.logger.warn({ podName: name, namespace, nodeId, status: statusOf(err), error: String(err) }, 'bind failed; the pod goes back to the queue');
        scheduler.releaseAllocation(key);
        entry.state = 'pending';
        entry.node = null;
        scheduler.addAsk(askFor(entry.pod));
      });
  };

  const callback: ResourceManagerCallback = {
    allocated: (a) => bind(a.allocationKey, a.nodeId),
    fits: (ask, nodeId) => {
      const pod = pods.get(ask.allocationKey)?.pod;
      const node = nodes.get(nodeId);
      if (pod === undefined || node === undefined) return false;
      return podFitsNode(pod, node, hostPorts(pod).length === 0 ? undefined : portsOn(nodeId)).ok;
    },
    applicationStateChanged: (appId, from, to, message) => {
      o.logger.debug({ appId, from, to, message }, 'application state');
      if (to === 'Rejected' && leading()) queueMicrotask(() => failApplication(appId, message));
    },
    askPending: (key, reason) => {
      const entry = pods.get(key);
      if (entry !== undefined && entry.state === 'pending' && leading()) reporter.pending(entry.pod, reason, nodes.values());
    },
  };
  const scheduler = createScheduler(o.config, { clock: { now: () => Date.now() }, callback, logger: o.logger });
  const foreign = new ForeignPods(scheduler, nodes);

  /** Host ports taken on a node by the pods drover placed there. */
  const portsOn = (nodeId: string): Set<string> => {
    const used = new Set<string>();
    for (const { pod, state, node } of pods.values()) if (state !== 'pending' && node === nodeId) for (const p of hostPorts(pod)) used.add(p);
    return used;
  };

  const appOf = (pod: V1Pod) => {
    const ns = pod.metadata?.namespace ?? 'default';
    return applicationOf(pod, namespaceTags(ns, namespaces.get(ns)?.metadata ?? null), config.applicationLabels);
  };
  /** The pod's priority; the PriorityClass's when the API server did not resolve it. */
  const askFor = (pod: V1Pod) => {
    const className = pod.spec?.priorityClassName;
    const fromClass = className === undefined ? undefined : priorityClasses.get(className)?.value;
    const fallback = fromClass ?? [...priorityClasses.values()].find((c) => c.globalDefault === true)?.value ?? 0;
    return askOf(pod, appOf(pod).applicationId, pod.spec?.priority ?? fallback);
  };
  const ensureApp = (pod: V1Pod, recovering: boolean) => {
    const app = appOf(pod);
    if (!apps.has(app.applicationId)) {
      apps.add(app.applicationId);
      scheduler.addApplication({ ...app, ...(recovering ? { recovering: true } : {}) });
    }
    return app;
  };
  /** Book a pod bound to `node` (found so at start, or bound by another replica). */
  const book = (key: AllocationKey, pod: V1Pod, node: string, recovering: boolean): void => {
    const app = ensureApp(pod, recovering);
    pods.set(key, { pod, state: 'bound', node });
    const { priority, role } = askFor(pod);
    scheduler.recoverAllocation({ allocationKey: key, applicationId: app.applicationId, nodeId: asNodeId(node), resource: podResources(pod), priority, ...(role === undefined ? {} : { role }) });
  };

  const onPod = (pod: V1Pod, deleted: boolean): void => {
    if (pod.spec?.schedulerName !== schedulerName) {
      foreign.change(pod, deleted);
      return;
    }
    const key = podKey(pod);
    const known = pods.get(key);
    const phase = pod.status?.phase;
    if (deleted || phase === 'Succeeded' || phase === 'Failed') {
      if (known === undefined) return;
      pods.delete(key);
      if (known.state === 'pending') scheduler.removeAsk(key);
      else scheduler.releaseAllocation(key);
      return;
    }
    const node = pod.spec?.nodeName ?? '';
    if (known === undefined) {
      const conflict = applicationIdConflict(pod);
      if (conflict !== null && node === '') {
        o.logger.warn({ podName: pod.metadata?.name, namespace: pod.metadata?.namespace, conflict }, 'the pod names its application in more than one way');
        if (leading()) reporter.podEvent(pod, 'Warning', 'ApplicationIdConflict', conflict);
      }
      if (node !== '') book(key, pod, node, true);
      else {
        ensureApp(pod, false);
        pods.set(key, { pod, state: 'pending', node: null });
        scheduler.addAsk(askFor(pod));
      }
      return;
    }
    known.pod = pod;
    if (node === '' || (known.state !== 'pending' && known.node === node)) {
      if (node !== '') known.state = 'bound';
      return;
    }
    // Bound somewhere drover did not place it (another replica, or a bind we gave up on that landed).
    if (known.state === 'pending') scheduler.removeAsk(key);
    else scheduler.releaseAllocation(key);
    book(key, pod, node, false);
  };

  const config = new ConfigSource(o, scheduler, reporter);
  const lists = { core, scheduling: clients.make(SchedulingV1Api) };
  const onError = (what: string) => (err: unknown, retryInMs: number) => o.logger.warn({ error: String(err), retryInMs }, `${what} watch failed; restarting`);
  const watches: Watched[] = [];
  const keep = <T>(map: Map<string, T>) => (c: { type: string; object: T & { metadata?: { name?: string } } }) => {
    const name = c.object.metadata?.name ?? '';
    if (c.type === 'delete') map.delete(name);
    else map.set(name, c.object);
  };
  watches.push(await watchResource<V1Namespace>(o.kubeConfig, '/api/v1/namespaces', () => lists.core.listNamespace(), keep(namespaces), onError('namespace')));
  watches.push(await watchResource<V1PriorityClass>(o.kubeConfig, '/apis/scheduling.k8s.io/v1/priorityclasses', () => lists.scheduling.listPriorityClass(), keep(priorityClasses), onError('PriorityClass')));
  if (o.configNamespace !== undefined) {
    const ns = o.configNamespace;
    watches.push(await watchResource<V1ConfigMap>(o.kubeConfig, `/api/v1/namespaces/${ns}/configmaps`, () => lists.core.listNamespacedConfigMap({ namespace: ns }), (c) => config.change(c), onError('ConfigMap')));
  }
  watches.push(
    await watchResource<V1Node>(o.kubeConfig, '/api/v1/nodes', () => lists.core.listNode(), (c) => {
      const name = c.object.metadata?.name ?? '';
      if (c.type === 'delete') {
        nodes.delete(name);
        scheduler.removeNode(asNodeId(name));
        return;
      }
      nodes.set(name, c.object);
      foreign.sendNode(name, c.type === 'add');
      // A node that comes back (deleted and created again) still has its bound pods: book them again.
      if (c.type === 'add') for (const [key, t] of pods) if (t.state === 'bound' && t.node === name) book(key, t.pod, name, false);
    }, onError('node')),
  );
  // Pods last: their namespaces, classes and nodes are known, and bound pods are booked before the first cycle.
  watches.push(await watchResource<V1Pod>(o.kubeConfig, '/api/v1/pods', () => lists.core.listPodForAllNamespaces(), (c) => onPod(c.object, c.type === 'delete'), onError('pod')));

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let wasLeading = false;
  const cycle = () => {
    if (stopped) return;
    try {
      if (leading()) {
        // Just started leading: report every waiting pod once, even if a follower's reason stands.
        if (!wasLeading) scheduler.forgetReasons();
        wasLeading = true;
        const started = performance.now();
        const made = scheduler.schedule();
        o.observe?.cycle((performance.now() - started) / 1000, made.length);
      } else {
        // A follower places nothing and reports nothing, but knows why pods wait (its REST API says so).
        wasLeading = false;
        scheduler.explain();
      }
    } catch (err) {
      // A bug, not an outcome: say so loudly, and keep scheduling the rest.
      o.logger.warn({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 'the scheduling cycle failed');
    }
    timer = setTimeout(cycle, config.service.schedulingIntervalMs);
  };
  dispatcher.reconfigure(config.service.qps, config.service.burst);
  config.onService((s) => dispatcher.reconfigure(s.qps, s.burst));
  timer = setTimeout(cycle, config.service.schedulingIntervalMs);
  return {
    scheduler,
    ready: () => !stopped,
    stop: async () => {
      // No new cycles; the bindings already decided finish (for a while), then the watches stop.
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      if (!(await dispatcher.drain(o.drainMs ?? 5_000))) o.logger.warn({ pending: dispatcher.pending }, 'stopping with calls to the API server unfinished');
      dispatcher.close();
      await Promise.all(watches.map((w) => w.stop()));
      clients.close();
    },
  };
}

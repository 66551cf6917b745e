/**
 * The shim: Kubernetes <-> core. It watches namespaces, PriorityClasses, nodes, pods and drover's
 * ConfigMaps; tells the core about nodes, applications and asks (pods whose scheduler name is
 * drover's); runs the scheduling cycle while it leads; and binds each pod the core places through the
 * binding subresource, paced by the dispatcher. A bind that fails for good goes back to the core and
 * the pod is asked for again, so nothing is lost or bound twice. Pods found bound (at start, or by
 * another replica) are booked where they are. Gangs (placeholders made, replaced, released) are
 * gang/lifecycle.ts's; pods the core takes away (placeholders, preemption victims) removal.ts's.
 */
import { CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap, V1Namespace, V1Node, V1Pod, V1PriorityClass } from '@kubernetes/client-node';
import type { DroverConfig } from '../core/config/model.js';
import { asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, Logger, ReleaseRequest, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { pooledClients } from './client.js';
import { ConfigSource } from './config-watch.js';
import type { ConfigMapNames } from '../webhook/server/config-maps.js';
import { applicationIdConflict, applicationOf, askOf, podKey } from './convert.js';
import { Dispatcher } from './dispatcher.js';
import { ForeignPods } from './foreign.js';
import { createGangs } from './gang/lifecycle.js';
import { watchResource } from './informer.js';
import type { Watched } from './informer.js';
import { namespaceTags } from './namespace-tags.js';
import { isPlaceholder } from './gang/task-groups.js';
import { hostPorts, podFitsNode } from './predicates.js';
import { createBinder } from './binding.js';
import { createRemoval } from './removal.js';
import { createReporter } from './reporter.js';
import type { Tracked } from './tracked.js';

const isPlaceholderPod = (pod: V1Pod): boolean => isPlaceholder(pod.metadata?.annotations ?? {}, pod.metadata?.labels ?? {});


/** The pod list oldest first, so that after a restart an application's first pod (its originator) is seen first. */
function oldestFirst<T extends { items: V1Pod[] }>(list: T): T {
  const time = (p: V1Pod) => (p.metadata?.creationTimestamp === undefined ? 0 : new Date(p.metadata.creationTimestamp).getTime());
  list.items.sort((a, b) => time(a) - time(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return list;
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

  /**
   * The waiting pods of a rejected or failed application fail with the message (its placeholders are
   * not failed: the core releases them and they are deleted). A gang that was not placed in time
   * (Hard style) fails as YuniKorn words it: `ResourceReservationTimeout`.
   */
  const failApplication = (appId: ApplicationId, to: 'Rejected' | 'Failing', message: string | null): void => {
    const reason = to === 'Rejected' ? 'ApplicationRejected' : gangs.hasGang(appId) ? 'ResourceReservationTimeout' : 'ApplicationFailed';
    const words = to === 'Rejected' ? `application ${appId} was rejected: ${message ?? 'no queue takes it'}` : `application ${appId} failed: ${message ?? 'no reason given'}`;
    for (const [key, entry] of pods) {
      if (entry.state !== 'pending' || entry.app !== appId || isPlaceholderPod(entry.pod)) continue;
      pods.delete(key);
      scheduler.removeAsk(key);
      reporter.failPod(entry.pod, reason, words);
    }
  };

  const binder = createBinder({
    core,
    dispatcher,
    reporter,
    logger: o.logger,
    leading,
    pods,
    removal: () => removal,
    scheduler: () => scheduler,
    askFor: (pod: V1Pod) => askFor(pod),
    ...(o.observe === undefined ? {} : { observe: o.observe }),
  });

  /** Releases the core asked for while this replica did not lead. */
  let deferredReleases: ReleaseRequest[] = [];
  const releaseNow = (r: ReleaseRequest): void => {
    if (!pods.has(r.allocationKey)) return;
    if (r.kind === 'Preempted') removal.preempt(r);
    else gangs.released(r);
  };

  const callback: ResourceManagerCallback = {
    allocated: (a) => binder.bind(a),
    fits: (ask, nodeId) => {
      const pod = pods.get(ask.allocationKey)?.pod;
      const node = nodes.get(nodeId);
      if (pod === undefined || node === undefined) return false;
      return podFitsNode(pod, node, hostPorts(pod).length === 0 ? undefined : portsOn(nodeId)).ok;
    },
    applicationStateChanged: (appId, from, to, message) => {
      o.logger.debug({ appId, from, to, message }, 'application state');
      gangs.stateChanged(appId, to);
      if ((to === 'Rejected' || to === 'Failing') && leading()) queueMicrotask(() => failApplication(appId, to, message));
    },
    release: (r) => {
      // Asked from inside the core's own calls: act once it has returned. A follower removes nothing
      // but keeps the request: its core counts on it, and acts on it if it comes to lead.
      if (leading()) queueMicrotask(() => releaseNow(r));
      else deferredReleases.push(r);
    },
    askPending: (key, reason) => {
      const entry = pods.get(key);
      if (entry !== undefined && entry.state === 'pending' && leading()) reporter.pending(entry.pod, reason, nodes.values());
    },
  };
  const scheduler = createScheduler(o.config, { clock: { now: () => Date.now() }, callback, logger: o.logger });
  const foreign = new ForeignPods(scheduler, nodes);
  const removal = createRemoval({ core, dispatcher, reporter, logger: o.logger, leading, pods, refused: (key) => scheduler.releaseRefused(key) });
  const gangs = createGangs({
    core,
    dispatcher,
    reporter,
    removal,
    logger: o.logger,
    schedulerName,
    leading,
    pods,
    image: () => config.placeholderImage,
    queueOf: (appId) => {
      for (const p of scheduler.partitions()) {
        const queue = p.apps.get(appId)?.queue;
        if (queue !== undefined && queue !== null) return queue.path;
      }
      return null;
    },
  });

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
  /** The pod's ask; its priority is the PriorityClass's when the API server did not resolve it. */
  const askFor = (pod: V1Pod) => {
    const className = pod.spec?.priorityClassName;
    const priorityClass = className === undefined ? undefined : priorityClasses.get(className);
    const fallback = priorityClass?.value ?? [...priorityClasses.values()].find((c) => c.globalDefault === true)?.value ?? 0;
    const appId = pods.get(podKey(pod))?.app ?? appOf(pod).applicationId;
    return askOf(pod, appId, pod.spec?.priority ?? fallback, { originator: gangs.isOriginator(pod, appId), ...(priorityClass === undefined ? {} : { priorityClass }) });
  };
  /** The pod's application, added to the core by its first pod (with the gang that pod declares). */
  const ensureApp = (pod: V1Pod, recovering: boolean): ApplicationId => {
    const app = appOf(pod);
    if (!apps.has(app.applicationId)) {
      apps.add(app.applicationId);
      scheduler.addApplication(gangs.newApplication(pod, { ...app, ...(recovering ? { recovering: true } : {}) }, recovering));
    }
    return app.applicationId;
  };
  /** Book a pod bound to `node` (found so at start, or bound by another replica). */
  const book = (key: AllocationKey, pod: V1Pod, node: string, recovering: boolean): void => {
    const app = ensureApp(pod, recovering);
    pods.set(key, { pod, state: 'bound', node, app });
    scheduler.recoverAllocation({ ...askFor(pod), nodeId: asNodeId(node) });
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
      removal.gone(key);
      gangs.podGone(key, known);
      return;
    }
    const node = pod.spec?.nodeName ?? '';
    if (known === undefined) {
      const conflict = applicationIdConflict(pod);
      if (conflict !== null && node === '' && !isPlaceholderPod(pod)) {
        o.logger.warn({ podName: pod.metadata?.name, namespace: pod.metadata?.namespace, conflict }, 'the pod names its application in more than one way');
        if (leading()) reporter.podEvent(pod, 'Warning', 'ApplicationIdConflict', conflict);
      }
      if (node !== '') book(key, pod, node, true);
      else {
        const app = ensureApp(pod, false);
        pods.set(key, { pod, state: 'pending', node: null, app });
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
  watches.push(await watchResource<V1Pod>(o.kubeConfig, '/api/v1/pods', () => lists.core.listPodForAllNamespaces().then(oldestFirst), (c) => onPod(c.object, c.type === 'delete'), onError('pod')));

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
        for (const r of deferredReleases.splice(0)) releaseNow(r);
        gangs.reconcile(true);
        const started = performance.now();
        const made = scheduler.schedule();
        o.observe?.cycle((performance.now() - started) / 1000, made.length);
      } else {
        // A follower places nothing and reports nothing, but knows why pods wait (its REST API says so).
        wasLeading = false;
        // What another replica removed meanwhile needs nothing from this one.
        if (deferredReleases.length > 0) deferredReleases = deferredReleases.filter((r) => pods.has(r.allocationKey));
        gangs.reconcile(false);
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
      removal.stop();
      if (!(await dispatcher.drain(o.drainMs ?? 5_000))) o.logger.warn({ pending: dispatcher.pending }, 'stopping with calls to the API server unfinished');
      dispatcher.close();
      await Promise.all(watches.map((w) => w.stop()));
      clients.close();
    },
  };
}

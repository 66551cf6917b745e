/**
 * The `ClusterLookups` of `/mutate` from the cluster: namespaces (their enableYuniKorn and
 * generateAppId annotations) and PriorityClasses (their allow-preemption annotation), watched with
 * informers and answered from memory, so that a pod admission never waits on the API server. Until
 * the first list arrives, or for an object created a moment ago, the answer is "not known": the
 * decision then reads the namespace by its name only and the class as allowing preemption, which is
 * YuniKorn's answer for an unknown class.
 */
import { CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Namespace, V1PriorityClass } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { NamespaceInput, PriorityClassInput } from '../admission/index.js';
import type { ClusterLookups } from '../server/mutate.js';
import { keepWatching } from './watch.js';

export interface ClusterCache {
  readonly lookups: ClusterLookups;
  /** Settles once both watches made their first attempt to list. */
  readonly started: Promise<void>;
  readonly size: () => { readonly namespaces: number; readonly priorityClasses: number };
  stop(): Promise<void>;
}

export function watchLookups(kubeConfig: KubeConfig, logger: Logger): ClusterCache {
  const namespaces = new Map<string, NamespaceInput>();
  const classes = new Map<string, PriorityClassInput>();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const scheduling = kubeConfig.makeApiClient(SchedulingV1Api);
  const watches = [
    keepWatching<V1Namespace>({
      kubeConfig,
      logger,
      path: '/api/v1/namespaces',
      list: () => core.listNamespace(),
      handle: (c) => {
        const name = c.object.metadata?.name;
        if (name === undefined) return;
        if (c.type === 'delete') namespaces.delete(name);
        else namespaces.set(name, { name, labels: c.object.metadata?.labels ?? {}, annotations: c.object.metadata?.annotations ?? {} });
      },
    }),
    keepWatching<V1PriorityClass>({
      kubeConfig,
      logger,
      path: '/apis/scheduling.k8s.io/v1/priorityclasses',
      list: () => scheduling.listPriorityClass(),
      handle: (c) => {
        const name = c.object.metadata?.name;
        if (name === undefined) return;
        if (c.type === 'delete') classes.delete(name);
        else classes.set(name, { name, annotations: c.object.metadata?.annotations ?? {} });
      },
    }),
  ];
  return {
    lookups: { namespace: (name) => namespaces.get(name) ?? null, priorityClass: (name) => classes.get(name) ?? null },
    started: Promise.all(watches.map((w) => w.started)).then(() => undefined),
    size: () => ({ namespaces: namespaces.size, priorityClasses: classes.size }),
    stop: async () => {
      await Promise.all(watches.map((w) => w.stop()));
    },
  };
}

/**
 * The embedded API server's raw ceiling, which later end-to-end figures are compared with: the server
 * in its own process, one client in this one, one request at a time. Pod creations and bindings per
 * second with a keep-alive HTTPS client (the server's ceiling) and with @kubernetes/client-node (what
 * the shim uses), and the watch events per second a client-node watch delivers while pods are created.
 */
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { rawClient, startTarget } from './raw-client.js';
import type { BenchResult } from './stats.js';

const PODS = 2_000;

const pod = (name: string) => ({ metadata: { name, labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'pause' }] } });

export async function benchApiServer(): Promise<BenchResult> {
  const target = await startTarget();
  try {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig({ server: target.url, caPem: target.ca, token: target.token }));
    const core = kc.makeApiClient(CoreV1Api);
    const time = async (fn: () => Promise<void>) => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start) / 1e9;
    };

    const raw = rawClient(target, 1);
    const post = (path: string, body: unknown) => raw.post(path, body);
    const bindingOf = (name: string, i: number) => ({ metadata: { name }, target: { kind: 'Node', name: `node-${i % 100}` } });
    const rawCreateSeconds = await time(async () => {
      for (let i = 0; i < PODS; i++) await post('/api/v1/namespaces/default/pods', pod(`r-${i}`));
    });
    const rawBindSeconds = await time(async () => {
      for (let i = 0; i < PODS; i++) await post(`/api/v1/namespaces/default/pods/r-${i}/binding`, bindingOf(`r-${i}`, i));
    });
    raw.close();
    const createSeconds = await time(async () => {
      for (let i = 0; i < PODS; i++) await core.createNamespacedPod({ namespace: 'default', body: pod(`p-${i}`) });
    });
    const bindSeconds = await time(async () => {
      for (let i = 0; i < PODS; i++) await core.createNamespacedPodBinding({ name: `p-${i}`, namespace: 'default', body: bindingOf(`p-${i}`, i) });
    });

    let seen = 0;
    let allSeen: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allSeen = resolve));
    const { metadata } = await core.listNamespacedPod({ namespace: 'default', limit: 1 });
    const watch = await new Watch(kc).watch('/api/v1/namespaces/default/pods', { resourceVersion: metadata?.resourceVersion ?? '' }, () => {
      if (++seen === PODS) allSeen();
    }, () => undefined);
    const watchSeconds = await time(async () => {
      for (let i = 0; i < PODS; i++) await core.createNamespacedPod({ namespace: 'default', body: pod(`w-${i}`) });
      await done;
    });
    watch.abort();

    const rate = (n: number, s: number) => Math.round(n / s);
    return {
      bench: 'apiserver.ceiling',
      pods: PODS,
      createsPerSecond: rate(PODS, rawCreateSeconds),
      bindingsPerSecond: rate(PODS, rawBindSeconds),
      clientNodeCreatesPerSecond: rate(PODS, createSeconds),
      clientNodeBindingsPerSecond: rate(PODS, bindSeconds),
      watchEventsPerSecond: rate(PODS, watchSeconds),
    };
  } finally {
    target.child.kill();
  }
}

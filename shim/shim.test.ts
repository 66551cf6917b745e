/**
 * The shim end to end against the embedded API server: pods created with drover's scheduler name are
 * placed by the core and bound through the API; simulated kubelets then run them.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApiServer } from '../apiserver/http.js';
import { mustLoad } from '../core/config/test-helpers.js';
import { asNodeId, NO_LOGGER } from '../core/port.js';
import { startShim } from './shim.js';
import type { RunningShim } from './shim.js';
import { eventually, startCluster } from './test-helpers.js';
import type { TestCluster } from './test-helpers.js';

let cluster: TestCluster;
let api: RunningApiServer;
let shim: RunningShim;
let kc: KubeConfig;
const warnings: string[] = [];
const recording = { ...NO_LOGGER, warn: (_fields: Readonly<Record<string, unknown>>, message: string) => void warnings.push(message) };

beforeAll(async () => {
  cluster = await startCluster([{ name: 'node-1', cpu: '2', memory: '8Gi' }]);
  ({ api, kc } = cluster);
  const config = mustLoad('partitions:\n  - placementrules: [{name: provided, create: true}, {name: tag, value: namespace, create: true}]\n    queues:\n      - name: root\n        submitacl: "*"\n        queues: [{name: small, resources: {max: {vcore: 1}}}]\n');
  shim = await startShim({ kubeConfig: kc, config, logger: recording, intervalMs: 20, configNamespace: 'default' });
});

afterAll(async () => {
  await shim.stop();
  await cluster.close();
});

const pod = (name: string, cpu: string, labels: Record<string, string> = {}, schedulerName = 'drover'): V1Pod => ({
  metadata: { name, labels },
  spec: { schedulerName, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu, memory: '256Mi' } } }] },
});

/** Wait until `read` returns something `ok` accepts, reading again on each pod event (no sleeping). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    // Watch from before the read, so that a change landing while it is in flight is not missed.
    const before = api.api.store.resourceVersion;
    const v = await read();
    if (ok(v)) return v;
    await new Promise<void>((resolve) => {
      // Events since `before` are replayed at once, inside watch(): stop on the first, whenever it comes.
      let stop: (() => void) | null = null;
      let fired = false;
      const watching = api.api.store.watch('/pods', { namespace: null, resourceVersion: before }, () => {
        if (fired) return;
        fired = true;
        stop?.();
        resolve();
      });
      if (watching.ok) {
        if (fired) watching.value();
        else stop = watching.value;
      }
    });
  }
}


describe('the shim', () => {
  it('marks a pod no node can hold Unschedulable, with a FailedScheduling event', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: pod('huge', '64', { applicationId: 'huge' }) });
    const p = await until(() => core.readNamespacedPod({ name: 'huge', namespace: 'default' }), (x) => (x.status?.conditions ?? []).some((c) => c.type === 'PodScheduled'));
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    const events = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=huge' });
    expect(events.items.map((e) => e.reason)).toContain('FailedScheduling');
  });

  it('asks the predicates: a node selector no node matches keeps the pod pending', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const selecting = (name: string, selector: Record<string, string>): V1Pod => ({ ...pod(name, '100m', { applicationId: name }), spec: { ...pod(name, '100m').spec, containers: pod(name, '100m').spec?.containers ?? [], nodeSelector: selector } });
    await core.createNamespacedPod({ namespace: 'default', body: selecting('nowhere', { pool: 'gpu' }) });
    await core.createNamespacedPod({ namespace: 'default', body: selecting('here', { 'kubernetes.io/hostname': 'node-1' }) });
    const here = await until(() => core.readNamespacedPod({ name: 'here', namespace: 'default' }), (p) => p.spec?.nodeName === 'node-1');
    expect(here.spec?.nodeName).toBe('node-1');
    const nowhere = await until(() => core.readNamespacedPod({ name: 'nowhere', namespace: 'default' }), (p) => (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled'));
    expect(nowhere.spec?.nodeName).toBeUndefined();
  });

  it('hot-reloads queues.yaml from its ConfigMap and keeps the running one when an update is invalid', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const queues = (text: string) => ({ metadata: { name: 'drover-configs' }, data: { 'queues.yaml': text } });
    const before = shim.scheduler.config().checksum;
    await core.createNamespacedConfigMap({ namespace: 'default', body: queues('partitions:\n  - placementrules: [{name: provided, create: true}, {name: tag, value: namespace, create: true}]\n    queues: [{name: root, submitacl: "*", queues: [{name: small, resources: {max: {vcore: 1}}}, {name: reloaded}]}]\n') });
    await eventually(() => shim.scheduler.partition('default')?.tree.get('root.reloaded'), (q) => q !== undefined);
    const reloaded = shim.scheduler.config().checksum;
    expect(reloaded).not.toBe(before);
    await core.replaceNamespacedConfigMap({ name: 'drover-configs', namespace: 'default', body: queues('partitions: [') });
    // the broken text is refused, and the running configuration stays
    await eventually(() => warnings.some((w) => w.startsWith('configuration update refused')), (v) => v);
    expect(shim.scheduler.config().checksum).toBe(reloaded);
  });

  it('counts the pods of other schedulers as occupied on their node', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'static' }, spec: { schedulerName: 'default-scheduler', nodeName: 'node-1', containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '300m' } } }] } } });
    const node = await eventually(
      () => shim.scheduler.partition('default')?.nodes.byId.get(asNodeId('node-1')),
      (n) => n?.info.occupied?.vcore === 300,
    );
    expect(node?.info.occupied).toMatchObject({ vcore: 300, pods: 1 });
    await core.deleteNamespacedPod({ name: 'static', namespace: 'default' });
    await eventually(
      () => shim.scheduler.partition('default')?.nodes.byId.get(asNodeId('node-1')),
      (n) => (n?.info.occupied?.vcore ?? 0) === 0,
    );
  });

  it('fails the pods of an application no queue takes, with the reason', async () => {
    const strict = await startShim({ kubeConfig: kc, config: mustLoad('partitions:\n  - placementrules: [{name: provided}]\n    queues: [{name: root, submitacl: "*"}]\n'), logger: NO_LOGGER, schedulerName: 'strict', intervalMs: 20 });
    try {
      const core = kc.makeApiClient(CoreV1Api);
      await core.createNamespacedPod({ namespace: 'default', body: pod('orphan', '100m', { applicationId: 'orphan' }, 'strict') });
      const p = await until(() => core.readNamespacedPod({ name: 'orphan', namespace: 'default' }), (x) => x.status?.phase === 'Failed');
      expect(p.status).toMatchObject({ phase: 'Failed', reason: 'ApplicationRejected' });
      expect(p.status?.message).toContain('orphan');
    } finally {
      await strict.stop();
    }
  });

  it('binds drover pods to the node the core picks, and leaves other pods alone', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: pod('mine', '500m', { applicationId: 'app-1' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('theirs', '500m', {}, 'default-scheduler') });
    const mine = await until(() => core.readNamespacedPod({ name: 'mine', namespace: 'default' }), (p) => p.status?.phase === 'Running');
    expect(mine.spec?.nodeName).toBe('node-1');
    const theirs = await core.readNamespacedPod({ name: 'theirs', namespace: 'default' });
    expect(theirs.spec?.nodeName).toBeUndefined();
  });

  it('keeps pods over their queue quota pending, and places them when room frees', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: pod('q1', '800m', { applicationId: 'q', queue: 'root.small' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('q2', '800m', { applicationId: 'q', queue: 'root.small' }) });
    await until(() => core.readNamespacedPod({ name: 'q1', namespace: 'default' }), (p) => p.spec?.nodeName === 'node-1');
    const queue = shim.scheduler.partition('default')?.tree.get('root.small');
    expect(queue?.allocated.vcore).toBe(800);
    // the pod says why it waits: quota, not capacity (a cluster autoscaler must not add nodes for it)
    const waiting = await until(() => core.readNamespacedPod({ name: 'q2', namespace: 'default' }), (p) => (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled'));
    expect(waiting.spec?.nodeName).toBeUndefined();
    expect(waiting.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'QueueQuotaExceeded' });
    await core.deleteNamespacedPod({ name: 'q1', namespace: 'default' });
    const q2 = await until(() => core.readNamespacedPod({ name: 'q2', namespace: 'default' }), (p) => p.spec?.nodeName === 'node-1');
    expect(q2.spec?.nodeName).toBe('node-1');
  });
});

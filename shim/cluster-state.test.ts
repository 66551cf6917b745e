/**
 * What the shim reads besides pods and nodes, end to end against the embedded API server: namespace
 * annotations (parent queue, quota), PriorityClasses, the two configuration ConfigMaps, and pods that
 * someone else bound.
 */
import { CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustLoad } from '../core/config/test-helpers.js';
import { asAllocationKey, asApplicationId, NO_LOGGER } from '../core/port.js';
import { startShim } from './shim.js';
import type { RunningShim } from './shim.js';
import { eventually, startCluster } from './test-helpers.js';
import type { TestCluster } from './test-helpers.js';

let cluster: TestCluster;
let shim: RunningShim;
let core: CoreV1Api;
const observed = { cycles: 0, allocations: 0, binds: [] as string[] };

const QUEUES = `partitions:
  - placementrules:
      - {name: provided, create: true}
      - {name: tag, value: namespace, create: true, parent: {name: tag, value: namespace.parentqueue}}
      - {name: tag, value: namespace, create: true}
    queues:
      - name: root
        submitacl: "*"
        queues: [{name: teams, parent: true}, {name: small, resources: {max: {vcore: 1}}}]
`;

beforeAll(async () => {
  cluster = await startCluster([
    { name: 'node-1', cpu: '4', memory: '16Gi' },
    { name: 'node-2', cpu: '4', memory: '16Gi', labels: { pool: 'batch' } },
  ]);
  core = cluster.kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'analytics', annotations: { 'yunikorn.apache.org/parentqueue': 'root.teams', 'yunikorn.apache.org/namespace.quota': '{"cpu": "1500m", "memory": "4Gi"}' } } } });
  await core.createNamespace({ body: { metadata: { name: 'config' } } });
  await cluster.kc.makeApiClient(SchedulingV1Api).createPriorityClass({ body: { metadata: { name: 'urgent' }, value: 1000 } });
  shim = await startShim({ kubeConfig: cluster.kc, config: mustLoad(QUEUES), logger: NO_LOGGER, intervalMs: 20, configNamespace: 'config', observe: {
    cycle: (seconds, allocations) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      observed.cycles++;
      observed.allocations += allocations;
    },
    bind: (seconds, outcome) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      observed.binds.push(outcome);
    },
  } });
});

afterAll(async () => {
  await shim.stop();
  await cluster.close();
});

const pod = (name: string, cpu: string, labels: Record<string, string> = {}, spec: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod => ({
  metadata: { name, labels },
  spec: { schedulerName: 'drover', containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu, memory: '128Mi' } } }], ...spec },
});
const partition = () => shim.scheduler.partition('default');
const read = (name: string, namespace = 'default') => core.readNamespacedPod({ name, namespace });
const condition = (p: V1Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');

describe('the shim reads the cluster around the pods', () => {
  it('places by the namespace parent queue and applies the namespace quota to its queue', async () => {
    await core.createNamespacedPod({ namespace: 'analytics', body: pod('a1', '1', { applicationId: 'nsq' }) });
    await core.createNamespacedPod({ namespace: 'analytics', body: pod('a2', '1', { applicationId: 'nsq' }) });
    await eventually(() => read('a1', 'analytics'), (p) => p.spec?.nodeName !== undefined);
    const queue = partition()?.tree.get('root.teams.analytics');
    expect(queue?.settings.max).toMatchObject({ vcore: 1500 });
    // the second pod would take the queue over its 1.5 cores: it waits for quota, not capacity
    const waiting = await eventually(() => read('a2', 'analytics'), (p) => condition(p) !== undefined);
    expect(condition(waiting)).toMatchObject({ status: 'False', reason: 'QueueQuotaExceeded' });
  });

  it('tells its observer about cycles and bindings (for the metrics)', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('seen', '100m', { applicationId: 'seen' }) });
    await eventually(() => read('seen'), (p) => p.spec?.nodeName !== undefined);
    await eventually(() => observed.binds.length, (n) => n >= 1);
    expect(observed.binds).toContain('success');
    expect(observed.cycles).toBeGreaterThan(0);
    expect(observed.allocations).toBeGreaterThanOrEqual(observed.binds.filter((b) => b === 'success').length);
  });

  it("takes a pod's priority from its PriorityClass", async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('urgent', '64', { applicationId: 'prio' }, { priorityClassName: 'urgent' }) });
    const created = await read('urgent');
    const entry = await eventually(() => partition()?.asks.get(asAllocationKey(created.metadata?.uid ?? '')), (e) => e !== undefined);
    expect(entry?.ask.info.priority).toBe(1000);
  });

  it('says in words why no node takes a pod, node by node as kube-scheduler does', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('filler', '3', { applicationId: 'filler' }, { nodeSelector: { pool: 'batch' } }) });
    const filler = await eventually(() => read('filler'), (p) => p.spec?.nodeName !== undefined);
    expect(filler.spec?.nodeName).toBe('node-2');
    await core.createNamespacedPod({ namespace: 'default', body: pod('picky', '3500m', { applicationId: 'picky' }, { nodeSelector: { pool: 'batch' } }) });
    const picky = await eventually(() => read('picky'), (p) => p.spec?.nodeName === undefined && condition(p)?.message?.includes('0/2 nodes') === true);
    expect(condition(picky)).toMatchObject({ reason: 'Unschedulable' });
    expect(condition(picky)?.message).toContain("1 node(s) didn't match Pod's node selector (pool=batch)");
    expect(condition(picky)?.message).toContain("1 node(s) had no room for the pod's requests");
  });

  it('warns on the pod when it names its application in two ways', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('twice', '100m', { 'yunikorn.apache.org/app-id': 'first', 'spark-app-selector': 'second' }) });
    const events = await eventually(
      () => core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=twice' }),
      (l) => l.items.some((e) => e.reason === 'ApplicationIdConflict'),
    );
    expect(events.items.find((e) => e.reason === 'ApplicationIdConflict')?.message).toContain('spark-app-selector=second ignored');
  });

  it('books a pod that someone else bound where it was bound', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('q1', '800m', { applicationId: 'other', queue: 'root.small' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('q2', '800m', { applicationId: 'other', queue: 'root.small' }) });
    await eventually(() => read('q1'), (p) => p.spec?.nodeName !== undefined);
    const waiting = await eventually(() => read('q2'), (p) => condition(p)?.reason === 'QueueQuotaExceeded');
    // another replica (or a person) binds the waiting pod: drover books it there, over quota
    await core.createNamespacedPodBinding({ name: 'q2', namespace: 'default', body: { metadata: { name: 'q2' }, target: { kind: 'Node', name: 'node-1' } } });
    const key = asAllocationKey(waiting.metadata?.uid ?? '');
    await eventually(() => partition()?.allocations.get(key)?.record.nodeId, (n) => n === 'node-1');
    expect(partition()?.asks.has(key)).toBe(false);
    expect(partition()?.tree.get('root.small')?.allocated.vcore).toBe(1600);
  });

  it('as a follower, knows why pods wait (for its REST API) and books what the leader places', async () => {
    const follower = await startShim({ kubeConfig: cluster.kc, config: mustLoad(QUEUES), logger: NO_LOGGER, intervalMs: 20, leading: () => false });
    try {
      await core.createNamespacedPod({ namespace: 'default', body: pod('fq1', '800m', { applicationId: 'fq', queue: 'root.small' }) });
      const waiting = await eventually(() => read('fq1'), (p) => p.spec?.nodeName === undefined && condition(p)?.reason === 'QueueQuotaExceeded');
      const key = asAllocationKey(waiting.metadata?.uid ?? '');
      // the follower's books give the same reason, from its own explanation
      const ask = await eventually(() => follower.scheduler.partition('default')?.asks.get(key)?.ask, (a) => a?.reason?.code === 'QueueQuotaExceeded');
      expect(ask?.reason?.message).toContain('root.small');
      // it places nothing: what it books bound, the leader bound (the pod it saw bound, booked where it landed)
      await core.createNamespacedPod({ namespace: 'default', body: pod('fq0', '100m', { applicationId: 'fq0' }) });
      const placed = await eventually(() => read('fq0'), (p) => p.spec?.nodeName !== undefined);
      const fq0 = asAllocationKey(placed.metadata?.uid ?? '');
      await eventually(() => follower.scheduler.partition('default')?.allocations.get(fq0)?.record.nodeId, (n) => n === placed.spec?.nodeName);
    } finally {
      await follower.stop();
    }
  });

  it('groups pods by the application labels the ConfigMaps name, as admission would', async () => {
    await core.createNamespacedConfigMap({ namespace: 'config', body: { metadata: { name: 'drover-configs' }, data: { 'queues.yaml': QUEUES, applicationLabels: 'example.com/job' } } });
    await core.createNamespacedPod({ namespace: 'default', body: pod('etl-a', '100m', { 'example.com/job': 'etl-7' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('etl-b', '100m', { 'example.com/job': 'etl-7' }) });
    const app = await eventually(() => partition()?.apps.get(asApplicationId('default-example-etl-7')), (a) => a !== undefined && a.allocations.size === 2);
    expect(app?.allocations.size).toBe(2);
    await core.deleteNamespacedConfigMap({ name: 'drover-configs', namespace: 'config' });
  });

  it('keeps the role of a pod found already bound', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('bound-driver', '100m', { 'spark-app-selector': 'spark-1', 'spark-role': 'driver' }, { nodeName: 'node-1' }) });
    const created = await read('bound-driver');
    const entry = await eventually(() => partition()?.allocations.get(asAllocationKey(created.metadata?.uid ?? '')), (e) => e !== undefined);
    expect(entry?.record.ask.info.role).toBe('driver');
  });

  it('merges the defaults and the user ConfigMap, and refuses a broken one with an event on it', async () => {
    const cm = (name: string, data: Record<string, string>) => ({ metadata: { name }, data });
    const base = QUEUES.replace('{name: small, resources: {max: {vcore: 1}}}', '{name: small, resources: {max: {vcore: 1}}}, {name: fromdefaults}');
    await core.createNamespacedConfigMap({ namespace: 'config', body: cm('drover-defaults', { 'queues.yaml': base, 'service.schedulingInterval': '50ms' }) });
    await eventually(() => partition()?.tree.get('root.fromdefaults'), (q) => q !== undefined);
    const user = QUEUES.replace('{name: small, resources: {max: {vcore: 1}}}', '{name: small, resources: {max: {vcore: 1}}}, {name: fromuser}');
    await core.createNamespacedConfigMap({ namespace: 'config', body: cm('drover-configs', { 'queues.yaml': user }) });
    await eventually(() => partition()?.tree.get('root.fromuser'), (q) => q !== undefined);
    const running = shim.scheduler.config().checksum;

    await core.replaceNamespacedConfigMap({ name: 'drover-configs', namespace: 'config', body: cm('drover-configs', { 'queues.yaml': 'partitions:\n  - name: default\n    queues: [{name: root, queues: [{name: x, resources: {max: {vcore: -1}}}]}]\n', 'kubernetes.qps': 'fast' }) });
    const events = await eventually(
      () => core.listNamespacedEvent({ namespace: 'config', fieldSelector: 'involvedObject.name=drover-configs' }),
      (l) => l.items.some((e) => e.reason === 'ConfigurationRefused') && l.items.some((e) => e.reason === 'ServiceSettingsRefused'),
    );
    const refused = events.items.find((e) => e.reason === 'ConfigurationRefused');
    expect(refused).toMatchObject({ type: 'Warning', involvedObject: { kind: 'ConfigMap', name: 'drover-configs', namespace: 'config' } });
    expect(refused?.message).toContain('partitions[0].queues[0].queues[0].resources.max');
    expect(events.items.find((e) => e.reason === 'ServiceSettingsRefused')?.message).toContain('kubernetes.qps');
    expect(shim.scheduler.config().checksum).toBe(running);

    // without the user's ConfigMap, the defaults' queues.yaml applies again
    await core.deleteNamespacedConfigMap({ name: 'drover-configs', namespace: 'config' });
    await eventually(() => partition()?.tree.get('root.fromdefaults')?.settings, (s) => s !== undefined);
    expect(shim.scheduler.config().checksum).not.toBe(running);
  });
});

/**
 * Gang scheduling end to end: the shim against the embedded API server (real client-node, simulated
 * kubelets), YuniKorn's annotations on the pods. Placeholders are real pods owned by the originator;
 * real pods take them over on their nodes; a gang that does not fit fails (Hard) or gives up its
 * placeholders (Soft); placeholders never outlive their application; a bad annotation is a Warning
 * event naming the path. What the server stored is read from its store and its watch, not from the shim.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/selectors.js';
import { mustLoad } from '../core/config/test-helpers.js';
import { asAllocationKey, asApplicationId, NO_LOGGER } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import type { RunningShim } from '../shim/shim.js';
import { eventually, startCluster } from '../shim/test-helpers.js';
import type { TestCluster } from '../shim/test-helpers.js';

const TG = 'yunikorn.apache.org/task-groups';
const TG_NAME = 'yunikorn.apache.org/task-group-name';
const PARAMS = 'yunikorn.apache.org/schedulingPolicyParameters';
const CONFIG = 'partitions:\n  - placementrules: [{name: provided, create: true}, {name: tag, value: namespace, create: true}]\n    queues:\n      - name: root\n        submitacl: "*"\n';

let cluster: TestCluster;
let shim: RunningShim;
let core: CoreV1Api;
/** Per pod name: the nodes it was bound to, in order, as the store saw it (a second entry is a second binding). */
const boundTo = new Map<string, string[]>();
/** Every placeholder the store ever held, as first seen bound (or created). */
const placeholdersSeen = new Map<string, KubeObject>();
let unwatch: () => void = () => undefined;

const member = (name: string, minMember: number, cpu = '1') => ({ name, minMember, minResource: { cpu, memory: '1Gi' } });
const pod = (name: string, app: string, group: string, annotations: Record<string, string> = {}, role = 'executor', schedulerName = 'drover'): V1Pod => ({
  metadata: { name, labels: { applicationId: app, 'spark-role': role }, annotations: { [TG_NAME]: group, ...annotations } },
  spec: { schedulerName, containers: [{ name: 'c', image: 'spark', resources: { requests: { cpu: '1', memory: '1Gi' } } }] },
});
const driver = (name: string, app: string, groups: readonly object[], params?: string, schedulerName = 'drover'): V1Pod =>
  pod(name, app, 'spark-driver', { [TG]: JSON.stringify(groups), ...(params === undefined ? {} : { [PARAMS]: params }) }, 'driver', schedulerName);

const stored = (): KubeObject[] => cluster.api.api.store.list('/pods', 'default').items;
const nodeOf = (o: KubeObject | undefined): string => (typeof o?.spec?.nodeName === 'string' ? o.spec.nodeName : '');
const placeholdersOf = (app: string): KubeObject[] => stored().filter((p) => p.metadata?.labels?.placeholder === 'true' && p.metadata.labels.applicationId === app);
const find = (name: string): KubeObject | undefined => stored().find((p) => p.metadata?.name === name);
const eventsOf = async (name: string) => (await core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` })).items;
const appState = (app: string) => shim.scheduler.partitions()[0]?.apps.get(asApplicationId(app))?.state;
const removeAll = async (app: string) => {
  for (const p of stored().filter((x) => x.metadata?.labels?.applicationId === app)) await core.deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace: 'default' });
  await eventually(() => stored().filter((x) => x.metadata?.labels?.applicationId === app).length, (n) => n === 0);
};

beforeAll(async () => {
  cluster = await startCluster([
    { name: 'node-1', cpu: '4', memory: '16Gi' },
    { name: 'node-2', cpu: '4', memory: '16Gi' },
  ]);
  core = cluster.kc.makeApiClient(CoreV1Api);
  const watching = cluster.api.api.store.watch('/pods', { namespace: null }, (e) => {
    const name = e.object.metadata?.name ?? '';
    const node = nodeOf(e.object);
    const nodes = boundTo.get(name) ?? [];
    if (node !== '' && nodes.at(-1) !== node) boundTo.set(name, [...nodes, node]);
    if (e.object.metadata?.labels?.placeholder === 'true' && (node !== '' || !placeholdersSeen.has(name))) placeholdersSeen.set(name, e.object);
  });
  if (watching.ok) unwatch = watching.value;
  shim = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20 });
});

afterAll(async () => {
  unwatch();
  await shim.stop();
  await cluster.close();
});

describe('gang scheduling on Kubernetes', () => {
  it('reserves a Spark gang with placeholder pods, then the driver and executors take them over on their nodes', async () => {
    const created = await core.createNamespacedPod({ namespace: 'default', body: driver('pi-driver', 'spark-pi', [member('spark-driver', 1), member('spark-executor', 3)]) });
    const driverUid = created.metadata?.uid ?? '';

    // Four placeholders, real pods owned by the driver, each bound.
    const seen = () => [...placeholdersSeen.values()].filter((p) => p.metadata?.labels?.applicationId === 'spark-pi');
    await eventually(() => seen().filter((p) => nodeOf(p) !== '').length, (n) => n === 4);
    for (const p of seen()) {
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'pi-driver', uid: driverUid, controller: false }]);
      expect(p.spec?.schedulerName).toBe('drover');
      expect(String(p.metadata?.name)).toMatch(/^tg-spark-pi-spark-(driver|executor)-[0-9a-z]{10}$/);
    }
    const nodesOf = (group: string) => seen().filter((p) => p.metadata?.annotations?.[TG_NAME] === group).map(nodeOf).sort();

    // The driver goes where its placeholder was, once the placeholder is gone.
    const bound = await eventually(() => find('pi-driver'), (p) => nodeOf(p) !== '');
    expect([nodeOf(bound)]).toEqual(nodesOf('spark-driver'));
    await eventually(() => placeholdersOf('spark-pi').filter((p) => p.metadata?.annotations?.[TG_NAME] === 'spark-driver').length, (n) => n === 0);
    await eventually(() => eventsOf('pi-driver'), (es) => es.some((e) => e.reason === 'Scheduled' && (e.message ?? '').includes('in place of placeholder default/tg-spark-pi-spark-driver-')));

    // The driver starts its executors; each takes an executor placeholder's node.
    for (const i of [1, 2, 3]) await core.createNamespacedPod({ namespace: 'default', body: pod(`pi-exec-${i}`, 'spark-pi', 'spark-executor') });
    await eventually(() => [1, 2, 3].map((i) => nodeOf(find(`pi-exec-${i}`))), (nodes) => nodes.every((n) => n !== ''));
    expect([1, 2, 3].map((i) => nodeOf(find(`pi-exec-${i}`))).sort()).toEqual(nodesOf('spark-executor'));
    await eventually(() => placeholdersOf('spark-pi').length, (n) => n === 0);

    // Nothing bound twice; the books hold the four real pods only.
    for (const name of ['pi-driver', 'pi-exec-1', 'pi-exec-2', 'pi-exec-3', ...seen().map((p) => p.metadata?.name ?? '')]) expect(boundTo.get(name)?.length, name).toBe(1);
    const app = shim.scheduler.partitions()[0]?.apps.get(asApplicationId('spark-pi'));
    expect(app?.allocated).toMatchObject({ vcore: 4000, pods: 4 });
    await removeAll('spark-pi');
  });

  it('fails a Hard gang that is not placed in time: placeholders deleted, the pods failed with the reason', async () => {
    // 21 cpus asked of a cluster of 8: never placed.
    await core.createNamespacedPod({ namespace: 'default', body: driver('hard-driver', 'hard', [member('spark-driver', 1), member('spark-executor', 20)], 'placeholderTimeoutInSeconds=1 gangSchedulingStyle=Hard') });
    await eventually(() => placeholdersOf('hard').length, (n) => n > 0);
    const failed = await eventually(() => find('hard-driver'), (p) => p?.status?.phase === 'Failed', 10_000);
    expect(failed?.status).toMatchObject({ phase: 'Failed', reason: 'ResourceReservationTimeout' });
    expect(String(failed?.status?.message)).toContain('hard');
    await eventually(() => placeholdersOf('hard').length, (n) => n === 0);
    await eventually(() => appState('hard'), (s) => s === 'Failed');
    const events = await eventsOf('hard-driver');
    expect(events.filter((e) => e.reason === 'GangFailed').map((e) => e.type)).toEqual(['Warning']);
    expect(events.find((e) => e.reason === 'GangFailed')?.message).toMatch(/^21 placeholder pods released: /);
    expect(boundTo.get('hard-driver')).toBeUndefined();
    await removeAll('hard');
  });

  it('gives up a Soft gang that is not placed in time: placeholders deleted, the pods scheduled as usual', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: driver('soft-driver', 'soft', [member('spark-driver', 1), member('spark-executor', 20)], 'placeholderTimeoutInSeconds=1') });
    await eventually(() => placeholdersOf('soft').length, (n) => n > 0);
    const bound = await eventually(() => find('soft-driver'), (p) => nodeOf(p) !== '', 10_000);
    expect(bound?.status?.phase).not.toBe('Failed');
    await eventually(() => placeholdersOf('soft').length, (n) => n === 0);
    await eventually(() => eventsOf('soft-driver'), (es) => es.some((e) => e.reason === 'GangAbandoned' && e.type === 'Warning'));
    await removeAll('soft');
  });

  it('leaves no placeholder behind when the originator is deleted', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: driver('gone-driver', 'gone', [member('spark-driver', 1), member('spark-executor', 20)], 'placeholderTimeoutInSeconds=600') });
    await eventually(() => placeholdersOf('gone').length, (n) => n === 21);
    await core.deleteNamespacedPod({ name: 'gone-driver', namespace: 'default' });
    await eventually(() => placeholdersOf('gone').length, (n) => n === 0);
  });

  it('reports an unreadable task-groups annotation with its path, and schedules the pod without a gang', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: driver('bad-driver', 'bad', [{ name: 'spark-driver', minMember: 0, minResource: { cpu: '1' } }, { name: 'spark-executor', minMember: 2 }]) });
    const events = await eventually(() => eventsOf('bad-driver'), (es) => es.some((e) => e.reason === 'InvalidTaskGroups'));
    const message = events.find((e) => e.reason === 'InvalidTaskGroups')?.message ?? '';
    expect(events.find((e) => e.reason === 'InvalidTaskGroups')?.type).toBe('Warning');
    expect(message).toContain(`metadata.annotations[${TG}][0].minMember`);
    expect(message).toContain(`metadata.annotations[${TG}][1].minResource`);
    await eventually(() => find('bad-driver'), (p) => nodeOf(p) !== '');
    expect(placeholdersOf('bad')).toEqual([]);
    expect([...placeholdersSeen.values()].filter((p) => p.metadata?.labels?.applicationId === 'bad')).toEqual([]);
    await removeAll('bad');
  });

  it('after a restart, finds the placeholders it made (same names), books them, and binds nothing twice', async () => {
    // 21 cpus asked of a cluster of 8: 8 placeholders bound, 13 waiting, when the scheduler restarts.
    await core.createNamespacedPod({ namespace: 'default', body: driver('again-driver', 'again', [member('spark-driver', 1), member('spark-executor', 20)], 'placeholderTimeoutInSeconds=600') });
    await eventually(() => placeholdersOf('again'), (ps) => ps.length === 21 && ps.filter((p) => nodeOf(p) !== '').length === 8);
    const names = placeholdersOf('again').map((p) => p.metadata?.name).sort();
    await shim.stop();
    shim = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20 });
    // Booked again: the eight bound placeholders hold 8 cpus of the application.
    await eventually(() => shim.scheduler.partitions()[0]?.apps.get(asApplicationId('again'))?.allocated.vcore, (v) => v === 8000);
    // Its placeholders wanted again, created again: 409s, the same 21 pods.
    await eventually(() => shim.scheduler.partitions()[0]?.apps.get(asApplicationId('again'))?.asks.size, (n) => n === 14);
    expect(placeholdersOf('again').map((p) => p.metadata?.name).sort()).toEqual(names);
    for (const name of names) expect(boundTo.get(name ?? '')?.length ?? 0).toBeLessThanOrEqual(1);
    await core.deleteNamespacedPod({ name: 'again-driver', namespace: 'default' });
    await eventually(() => placeholdersOf('again').length, (n) => n === 0);
  });

  it('creates and deletes nothing while it does not lead; once leading, it reserves the gang', async () => {
    let leads = false;
    const follower = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20, schedulerName: 'follower', leading: () => leads });
    try {
      await core.createNamespacedPod({ namespace: 'default', body: driver('f-driver', 'follow', [member('spark-driver', 1), member('spark-executor', 1)], undefined, 'follower') });
      // The follower knows the application and explains why its driver waits (its cycles run) ...
      await eventually(() => follower.scheduler.partitions()[0]?.asks.get(asAllocationKey(find('f-driver')?.metadata?.uid ?? ''))?.ask.reason?.code, (c) => c !== undefined);
      // ... and has made no placeholder.
      expect(placeholdersOf('follow')).toEqual([]);
      leads = true;
      await eventually(() => find('f-driver'), (p) => nodeOf(p) !== '');
      expect([...placeholdersSeen.values()].filter((p) => p.metadata?.labels?.applicationId === 'follow')).toHaveLength(2);
      await eventually(() => placeholdersOf('follow').filter((p) => p.metadata?.annotations?.[TG_NAME] === 'spark-driver'), (ps) => ps.length === 0);
    } finally {
      await follower.stop();
    }
    await removeAll('follow');
  });

  it('deletes placeholders whose owner pod is gone when it starts', async () => {
    const orphan: V1Pod = {
      metadata: {
        name: 'tg-lost-spark-executor-0000000000',
        labels: { applicationId: 'lost', placeholder: 'true' },
        annotations: { 'yunikorn.apache.org/placeholder': 'true', [TG_NAME]: 'spark-executor' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'lost-driver', uid: 'uid-of-a-deleted-pod', controller: false }],
      },
      spec: { schedulerName: 'restarted', containers: [{ name: 'pause', image: 'pause', resources: { requests: { cpu: '100m' } } }] },
    };
    await core.createNamespacedPod({ namespace: 'default', body: orphan });
    const restarted = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20, schedulerName: 'restarted' });
    try {
      await eventually(() => find('tg-lost-spark-executor-0000000000'), (p) => p === undefined);
    } finally {
      await restarted.stop();
    }
  });
});

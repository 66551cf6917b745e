/**
 * Preemption end to end: two queues with guarantees on one node, the shim against the embedded API
 * server. Queue b fills the node; a pod of queue a waits past its queue's preemption.delay; one of
 * b's executors is evicted through the eviction subresource (after a PodDisruptionBudget-style 429,
 * retried), gets a `Preempted` event naming the preemptor, and the preemptor is bound. b's driver,
 * its application's originator, is not the victim. The server records the evictions it was sent.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, statusBody } from '../apiserver/api.js';
import type { ApiRequest, ApiResponse } from '../apiserver/api.js';
import type { KubeObject } from '../apiserver/selectors.js';
import { mustLoad } from '../core/config/test-helpers.js';
import { NO_LOGGER } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import type { RunningShim } from '../shim/shim.js';
import { eventually, startCluster } from '../shim/test-helpers.js';
import type { TestCluster } from '../shim/test-helpers.js';

const CONFIG = `partitions:
  - placementrules: [{name: provided}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - name: a
            resources: {guaranteed: {vcore: 2}}
            properties: {preemption.delay: 1s}
          - name: b
            resources: {guaranteed: {vcore: 2}}
            properties: {preemption.delay: 1s}
`;

/** The embedded server, answering the first evictions 429 as a PodDisruptionBudget would, and recording every eviction it is sent. */
class EvictionRecordingApi extends ApiServer {
  readonly evictions: { pod: string; status: number }[] = [];
  refuse = 0;

  override request(req: ApiRequest): ApiResponse {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(req.path);
    if (req.method !== 'POST' || m === null) return super.request(req);
    const pod = `${m[1] ?? ''}/${m[2] ?? ''}`;
    if (this.refuse > 0) {
      this.refuse--;
      this.evictions.push({ pod, status: 429 });
      return { kind: 'json', status: 429, body: statusBody(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.') };
    }
    const r = super.request(req);
    this.evictions.push({ pod, status: r.kind === 'json' ? r.status : 0 });
    return r;
  }
}

let cluster: TestCluster;
let api: EvictionRecordingApi;
let shim: RunningShim;
let core: CoreV1Api;

const pod = (name: string, app: string, queue: string, role: string): V1Pod => ({
  metadata: { name, labels: { applicationId: app, queue, 'spark-role': role } },
  spec: { schedulerName: 'drover', containers: [{ name: 'c', image: 'spark', resources: { requests: { cpu: '1', memory: '1Gi' } } }] },
});
const find = (name: string): KubeObject | undefined => api.store.list('/pods', 'default').items.find((p) => p.metadata?.name === name);
const nodeOf = (o: KubeObject | undefined): string => (typeof o?.spec?.nodeName === 'string' ? o.spec.nodeName : '');

beforeAll(async () => {
  api = new EvictionRecordingApi();
  cluster = await startCluster([{ name: 'node-1', cpu: '4', memory: '16Gi' }], api);
  core = cluster.kc.makeApiClient(CoreV1Api);
  shim = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20 });
});

afterAll(async () => {
  await shim.stop();
  await cluster.close();
});

describe('preemption on Kubernetes', () => {
  it("evicts an executor of the queue over its guarantee for a pod of a queue under its own, never b's driver", async () => {
    // Queue b takes the whole node: its driver first (the originator), then three executors.
    await core.createNamespacedPod({ namespace: 'default', body: pod('b-driver', 'b-app', 'root.b', 'driver') });
    await eventually(() => find('b-driver'), (p) => nodeOf(p) !== '');
    for (const i of [1, 2, 3]) await core.createNamespacedPod({ namespace: 'default', body: pod(`b-exec-${i}`, 'b-app', 'root.b', 'executor') });
    await eventually(() => [1, 2, 3].map((i) => nodeOf(find(`b-exec-${i}`))), (nodes) => nodes.every((n) => n === 'node-1'));

    // A pod of queue a waits for room; after preemption.delay, a victim is evicted (the first tries refused, as by a budget).
    api.refuse = 5;
    await core.createNamespacedPod({ namespace: 'default', body: pod('a-pod', 'a-app', 'root.a', 'executor') });
    const evicted = await eventually(() => api.evictions.filter((e) => e.status === 201), (es) => es.length > 0, 15_000);
    expect(evicted).toHaveLength(1);
    const victim = evicted[0]?.pod ?? '';
    expect(victim).toMatch(/^default\/b-exec-[123]$/);
    // Tried again after the refusals, and only that pod was ever asked for.
    expect(api.evictions.filter((e) => e.status === 429).length).toBe(5);
    expect(new Set(api.evictions.map((e) => e.pod))).toEqual(new Set([victim]));

    const victimName = victim.slice('default/'.length);
    const events = await eventually(
      async () => (await core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.name=${victimName}` })).items,
      (es) => es.some((e) => e.reason === 'Preempted'),
    );
    const preempted = events.find((e) => e.reason === 'Preempted');
    expect(preempted?.type).toBe('Normal');
    expect(preempted?.message).toContain('Preempted by pod default/a-pod on node node-1');

    // The preemptor gets the room; the driver is still there, never evicted.
    await eventually(() => find('a-pod'), (p) => nodeOf(p) === 'node-1', 10_000);
    expect(find(victimName)).toBeUndefined();
    expect(nodeOf(find('b-driver'))).toBe('node-1');
  });
});

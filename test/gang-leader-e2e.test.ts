/**
 * A replica that stops leading in the middle of a takeover (a real pod replacing its placeholder):
 * the server makes it happen at the exact moment, when the placeholder's DELETE arrives. Whether the
 * placeholder went or not, nothing is bound twice, nothing is lost: once the replica leads again the
 * pod is bound and no placeholder of its group is left.
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

const CONFIG = 'partitions:\n  - placementrules: [{name: tag, value: namespace, create: true}]\n    queues: [{name: root, submitacl: "*"}]\n';
const TG_NAME = 'yunikorn.apache.org/task-group-name';

/** The server, which on the first DELETE of a placeholder makes the scheduler lose the lead (and refuses the DELETE if asked to). */
class LeadLosingApi extends ApiServer {
  onPlaceholderDelete: (() => 'pass' | 'refuse') | null = null;

  override request(req: ApiRequest): ApiResponse {
    const hook = this.onPlaceholderDelete;
    if (hook !== null && req.method === 'DELETE' && /\/pods\/tg-/.test(req.path)) {
      this.onPlaceholderDelete = null;
      if (hook() === 'refuse') return { kind: 'json', status: 500, body: statusBody(500, 'InternalError', 'injected: the delete failed') };
    }
    return super.request(req);
  }
}

let api: LeadLosingApi;
let cluster: TestCluster;
let shim: RunningShim;
let core: CoreV1Api;
let leads = true;
const boundTimes = new Map<string, number>();
let unwatch: () => void = () => undefined;

const driver = (name: string, app: string): V1Pod => ({
  metadata: {
    name,
    labels: { applicationId: app, 'spark-role': 'driver' },
    annotations: { [TG_NAME]: 'spark-driver', 'yunikorn.apache.org/task-groups': JSON.stringify([{ name: 'spark-driver', minMember: 1, minResource: { cpu: '1', memory: '1Gi' } }, { name: 'spark-executor', minMember: 1, minResource: { cpu: '1', memory: '1Gi' } }]) },
  },
  spec: { schedulerName: 'drover', containers: [{ name: 'c', image: 'spark', resources: { requests: { cpu: '1', memory: '1Gi' } } }] },
});
const stored = (): KubeObject[] => api.store.list('/pods', 'default').items;
const nodeOf = (o: KubeObject | undefined): string => (typeof o?.spec?.nodeName === 'string' ? o.spec.nodeName : '');
const find = (name: string) => stored().find((p) => p.metadata?.name === name);
const placeholders = (app: string, group: string) => stored().filter((p) => p.metadata?.labels?.applicationId === app && p.metadata.labels.placeholder === 'true' && p.metadata.annotations?.[TG_NAME] === group);

beforeAll(async () => {
  api = new LeadLosingApi();
  cluster = await startCluster([{ name: 'node-1', cpu: '8', memory: '32Gi' }], api);
  core = cluster.kc.makeApiClient(CoreV1Api);
  const nodes = new Map<string, string>();
  const watching = api.store.watch('/pods', { namespace: null }, (e) => {
    const name = e.object.metadata?.name ?? '';
    const node = nodeOf(e.object);
    if (node !== '' && nodes.get(name) !== node) boundTimes.set(name, (boundTimes.get(name) ?? 0) + 1);
    nodes.set(name, node);
  });
  if (watching.ok) unwatch = watching.value;
  shim = await startShim({ kubeConfig: cluster.kc, config: mustLoad(CONFIG), logger: NO_LOGGER, intervalMs: 20, leading: () => leads });
});

afterAll(async () => {
  unwatch();
  await shim.stop();
  await cluster.close();
});

describe('losing the lead during a takeover', () => {
  it.each([
    { name: 'after the placeholder was deleted: the pod goes back to the queue', outcome: 'pass' as const, app: 'lead-a' },
    { name: 'before the placeholder could be deleted: it is booked again, the pod goes back', outcome: 'refuse' as const, app: 'lead-b' },
  ])('$name', async ({ outcome, app }) => {
    let lost = false;
    api.onPlaceholderDelete = () => {
      leads = false;
      lost = true;
      return outcome;
    };
    await core.createNamespacedPod({ namespace: 'default', body: driver(`${app}-driver`, app) });
    await eventually(() => lost, (v) => v);
    // A follower binds nothing: the driver waits while no replica leads.
    await eventually(() => shim.scheduler.partitions()[0]?.asks.size ?? 0, (n) => n > 0);
    expect(nodeOf(find(`${app}-driver`))).toBe('');
    leads = true;
    await eventually(() => find(`${app}-driver`), (p) => nodeOf(p) !== '');
    await eventually(() => placeholders(app, 'spark-driver').length, (n) => n === 0);
    for (const p of stored().filter((x) => x.metadata?.labels?.applicationId === app)) expect(boundTimes.get(p.metadata?.name ?? ''), p.metadata?.name).toBe(1);
    // The books equal what is bound: the driver, and the executor's placeholder still waiting for its executor.
    const bound = stored().filter((p) => p.metadata?.labels?.applicationId === app && nodeOf(p) !== '').length;
    await eventually(() => shim.scheduler.partitions()[0]?.apps.get(app as never)?.allocated.pods, (n) => n === bound);
  });
});

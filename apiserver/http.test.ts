/**
 * The embedded API server over real HTTPS, driven by @kubernetes/client-node exactly as the shim
 * will drive it (and as it drives a real cluster).
 */
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificates } from '../tls/certificates.js';
import { startApiServer } from './http.js';
import type { RunningApiServer } from './http.js';
import { kubeconfig } from './kubeconfig.js';

let server: RunningApiServer;
let kc: KubeConfig;
let caPem = '';
const TOKEN = 'test-token';

beforeAll(async () => {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  caPem = certificate.caPem ?? '';
  server = await startApiServer({ certificate, token: TOKEN, bookmarkIntervalMs: 50 });
  kc = new KubeConfig();
  kc.loadFromString(kubeconfig({ server: server.url, caPem, token: TOKEN }));
});

afterAll(async () => {
  await server.close();
});

const pod = (name: string) => ({ metadata: { name, labels: { app: 'spark' } }, spec: { containers: [{ name: 'c', image: 'pause' }] } });

describe('the embedded API server with @kubernetes/client-node', () => {
  it('creates, reads and lists pods', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedPod({ namespace: 'default', body: pod('p1') });
    expect(created.spec?.schedulerName).toBe('default-scheduler');
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=spark' });
    expect(list.items.map((p) => p.metadata?.name)).toContain('p1');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('binds a pod once and refuses the second binding with 409', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: pod('p2') });
    const binding = (node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p2' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    await core.createNamespacedPodBinding({ name: 'p2', namespace: 'default', body: binding('n1') });
    await expect(core.createNamespacedPodBinding({ name: 'p2', namespace: 'default', body: binding('n2') })).rejects.toMatchObject({ code: 409 });
    expect((await core.readNamespacedPod({ name: 'p2', namespace: 'default' })).spec?.nodeName).toBe('n1');
  });

  it('streams watch events from a resourceVersion', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const { metadata } = await core.listNamespacedPod({ namespace: 'default' });
    const seen: string[] = [];
    let resolveSeen: () => void = () => undefined;
    const twoEvents = new Promise<void>((resolve) => (resolveSeen = resolve));
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: metadata?.resourceVersion ?? '' },
      (type: string, obj: { metadata?: { name?: string } }) => {
        seen.push(`${type} ${obj.metadata?.name ?? ''}`);
        if (seen.length === 2) resolveSeen();
      },
      () => undefined,
    );
    await core.createNamespacedPod({ namespace: 'default', body: pod('w1') });
    await core.deleteNamespacedPod({ name: 'w1', namespace: 'default' });
    await twoEvents;
    controller.abort();
    expect(seen).toEqual(['ADDED w1', 'DELETED w1']);
  });

  it('injects faults: 500 and 409 at the set rates, 410 as a watch ERROR event', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'f' }, data: { a: '1' } } });
    server.faults.plan = { latencyMs: 0, internalError: 0, conflict: 1, gone: 0, dropWatchAfterMs: 0 };
    await expect(core.patchNamespacedConfigMap({ name: 'f', namespace: 'default', body: { data: { a: '2' } } })).rejects.toMatchObject({ code: 409 });
    server.faults.plan = { latencyMs: 0, internalError: 1, conflict: 0, gone: 0, dropWatchAfterMs: 0 };
    await expect(core.listNamespacedConfigMap({ namespace: 'default' })).rejects.toMatchObject({ code: 500 });
    server.faults.plan = { latencyMs: 0, internalError: 0, conflict: 0, gone: 1, dropWatchAfterMs: 0 };
    const error = await new Promise<{ type: string; code: unknown }>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/configmaps', {}, (type: string, obj: { code?: unknown }) => resolve({ type, code: obj.code }), () => undefined);
    });
    expect(error).toEqual({ type: 'ERROR', code: 410 });
    server.faults.plan = { latencyMs: 0, internalError: 0, conflict: 0, gone: 0, dropWatchAfterMs: 0 };
    expect((await core.listNamespacedConfigMap({ namespace: 'default' })).items.length).toBeGreaterThan(0);
  });

  it('drops watch connections when told to', async () => {
    server.faults.plan = { latencyMs: 0, internalError: 0, conflict: 0, gone: 0, dropWatchAfterMs: 50 };
    const ended = await new Promise<boolean>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/pods', {}, () => undefined, () => resolve(true));
    });
    server.faults.plan = { latencyMs: 0, internalError: 0, conflict: 0, gone: 0, dropWatchAfterMs: 0 };
    expect(ended).toBe(true);
  });

  it('sends bookmarks to watches that allow them', async () => {
    const bookmark = await new Promise<{ type: string; rv: unknown }>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/pods', { allowWatchBookmarks: true }, (type: string, obj: { metadata?: { resourceVersion?: string } }) => {
        if (type === 'BOOKMARK') resolve({ type, rv: obj.metadata?.resourceVersion });
      }, () => undefined);
    });
    expect(bookmark).toEqual({ type: 'BOOKMARK', rv: server.api.store.resourceVersion });
  });

  it('refuses a request with the wrong token', async () => {
    const wrong = new KubeConfig();
    wrong.loadFromString(kubeconfig({ server: server.url, caPem, token: 'nope' }));
    await expect(wrong.makeApiClient(CoreV1Api).listPodForAllNamespaces()).rejects.toMatchObject({ code: 401 });
  });
});

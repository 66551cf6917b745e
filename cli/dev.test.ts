import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AdmissionregistrationV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import type { Timers } from '../apiserver/kubelets.js';
import { DEMO_LABEL } from '../demo/workload.js';
import { runDev } from './dev.js';
import type { DevHooks } from './dev.js';
import type { CliIo } from './io.js';

/** `drover dev` on free ports with a fresh kubeconfig; resolves once it has said where it listens. */
async function startDev(flags: readonly string[], hooks: DevHooks = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'drover-dev-')), 'kubeconfig');
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const out: string[] = [];
  const io: CliIo = { out: (s) => (out.push(s), s.includes('kubeconfig:') ? ready() : undefined), err: () => undefined, readFile: () => Promise.reject(new Error('unused')), isTty: false };
  let stop: () => void = () => undefined;
  const exit = runDev(['--api-port', '0', '--webhook-port', '0', '--rest-port', '0', '--kubeconfig-out', path, ...flags], io, new Promise<void>((resolve) => (stop = resolve)), hooks);
  await Promise.race([started, exit.then((code) => Promise.reject(new Error(`drover dev ended with ${code}`)))]);
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  const ui = /^ui: (http:\/\/127\.0\.0\.1:\d+\/) /m.exec(out.join(''))?.[1] ?? expect.fail(`no ui: line in ${out.join('')}`);
  return { kc, path, ui, core: kc.makeApiClient(CoreV1Api), out: () => out.join(''), stop: async () => (stop(), exit) };
}

/** kubectl (from the machine, as in test/kubectl.test.ts) against the dev cluster. */
async function kubectl(kubeconfig: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dirname(kubeconfig), 'cache'), ...args], { timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** Every state a pod went through, by namespace/name, from a watch. */
async function recordPods(kc: KubeConfig, path: string, query: Record<string, string> = {}) {
  const seen = new Map<string, V1Pod[]>();
  const deleted = new Set<string>();
  const abort = await new Watch(kc).watch(path, query, (type: string, pod: V1Pod) => {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    seen.set(key, [...(seen.get(key) ?? []), pod]);
    if (type === 'DELETED') deleted.add(key);
  }, () => undefined);
  return { seen, deleted, all: () => [...seen.values()].flat(), stop: () => abort.abort() };
}

const run = promisify(execFile);

describe('drover dev', () => {
  it('runs the API server, nodes, the webhook and the scheduler: a pod that names no scheduler is drover\'s and runs', async () => {
    const used: string[] = [];
    const demoTimers: Timers = { setTimeout: (fn, ms) => used.push(`setTimeout ${ms}`), clearTimeout: () => undefined, now: () => new Date() };
    const dev = await startDev(['--nodes', '3', '--no-demo'], { demoTimers });
    const nodes = await dev.core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-001', 'node-002', 'node-003']);
    expect(nodes.items[0]?.status?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
    // the webhook is registered through the API, as in a cluster
    const admission = dev.kc.makeApiClient(AdmissionregistrationV1Api);
    const [mutating] = (await admission.listMutatingWebhookConfiguration()).items;
    expect(mutating?.webhooks?.[0]).toMatchObject({ failurePolicy: 'Ignore', clientConfig: { url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/mutate$/) as unknown } });
    expect((await admission.listValidatingWebhookConfiguration()).items[0]?.webhooks?.[0]?.clientConfig.url).toMatch(/\/validate-conf$/);
    // the scheduler's REST API answers on the address printed
    const tree = await fetch(`${dev.ui}ws/v1/partition/default/queues`);
    expect(tree.status).toBe(200);
    expect(tree.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(await tree.json()).toMatchObject({ queuename: 'root', partition: 'default', isLeaf: false });

    const pods = await recordPods(dev.kc, '/api/v1/namespaces/default/pods');
    await dev.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'hello' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    await vi.waitFor(() => expect(pods.all().some((p) => p.status?.phase === 'Running')).toBe(true), { timeout: 10_000, interval: 20 });
    const running = pods.all().find((p) => p.status?.phase === 'Running');
    expect(running?.spec).toMatchObject({ schedulerName: 'drover', nodeName: expect.stringMatching(/^node-00[123]$/) as unknown });
    expect(running?.metadata?.annotations).toHaveProperty(['yunikorn.apache.org/user.info']);
    pods.stop();
    // the webhook reads namespace annotations from the cluster: an opted-out namespace is left alone
    await dev.core.createNamespace({ body: { metadata: { name: 'legacy', annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } } } });
    await vi.waitFor(async () => {
      const name = `left-${Date.now()}`;
      const left = await dev.core.createNamespacedPod({ namespace: 'legacy', body: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
      expect(left.spec?.schedulerName).toBe('default-scheduler');
    }, { timeout: 5_000, interval: 50 });
    for (const p of (await dev.core.listNamespacedPod({ namespace: 'legacy' })).items) await dev.core.deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace: 'legacy' });
    await dev.core.deleteNamespace({ name: 'legacy' });
    await vi.waitFor(async () => expect((await dev.core.listNamespace()).items.map((n) => n.metadata?.name)).not.toContain('legacy'), { timeout: 5_000, interval: 50 });

    // --no-demo: no team namespaces, no demo queues, no demo pods, and the demo never started
    expect((await dev.core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-public', 'kube-system']);
    expect((await dev.core.listNamespacedConfigMap({ namespace: 'default' })).items).toEqual([]);
    expect((await dev.core.listPodForAllNamespaces()).items.map((p) => p.metadata?.name)).toEqual(['hello']);
    expect(used).toEqual([]);
    expect(dev.out()).toContain('demo: off');

    // the validating webhook: kubectl sees a broken queues.yaml refused, and a warning passed on
    const queues = (resources: string) => `partitions:\n  - name: default\n    queues:\n      - name: root\n        queues:\n          - name: a\n            resources: ${resources}\n`;
    const refused = await kubectl(dev.path, 'create', 'configmap', 'drover-configs', `--from-literal=queues.yaml=${queues('{guaranteed: {memory: 2Gi}, max: {memory: 1Gi}}')}`);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/denied the request.*guaranteed-above-max/s);
    const warned = await kubectl(dev.path, 'create', 'configmap', 'drover-configs', `--from-literal=queues.yaml=${queues('{max: {cpu: 4}}')}`);
    expect(warned).toMatchObject({ code: 0, stdout: 'configmap/drover-configs created\n' });
    expect(warned.stderr).toMatch(/^Warning: .*resource-cpu-key/m);
    expect(await dev.stop()).toBe(0);
  });

  it('runs the demo: Spark-like applications in team namespaces, made drover\'s by the webhook, that run, finish and go', async () => {
    const shape = { meanArrivalMs: 100, burstChance: 0.2, burstApps: [2, 3] as const, runSeconds: [1, 1] as const, driverExtraSeconds: 0 };
    const dev = await startDev(['--nodes', '4'], { demo: { shape, tickMs: 50, keepFinishedMs: 300, maxApps: 6 } });
    const pods = await recordPods(dev.kc, '/api/v1/pods', { labelSelector: `${DEMO_LABEL}=true` });
    expect(dev.out()).toContain('demo: Spark-like applications arrive in namespaces analytics, ml, reporting');
    const queues = await dev.core.readNamespacedConfigMap({ namespace: 'default', name: 'drover-configs' });
    expect(queues.data?.['queues.yaml']).toContain('name: analytics');

    const isDriver = (p: V1Pod) => p.metadata?.labels?.['spark-role'] === 'driver';
    await vi.waitFor(() => expect(pods.all().some((p) => isDriver(p) && p.status?.phase === 'Succeeded')).toBe(true), { timeout: 20_000, interval: 50 });
    const bound = pods.all().filter((p) => p.spec?.nodeName !== undefined);
    expect(bound.length).toBeGreaterThan(0);
    for (const p of bound) {
      expect(['analytics', 'ml', 'reporting']).toContain(p.metadata?.namespace);
      // the demo names no scheduler (see workload.test.ts): the webhook made each pod drover's
      expect(p.spec?.schedulerName).toBe('drover');
      expect(p.metadata?.labels?.['spark-app-selector']).toMatch(/^spark-[0-9a-f]{32}$/);
    }
    // the REST API sees the demo's applications in the team queues
    await vi.waitFor(async () => {
      const apps = (await (await fetch(`${dev.ui}ws/v1/partition/default/applications/active`)).json()) as { queueName: string }[];
      expect(apps.map((a) => a.queueName).some((q) => ['root.analytics', 'root.ml', 'root.reporting'].includes(q))).toBe(true);
    }, { timeout: 10_000, interval: 100 });
    // executors start once their driver runs
    await vi.waitFor(() => expect(pods.all().some((p) => p.metadata?.labels?.['spark-role'] === 'executor' && p.status?.phase === 'Running')).toBe(true), { timeout: 20_000, interval: 50 });
    // and finished applications are cleaned up
    const finished = pods.all().filter((p) => isDriver(p) && p.status?.phase === 'Succeeded').map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
    await vi.waitFor(() => expect(finished.filter((k) => pods.deleted.has(k))).not.toEqual([]), { timeout: 10_000, interval: 50 });
    pods.stop();
    expect(await dev.stop()).toBe(0);
  });

  it('ends with exit status 2, and what it started stopped, when the webhook port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const err: string[] = [];
    const io: CliIo = { out: () => undefined, err: (s) => err.push(s), readFile: () => Promise.reject(new Error('unused')), isTty: false };
    const path = join(mkdtempSync(join(tmpdir(), 'drover-dev-')), 'kubeconfig');
    expect(await runDev(['--api-port', '0', '--webhook-port', String(port), '--rest-port', '0', '--no-demo', '--kubeconfig-out', path], io, new Promise(() => undefined))).toBe(2);
    expect(err.join('')).toContain(`cannot start the admission webhook on port ${port}`);
    // the API server it had started is closed: its kubeconfig no longer reaches anything
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    await expect(kc.makeApiClient(CoreV1Api).listNode()).rejects.toThrow();
    taken.close();
  });

  it('refuses bad flags with exit status 2', async () => {
    const io: CliIo = { out: () => undefined, err: () => undefined, readFile: () => Promise.reject(new Error('unused')), isTty: false };
    expect(await runDev(['--nodes', 'many'], io, Promise.resolve())).toBe(2);
    expect(await runDev(['--webhook-port', '70000'], io, Promise.resolve())).toBe(2);
    expect(await runDev(['--rest-port', 'x'], io, Promise.resolve())).toBe(2);
  });
});

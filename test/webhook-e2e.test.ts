/**
 * End to end: drover's webhook with a cluster, behind the embedded API server, all over HTTPS with
 * @kubernetes/client-node. The webhook configurations are created without a caBundle, as the chart
 * creates them; the webhook's certificate manager writes it, and the API server then calls the
 * webhook for every pod and ConfigMap, as a real one does. The configurations use
 * `failurePolicy: Fail` here (the chart uses Ignore) so that a webhook the API server cannot reach or
 * does not trust fails the test instead of being skipped.
 */
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { AdmissionregistrationV1Api, CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROTATION_POLICY } from '../webhook/certs/plan.js';
import { FakeClock } from '../webhook/certs/test-helpers.js';
import { eventually, recordingLogger, startTestCluster } from '../webhook/cluster/test-helpers.js';
import type { TestCluster } from '../webhook/cluster/test-helpers.js';
import { DEFAULT_CONFIG_MAPS } from '../webhook/server/config-maps.js';
import { startWebhook } from '../webhook/start.js';
import type { RunningWebhook } from '../webhook/start.js';

const MINUTE = 60_000;
/**
 * Certificates short-lived enough to rotate within a test, with the clock started 150 minutes in the
 * past: the API server checks validity on the real clock, so every certificate issued while the fake
 * clock moves towards the present is valid when it is used.
 */
const POLICY = { ...DEFAULT_ROTATION_POLICY, caValidityMs: 180 * MINUTE, servingValidityMs: 180 * MINUTE, previousCaGraceMs: 10 * MINUTE };
const QUEUES = 'partitions:\n  - name: default\n    queues:\n      - name: root\n        submitacl: "*"\n';
const INVALID_QUEUES = 'partitions:\n  - name: default\n    queues:\n      - name: root\n        queues:\n          - name: a\n            resources: {guaranteed: {memory: 2Gi}, max: {memory: 1Gi}}\n';

let cluster: TestCluster;
let webhook: RunningWebhook;
let core: CoreV1Api;
const clock = new FakeClock(Date.now() - 150 * MINUTE);
const log = recordingLogger('info');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const hook = (name: string, path: string, port: number, rules: object[]) => ({ name, admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail', timeoutSeconds: 5, clientConfig: { url: `https://127.0.0.1:${port}${path}` }, rules });

beforeAll(async () => {
  cluster = await startTestCluster();
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  for (const name of ['drover', 'spark', 'legacy-batch']) {
    await core.createNamespace({ body: { metadata: { name, ...(name === 'legacy-batch' ? { annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } } : {}) } } });
  }
  await core.createNamespacedConfigMap({ namespace: 'drover', body: { metadata: { name: 'drover-defaults' }, data: { 'queues.yaml': INVALID_QUEUES } } });
  await core.createNamespacedConfigMap({ namespace: 'drover', body: { metadata: { name: 'drover-configs' }, data: { 'queues.yaml': QUEUES } } });
  await cluster.kubeConfig.makeApiClient(SchedulingV1Api).createPriorityClass({ body: { metadata: { name: 'batch-low', annotations: { 'yunikorn.apache.org/allow-preemption': 'false' } }, value: 10 } });
  const port = await freePort();
  const workloads = { operations: ['CREATE', 'UPDATE'], apiGroups: ['', 'apps', 'batch'], apiVersions: ['v1'], resources: ['pods', 'deployments', 'jobs'] };
  await admission.createMutatingWebhookConfiguration({ body: { metadata: { name: 'drover-admission-mutating' }, webhooks: [hook('mutate.drover.dev', '/mutate', port, [workloads])] } });
  const configMaps = { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };
  await admission.createValidatingWebhookConfiguration({ body: { metadata: { name: 'drover-admission-validating' }, webhooks: [hook('validate-conf.drover.dev', '/validate-conf', port, [configMaps])] } });
  const started = await startWebhook({
    port,
    host: '127.0.0.1',
    service: 'drover-webhook',
    namespace: 'drover',
    certificates: { kind: 'secret', secretName: 'drover-admission-certs', mutating: 'drover-admission-mutating', validating: 'drover-admission-validating', policy: POLICY, clock },
    kubeConfig: cluster.kubeConfig,
    overrides: {},
    configMaps: DEFAULT_CONFIG_MAPS,
    logger: log.logger,
  });
  if (!started.ok) throw new Error(started.message);
  webhook = started.webhook;
  await eventually('the caBundle in both configurations', async () => [(await admission.readMutatingWebhookConfiguration({ name: 'drover-admission-mutating' })).webhooks?.[0]?.clientConfig.caBundle, (await admission.readValidatingWebhookConfiguration({ name: 'drover-admission-validating' })).webhooks?.[0]?.clientConfig.caBundle], (b) => b.every((x) => x !== undefined && x !== ''));
});

afterAll(async () => {
  await webhook.close();
  await cluster.close();
});

let podCount = 0;
const createPod = (namespace: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, labels: Record<string, string> = {}) =>
  core.createNamespacedPod({ namespace, body: { metadata: { name: `pod-${++podCount}`, labels }, spec: { containers: [{ name: 'c', image: 'pause' }], ...spec } } });

/**
 * The SHA-256 fingerprint of the certificate the webhook presents to a new connection; with `caBundle`
 * (base64, as in a webhook configuration) the connection must also trust it, as the API server would.
 */
async function presented(caBundle?: string): Promise<string> {
  const trust = caBundle === undefined ? { rejectUnauthorized: false } : { ca: Buffer.from(caBundle, 'base64').toString('utf8'), rejectUnauthorized: true };
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: webhook.port, ...trust }, () => {
      resolve(socket.getPeerCertificate().fingerprint256.replaceAll(':', '').toLowerCase());
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** The caBundle of every entry of both configurations, as the API server reads them now. */
async function bundles(): Promise<string[]> {
  const admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const mutating = await admission.readMutatingWebhookConfiguration({ name: 'drover-admission-mutating' });
  const validating = await admission.readValidatingWebhookConfiguration({ name: 'drover-admission-validating' });
  return [...(mutating.webhooks ?? []), ...(validating.webhooks ?? [])].map((w) => w.clientConfig.caBundle ?? '');
}

describe('drover webhook with a cluster', () => {
  it('mutates a pod created through the API server: drover schedules it, under an application, as its submitter', async () => {
    const pod = await createPod('spark');
    expect(pod.spec?.schedulerName).toBe('drover');
    expect(pod.metadata?.labels).toMatchObject({ 'yunikorn.apache.org/app-id': 'yunikorn-spark-autogen', applicationId: 'yunikorn-spark-autogen' });
    expect(JSON.parse(pod.metadata?.annotations?.['yunikorn.apache.org/user.info'] ?? '{}')).toEqual({ user: 'drover-dev-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('leaves alone the pods of a namespace annotated enableYuniKorn: "false"', async () => {
    await eventually('the namespace in the cache', () => webhook.lookups?.namespace('legacy-batch') ?? null, (n) => n !== null);
    const pod = await createPod('legacy-batch');
    expect(pod.spec?.schedulerName).toBe('default-scheduler');
    expect(pod.metadata?.annotations?.['yunikorn.apache.org/user.info']).toBeUndefined();
  });

  it('takes allow-preemption from the PriorityClass', async () => {
    await eventually('the PriorityClass in the cache', () => webhook.lookups?.priorityClass('batch-low') ?? null, (c) => c !== null);
    const pod = await createPod('spark', { priorityClassName: 'batch-low' });
    expect(pod.metadata?.annotations?.['yunikorn.apache.org/allow-preemption']).toBe('false');
    expect((await createPod('spark')).metadata?.annotations?.['yunikorn.apache.org/allow-preemption']).toBe('true');
  });

  it('follows the admission settings of the ConfigMaps, and keeps them when an edit is unreadable', async () => {
    const edit = (data: Record<string, string>) => core.replaceNamespacedConfigMap({ name: 'drover-configs', namespace: 'drover', body: { metadata: { name: 'drover-configs' }, data: { 'queues.yaml': QUEUES, ...data } } });
    await edit({ 'admissionController.filtering.bypassNamespaces': '^spark$' });
    await eventually('the settings reloaded', () => webhook.settings().bypassNamespaces.map((p) => p.text), (t) => t.includes('^spark$'));
    expect((await createPod('spark')).spec?.schedulerName).toBe('default-scheduler');
    await edit({ 'admissionController.filtering.bypassNamespaces': '^spark$', 'admissionController.accessControl.bypassAuth': 'maybe' });
    await eventually('the edit refused', () => log.lines.filter((l) => l.msg === 'admission settings refused; the settings in force stay'), (l) => l.length > 0);
    expect(webhook.settings().bypassNamespaces.map((p) => p.text)).toEqual(['^spark$']);
    await edit({});
    await eventually('the default settings back', () => webhook.settings().bypassNamespaces.map((p) => p.text), (t) => t.length === 1 && t[0] === '^kube-system$');
  });

  it('refuses an invalid edit of the user ConfigMap, with the path of the problem, merged with the defaults', async () => {
    const edit = (data: Record<string, string>) => core.replaceNamespacedConfigMap({ name: 'drover-configs', namespace: 'drover', body: { metadata: { name: 'drover-configs' }, data } }).then(() => null, (e: unknown) => e as { code?: number; body?: unknown });
    const invalid = await edit({ 'queues.yaml': INVALID_QUEUES });
    expect(invalid?.code).toBe(422);
    expect(String(invalid?.body)).toContain('guaranteed-above-max at partitions[0].queues[0].queues[0].resources.guaranteed');
    // Without its own queues.yaml, the user ConfigMap would leave the defaults' (invalid) one in force.
    const uncovered = await edit({ 'log.level': 'debug' });
    expect(uncovered?.code).toBe(422);
    expect(String(uncovered?.body)).toContain('drover-defaults');
    expect(await edit({ 'queues.yaml': QUEUES })).toBeNull();
  });

  it('rotates its CA and certificate while pods keep being admitted', async () => {
    const manager = webhook.certificates;
    if (manager === null) throw new Error('no certificate manager');
    const before = await presented();
    const failures: unknown[] = [];
    let admitted = 0;
    let done = false;
    // Pods through the API server (which keeps its connection to the webhook open), and on each
    // round a new connection that trusts exactly what the configurations hold at that moment.
    const traffic = (async () => {
      while (!done) {
        try {
          const pod = await createPod('spark');
          if (pod.spec?.schedulerName === 'drover') admitted++;
          else failures.push(`not mutated: ${pod.metadata?.name ?? ''}`);
          for (const bundle of await bundles()) await presented(bundle);
        } catch (e) {
          failures.push(e instanceof Error ? e.message : e);
        }
      }
    })();
    const atLeast = (n: number) => eventually(`${n} pods admitted`, () => admitted, (a) => a >= n);
    await atLeast(3);
    // Minute 125: the CA and the serving certificate passed 2/3 of their 185 minutes (123.3).
    clock.advance(125 * MINUTE);
    await manager.reconcile();
    expect(manager.status().bundle).toHaveLength(2);
    await eventually('the new certificate presented', presented, (f) => f !== before);
    await atLeast(admitted + 3);
    // Minute 136: 10 minutes after the new certificate, the old CA leaves the bundle.
    clock.advance(11 * MINUTE);
    await manager.reconcile();
    expect(manager.status().bundle).toHaveLength(1);
    await atLeast(admitted + 3);
    done = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(await presented()).toBe(webhook.serving().summary.sha256Fingerprint);
  });
});

describe('the failure policy', () => {
  it('Ignore lets a request through when the webhook cannot be reached; Fail refuses it', async () => {
    const admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    const unreachable = (failurePolicy: 'Fail' | 'Ignore') => ({
      metadata: { name: `unreachable-${failurePolicy.toLowerCase()}` },
      webhooks: [{ ...hook(`down-${failurePolicy.toLowerCase()}.drover.dev`, '/down', 1, [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['secrets'] }]), failurePolicy, timeoutSeconds: 1 }],
    });
    await admission.createMutatingWebhookConfiguration({ body: unreachable('Ignore') });
    await expect(core.createNamespacedSecret({ namespace: 'spark', body: { metadata: { name: 's1' } } })).resolves.toMatchObject({ metadata: { name: 's1' } });
    await admission.createMutatingWebhookConfiguration({ body: unreachable('Fail') });
    await expect(core.createNamespacedSecret({ namespace: 'spark', body: { metadata: { name: 's2' } } })).rejects.toMatchObject({ code: 500 });
    await admission.deleteMutatingWebhookConfiguration({ name: 'unreachable-fail' });
  });
});

/**
 * The certificate manager against the embedded API server over HTTPS (@kubernetes/client-node): the
 * Secret, the caBundle of the webhook configurations, two replicas, rotation on a fake clock.
 */
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificate, signedBy } from '../../tls/authority.js';
import type { ServingCertificate } from '../../tls/certificates.js';
import { eventually, recordingLogger, startTestCluster } from '../cluster/test-helpers.js';
import type { TestCluster } from '../cluster/test-helpers.js';
import { createCertificateManager } from './manager.js';
import type { CertificateManager, CertificateManagerOptions } from './manager.js';
import { publishBundle } from './publish.js';
import { SECRET_KEYS } from './state.js';
import { FakeClock } from './test-helpers.js';

const DAY = 86_400_000;
let cluster: TestCluster;
let core: CoreV1Api;
let admission: AdmissionregistrationV1Api;
const managers: CertificateManager[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  await cluster.close();
});

const entry = (name: string, path: string) => ({ name, admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', clientConfig: { url: `https://127.0.0.1:1${path}` } });
const mutating = (name: string): V1MutatingWebhookConfiguration => ({ metadata: { name }, webhooks: [entry('pods.drover.dev', '/mutate'), entry('workloads.drover.dev', '/mutate')] });
const validating = (name: string): V1ValidatingWebhookConfiguration => ({ metadata: { name }, webhooks: [entry('configs.drover.dev', '/validate-conf')] });

/** A namespace and configuration names of its own for each test. */
async function scene(name: string): Promise<{ namespace: string; refs: CertificateManagerOptions['webhookConfigurations'] }> {
  await core.createNamespace({ body: { metadata: { name } } });
  return { namespace: name, refs: [{ kind: 'mutating', name: `${name}-mutating` }, { kind: 'validating', name: `${name}-validating` }] };
}

function manager(namespace: string, refs: CertificateManagerOptions['webhookConfigurations'], extra: Partial<CertificateManagerOptions> = {}) {
  const log = recordingLogger();
  const created = createCertificateManager({ kubeConfig: cluster.kubeConfig, namespace, secretName: 'drover-admission-certs', webhookConfigurations: refs, dnsNames: [`drover-webhook.${namespace}.svc`], logger: log.logger, retryMs: { first: 20, max: 200 }, ...extra });
  if (!created.ok) throw new Error(created.message);
  managers.push(created.manager);
  return { manager: created.manager, lines: log.lines };
}

async function started(m: CertificateManager): Promise<ServingCertificate> {
  const s = await m.start();
  if (!s.ok) throw new Error('stopped');
  return s.certificate;
}

const pemOf = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
const bundles = async (refs: CertificateManagerOptions['webhookConfigurations']) => {
  const out: (string | undefined)[] = [];
  for (const ref of refs) {
    const config = ref.kind === 'mutating' ? await admission.readMutatingWebhookConfiguration({ name: ref.name }) : await admission.readValidatingWebhookConfiguration({ name: ref.name });
    for (const w of config.webhooks ?? []) out.push(w.clientConfig.caBundle);
  }
  return out;
};
const secret = (namespace: string) => core.readNamespacedSecret({ name: 'drover-admission-certs', namespace });
/** The CAs of a bundle, oldest first, by subject. */
const subjects = (b64: string | undefined) => (pemOf(b64).match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((pem) => { const r = readCertificate(pem); return r.ok ? r.value.subject : 'unreadable'; });

describe('the certificate manager', () => {
  it('creates the Secret and writes the CA into every entry of both configurations', async () => {
    const { namespace, refs } = await scene('certs-create');
    await admission.createMutatingWebhookConfiguration({ body: mutating(`${namespace}-mutating`) });
    await admission.createValidatingWebhookConfiguration({ body: validating(`${namespace}-validating`) });
    const { manager: m } = manager(namespace, refs);
    const certificate = await started(m);
    const s = await secret(namespace);
    expect(Object.keys(s.data ?? {}).sort()).toEqual([SECRET_KEYS.caCert, SECRET_KEYS.caKey, SECRET_KEYS.tlsCert, SECRET_KEYS.tlsKey].sort());
    expect(s.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'drover' });
    const ca = pemOf(s.data?.[SECRET_KEYS.caCert]);
    const written = await eventually('the caBundle in the three entries', () => bundles(refs), (b) => b.every((x) => x !== undefined));
    expect(written.map((b) => pemOf(b).trim())).toEqual([ca.trim(), ca.trim(), ca.trim()]);
    expect(signedBy(certificate.certPem, ca)).toBe(true);
    expect(certificate.summary.dnsNames).toContain(`drover-webhook.${namespace}.svc`);
  });

  it('lets two replicas starting together agree on one CA: one creates, the other reads the winner', async () => {
    const { namespace, refs } = await scene('certs-race');
    const a = manager(namespace, refs);
    const b = manager(namespace, refs);
    const [ca, cb] = await Promise.all([started(a.manager), started(b.manager)]);
    expect(cb.summary.sha256Fingerprint).toBe(ca.summary.sha256Fingerprint);
    const creations = [...a.lines, ...b.lines].filter((l) => l.msg === 'certificate Secret created');
    expect(creations).toHaveLength(1);
  });

  it('writes the bundle into a configuration created after it started, and again after an upgrade resets it', async () => {
    const { namespace, refs } = await scene('certs-later');
    const { manager: m } = manager(namespace, refs);
    await started(m);
    expect(m.status().configurations).toMatchObject({ [`MutatingWebhookConfiguration ${namespace}-mutating`]: 'missing' });
    await admission.createMutatingWebhookConfiguration({ body: mutating(`${namespace}-mutating`) });
    const ref = refs.slice(0, 1);
    await eventually('the caBundle of the new configuration', () => bundles(ref), (b) => b.every((x) => x !== undefined));
    const current = await admission.readMutatingWebhookConfiguration({ name: `${namespace}-mutating` });
    await admission.replaceMutatingWebhookConfiguration({ name: `${namespace}-mutating`, body: { ...current, webhooks: (current.webhooks ?? []).map((w) => ({ ...w, clientConfig: { ...w.clientConfig, caBundle: '' } })) } });
    await eventually('the caBundle written again', () => bundles(ref), (b) => b.every((x) => x !== undefined && x !== ''));
  });

  it('restores a deleted Secret with the CA it serves, and replaces parts that cannot be read', async () => {
    const { namespace, refs } = await scene('certs-restore');
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'drover-admission-certs' }, data: { [SECRET_KEYS.tlsCert]: Buffer.from('not a certificate').toString('base64') } } });
    const { manager: m, lines } = manager(namespace, refs);
    await started(m);
    expect(lines.find((l) => l.msg === 'parts of the certificate Secret cannot be used; they are replaced')?.problems).toEqual([`${SECRET_KEYS.tlsKey}: missing`]);
    const ca = (await secret(namespace)).data?.[SECRET_KEYS.caCert];
    await core.deleteNamespacedSecret({ name: 'drover-admission-certs', namespace });
    const restored = await eventually('the Secret restored', () => secret(namespace).catch(() => null), (s) => s !== null);
    expect(restored?.data?.[SECRET_KEYS.caCert]).toBe(ca);
  });

  it('rotates without ever serving a certificate the bundle does not hold', async () => {
    const { namespace, refs } = await scene('certs-rotate');
    // Every write of the Secret and of the configurations, in the order the API server took them.
    const history: { kind: 'secret' | 'config'; name: string; bundle: string[]; servingIssuer: string }[] = [];
    const store = cluster.api.api.store;
    const stops = [
      store.watch('/secrets', { namespace, resourceVersion: store.resourceVersion }, (e) => {
        const data = (e.object as { data?: Record<string, string> }).data ?? {};
        const tls = readCertificate(pemOf(data[SECRET_KEYS.tlsCert]));
        history.push({ kind: 'secret', name: '', bundle: [], servingIssuer: tls.ok ? tls.value.issuer : '' });
      }),
      ...(['mutating', 'validating'] as const).map((kind) =>
        store.watch(`admissionregistration.k8s.io/${kind}webhookconfigurations`, { namespace: null, resourceVersion: store.resourceVersion }, (e) => {
          const hooks = (e.object as { webhooks?: { clientConfig?: { caBundle?: string } }[] }).webhooks ?? [];
          history.push({ kind: 'config', name: `${kind}/${e.object.metadata?.name ?? ''}`, bundle: subjects(hooks[0]?.clientConfig?.caBundle), servingIssuer: '' });
        }),
      ),
    ];
    await admission.createMutatingWebhookConfiguration({ body: mutating(`${namespace}-mutating`) });
    await admission.createValidatingWebhookConfiguration({ body: validating(`${namespace}-validating`) });
    const clock = new FakeClock(Date.now());
    const served: ServingCertificate[] = [];
    const { manager: m } = manager(namespace, refs, { clock, onServing: (c) => served.push(c) });
    const first = await started(m);
    const t0 = clock.now();

    // Day 244: the CA passed 2/3 of its 365 days (day 243.3); its serving certificate (90 days) too.
    clock.moveTo(t0 + 244 * DAY);
    await m.reconcile();
    const rotated = await secret(namespace);
    expect(rotated.data?.[SECRET_KEYS.previousCaCert]).toBeDefined();
    expect(signedBy(first.certPem, pemOf(rotated.data?.[SECRET_KEYS.previousCaCert]))).toBe(true);
    const [now] = served.slice(-1);
    expect(now !== undefined && signedBy(now.certPem, pemOf(rotated.data?.[SECRET_KEYS.caCert]))).toBe(true);
    expect((await bundles(refs)).map(subjects).map((s) => s.length)).toEqual([2, 2, 2]);

    // Day 245.1: the grace period (1 day) is over: the old CA leaves the bundle and the Secret.
    clock.moveTo(t0 + 245.1 * DAY);
    await m.reconcile();
    expect((await secret(namespace)).data?.[SECRET_KEYS.previousCaCert]).toBeUndefined();
    expect((await bundles(refs)).map(subjects).map((s) => s.length)).toEqual([1, 1, 1]);
    for (const stop of stops) if (stop.ok) stop.value();

    // The order the API server saw: the serving certificate moves to a new CA only once every
    // configuration trusts that CA.
    const latest = new Map<string, string[]>();
    let issuer = '';
    for (const h of history) {
      if (h.kind === 'config') latest.set(h.name, h.bundle);
      else if (h.servingIssuer !== issuer) {
        if (issuer !== '') for (const [name, bundle] of latest) expect({ name, trusted: bundle.includes(h.servingIssuer) }).toEqual({ name, trusted: true });
        issuer = h.servingIssuer;
      }
    }
    expect(history.filter((h) => h.kind === 'config').length).toBeGreaterThanOrEqual(6);
    expect(m.status().nextCheck).not.toBeNull();
  });

  it('leaves a configuration alone when its view of the Secret is stale', async () => {
    await admission.createMutatingWebhookConfiguration({ body: mutating('certs-stale-mutating') });
    const outcome = await publishBundle(admission, { kind: 'mutating', name: 'certs-stale-mutating' }, 'b2xk', () => Promise.resolve(false));
    expect(outcome).toEqual({ kind: 'stale' });
    expect(await bundles([{ kind: 'mutating', name: 'certs-stale-mutating' }])).toEqual([undefined, undefined]);
  });

  it('refuses a rotation policy that cannot work, naming the option', () => {
    const created = createCertificateManager({ kubeConfig: cluster.kubeConfig, namespace: 'x', secretName: 'x', webhookConfigurations: [], dnsNames: ['x'], logger: recordingLogger().logger, policy: { renewFraction: 1.5 } });
    expect(created.ok ? '' : created.message).toContain('renewFraction');
  });
});

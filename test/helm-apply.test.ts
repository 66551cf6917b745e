/**
 * The rendered chart applied with `kubectl apply -f` to the embedded API server, with kubectl's
 * default (strict) field validation, as a first install and then as upgrades. The embedded server
 * serves every kind the chart renders except cert-manager's (Certificate, Issuer), which are skipped
 * and named. All are checked against Kubernetes' schemas in helm-chart.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { apiVersionOf, RESOURCES } from '../apiserver/resources.js';
import { generateCertificates } from '../tls/certificates.js';
import { loadChart, renderChart, toStream } from './helm/chart.js';
import type { Manifest } from './helm/chart.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const NAMESPACE = 'drover-system';
const chart = loadChart(join(ROOT, 'helm', 'drover'));
const dir = mkdtempSync(join(tmpdir(), 'drover-helm-apply-'));
let server: RunningApiServer;
let config = '';

beforeAll(async () => {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  server = await startApiServer({ certificate, token: 'k' });
  config = join(dir, 'kubeconfig');
  writeFileSync(config, kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token: 'k' }));
});

afterAll(async () => {
  await server.close();
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('kubectl', ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

const SERVED = new Set(RESOURCES.map((r) => `${apiVersionOf(r)} ${r.kind}`));

/** The manifests the embedded server serves, and the kinds skipped. */
function split(values: Record<string, unknown>): { served: Manifest[]; skipped: string[] } {
  const r = renderChart(chart, { name: 'drover', namespace: NAMESPACE }, values);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const served = r.manifests.filter((m) => SERVED.has(`${m.object.apiVersion} ${m.object.kind}`));
  const skipped = [...new Set(r.manifests.filter((m) => !served.includes(m)).map((m) => m.object.kind))].sort();
  return { served, skipped };
}

function file(name: string, manifests: readonly Manifest[]): string {
  const path = join(dir, name);
  writeFileSync(path, toStream(manifests));
  return path;
}

const CA_BUNDLE = Buffer.from('a CA from the webhook').toString('base64');
const SKIPPED: string[] = [];

describe('kubectl apply of the rendered chart', () => {
  it('installs the served objects into the release namespace, with strict validation', async () => {
    const { served, skipped } = split({});
    expect(skipped).toEqual(SKIPPED);
    expect((await kubectl('create', 'namespace', NAMESPACE)).code).toBe(0);
    const r = await kubectl('apply', '-f', file('install.yaml', served));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // every object of the chart, created
    expect(lines).toHaveLength(served.length);
    expect(lines.filter((line) => !line.endsWith(' created'))).toEqual([]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'configmap/drover-defaults created',
        'configmap/drover-configs created',
        'mutatingwebhookconfiguration.admissionregistration.k8s.io/drover-admission-mutating created',
        'validatingwebhookconfiguration.admissionregistration.k8s.io/drover-admission-validating created',
        'deployment.apps/drover-scheduler created',
        'clusterrole.rbac.authorization.k8s.io/drover-scheduler created',
        'poddisruptionbudget.policy/drover-webhook created',
      ]),
    );
    const queues = await kubectl('get', 'configmap', 'drover-configs', '-n', NAMESPACE, '-o', 'jsonpath={.data.queues\\.yaml}');
    expect(queues.stdout).toBe(readFileSync(join(ROOT, 'config', 'queues.yaml'), 'utf8'));
    const hook = JSON.parse((await kubectl('get', 'validatingwebhookconfiguration', 'drover-admission-validating', '-o', 'json')).stdout) as { webhooks: { matchConditions?: unknown[]; clientConfig: unknown }[] };
    expect(hook.webhooks[0]?.matchConditions).toHaveLength(1);
    expect(hook.webhooks[0]?.clientConfig).toEqual({ service: { name: 'drover-webhook', namespace: NAMESPACE, path: '/validate-conf', port: 443 } });
  });

  it('applies again without a change', async () => {
    const r = await kubectl('apply', '-f', file('again.yaml', split({}).served));
    expect(r.code).toBe(0);
    // A PodDisruptionBudget's selector has the patch strategy `replace`, so kubectl's patch of it is
    // never empty and it says "configured", against a real API server too; everything else is unchanged.
    const changed = r.stdout.trim().split('\n').filter((line) => !line.endsWith(' unchanged'));
    expect(changed).toEqual(['poddisruptionbudget.policy/drover-scheduler configured', 'poddisruptionbudget.policy/drover-webhook configured']);
  });

  it('upgrades changed values, leaving the caBundle the webhook wrote', async () => {
    // the webhook's certificate manager writes the caBundle; an upgrade must leave it (the chart never sets it)
    const patch = JSON.stringify([{ op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: CA_BUNDLE }]);
    expect((await kubectl('patch', 'mutatingwebhookconfiguration', 'drover-admission-mutating', '--type', 'json', '-p', patch)).code).toBe(0);
    const r = await kubectl('apply', '-f', file('values.yaml', split({ config: { kubernetes: { qps: 500 } }, userConfig: { queuesYaml: 'partitions: []\n' } }).served));
    expect(r.code).toBe(0);
    // the two ConfigMaps change (and the PodDisruptionBudgets always say so, see above)
    expect(r.stdout.trim().split('\n').filter((line) => !line.endsWith(' unchanged')).sort()).toEqual([
      'configmap/drover-configs configured',
      'configmap/drover-defaults configured',
      'poddisruptionbudget.policy/drover-scheduler configured',
      'poddisruptionbudget.policy/drover-webhook configured',
    ]);
    expect(r.stdout).toContain('mutatingwebhookconfiguration.admissionregistration.k8s.io/drover-admission-mutating unchanged');
    expect((await kubectl('get', 'configmap', 'drover-defaults', '-n', NAMESPACE, '-o', 'jsonpath={.data.kubernetes\\.qps}')).stdout).toBe('500');
    expect((await kubectl('get', 'mutatingwebhookconfiguration', 'drover-admission-mutating', '-o', 'jsonpath={.webhooks[0].clientConfig.caBundle}')).stdout).toBe(CA_BUNDLE);
  });

  // kubectl patches one field of a webhook: the embedded server merges `webhooks` by `name`, as
  // Kubernetes does, so the rest of the entry (the caBundle the webhook wrote) stays.
  it('upgrades to cert-manager: the webhook configurations change, the caBundle stays', async () => {
    const { served, skipped } = split({ certManager: { enabled: true }, webhook: { excludeNamespaces: ['kube-system', 'monitoring'] } });
    expect(skipped).toEqual([...SKIPPED, 'Certificate', 'Issuer'].sort());
    const r = await kubectl('apply', '-f', file('cert-manager.yaml', served));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mutatingwebhookconfiguration.admissionregistration.k8s.io/drover-admission-mutating configured');
    const hook = JSON.parse((await kubectl('get', 'mutatingwebhookconfiguration', 'drover-admission-mutating', '-o', 'json')).stdout) as {
      metadata: { annotations?: Record<string, string> };
      webhooks: { clientConfig?: { caBundle?: string; service?: unknown }; namespaceSelector?: { matchExpressions?: { values?: string[] }[] } }[];
    };
    expect(hook.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBe(`${NAMESPACE}/drover-webhook`);
    expect(hook.webhooks[0]?.namespaceSelector?.matchExpressions?.[0]?.values).toEqual([NAMESPACE, 'kube-system', 'monitoring']);
    expect(hook.webhooks[0]?.clientConfig).toEqual({ service: { name: 'drover-webhook', namespace: NAMESPACE, path: '/mutate', port: 443 }, caBundle: CA_BUNDLE });
  });
});

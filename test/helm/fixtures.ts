/**
 * Shared by the chart suites (test/helm-*.test.ts): the chart, the release it is rendered as, the
 * value variants every suite runs, and small readers for the rendered objects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadChart, renderChart } from './chart.js';
import type { Manifest } from './chart.js';
import type { K8sObject } from './security.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const chart = loadChart(join(ROOT, 'helm', 'drover'));
export const RELEASE = { name: 'drover', namespace: 'drover-system' };
export const QUEUES = readFileSync(join(ROOT, 'config', 'queues.yaml'), 'utf8');

export type Obj = Record<string, unknown>;
export const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const at = (v: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((x, k) => (typeof k === 'number' ? arr(x)[k] : o(x)[k]), v);

/** A Role's or ClusterRole's rules flattened to `group/resource:verb`, with `@name` when limited by name. */
export function grants(x: K8sObject): string[] {
  return arr(x.rules)
    .flatMap((rule) => {
      const r = o(rule);
      const names = arr(r.resourceNames).map(String);
      return arr(r.apiGroups).flatMap((g) =>
        arr(r.resources).flatMap((res) => arr(r.verbs).flatMap((v) => (names.length === 0 ? [''] : names).map((n) => `${String(g)}/${String(res)}:${String(v)}${n === '' ? '' : `@${n}`}`))),
      );
    })
    .sort();
}

export function render(values: Obj = {}) {
  const r = renderChart(chart, RELEASE, values);
  if (!r.ok) throw new Error(`render failed: ${JSON.stringify(r.issues)}`);
  const find = (kind: string, name?: string): K8sObject => {
    const m = r.manifests.find((x) => x.object.kind === kind && (name === undefined || x.object.metadata.name === name));
    if (m === undefined) throw new Error(`no ${kind} ${name ?? ''}`);
    return m.object;
  };
  return { ...r, objects: r.manifests.map((m: Manifest) => m.object), find };
}

export const CUSTOM_QUEUES = 'partitions:\n  - name: default\n    queues:\n      - name: root\n        queues:\n          - name: batch\n';

export const VARIANTS = [
  { name: 'default values', values: {} },
  { name: 'cert-manager with a self-signed Issuer', values: { certManager: { enabled: true } } },
  { name: 'cert-manager with a ClusterIssuer', values: { certManager: { enabled: true, issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer' } } } },
  {
    name: 'overrides',
    values: {
      fullnameOverride: 'batch',
      image: { repository: 'registry.example.com/drover', digest: `sha256:${'a'.repeat(64)}` },
      imagePullSecrets: [{ name: 'regcred' }],
      priorityClassName: '',
      securityContext: { runAsUser: 1001, runAsGroup: 1001 },
      scheduler: {
        replicas: 3,
        restAuth: { existingSecret: 'drover-ui-token', key: 'token' },
        podDisruptionBudget: { enabled: false },
        topologySpread: { whenUnsatisfiable: 'DoNotSchedule' },
        podAnnotations: { 'example.com/team': 'platform' },
        podLabels: { tier: 'control' },
        nodeSelector: { 'node-role.kubernetes.io/control': 'true' },
        tolerations: [{ key: 'control', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['system'] }] }] } } },
      },
      webhook: { excludeNamespaces: ['kube-system', 'monitoring'], failurePolicy: 'Fail', logLevel: 'debug', timeoutSeconds: 10 },
      config: {
        service: { schedulingInterval: '250ms' },
        // 1000000 is where Go prints a float64 as 1e+06: the chart converts with int first
        kubernetes: { qps: 1000000, burst: 2000 },
        admissionController: { filtering: { processNamespaces: '^team-,^batch-', generateUniqueAppId: true }, accessControl: { externalGroups: '^admins$' } },
        extra: { 'log.level': 'debug' },
      },
      userConfig: { queuesYaml: CUSTOM_QUEUES },
    },
  },
  { name: 'no user ConfigMap', values: { userConfig: { create: false } } },
];

/**
 * The chart's values: what overrides change in the rendered objects, and what values.schema.json
 * refuses at install, each with its code and path (helm validates the merged values before it renders).
 */
import { describe, expect, it } from 'vitest';
import { serviceSettings } from '../shim/config-source.js';
import { admissionSettings } from '../webhook/admission/index.js';
import { renderChart } from './helm/chart.js';
import { at, chart, CUSTOM_QUEUES, o, RELEASE, render, VARIANTS } from './helm/fixtures.js';

describe('values', () => {
  it('reach the objects: overrides', () => {
    const values = VARIANTS.find((v) => v.name === 'overrides')?.values ?? {};
    const r = render(values);
    const scheduler = r.find('Deployment', 'batch-scheduler');
    expect(at(scheduler, 'spec', 'replicas')).toBe(3);
    const spec = o(at(scheduler, 'spec', 'template', 'spec'));
    expect(spec.priorityClassName).toBeUndefined();
    expect(at(spec, 'containers', 0, 'image')).toBe(`registry.example.com/drover@sha256:${'a'.repeat(64)}`);
    expect(at(spec, 'securityContext', 'runAsUser')).toBe(1001);
    expect(at(spec, 'topologySpreadConstraints', 0, 'whenUnsatisfiable')).toBe('DoNotSchedule');
    expect(spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/control': 'true' });
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(at(scheduler, 'spec', 'template', 'metadata', 'labels', 'tier')).toBe('control');
    expect(at(scheduler, 'spec', 'template', 'metadata', 'annotations')).toEqual({ 'example.com/team': 'platform' });
    expect(r.objects.filter((x) => x.kind === 'PodDisruptionBudget').map((x) => x.metadata.name)).toEqual(['batch-webhook']);
    const hook = o(at(r.find('MutatingWebhookConfiguration', 'batch-admission-mutating'), 'webhooks', 0));
    expect(hook).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 10 });
    expect(at(hook, 'namespaceSelector', 'matchExpressions', 0, 'values')).toEqual(['drover-system', 'kube-system', 'monitoring']);
    expect(at(r.find('ConfigMap', 'drover-configs'), 'data', 'queues.yaml')).toBe(CUSTOM_QUEUES);
    const data = o(at(r.find('ConfigMap', 'drover-defaults'), 'data')) as Record<string, string>;
    expect(data['log.level']).toBe('debug');
    expect(serviceSettings(data)).toEqual({ settings: { schedulingIntervalMs: 250, qps: 1000000, burst: 2000 }, problems: [] });
    const admission = admissionSettings(data);
    expect(admission.problems).toEqual([]);
    expect(admission.settings.generateUniqueAppId).toBe(true);
    expect(admission.settings.processNamespaces.map((p) => p.text)).toEqual(['^team-', '^batch-']);
    expect(admission.settings.externalGroups.map((p) => p.text)).toEqual(['^admins$']);
  });

  it.each([
    { name: 'a self-signed Issuer by default', values: { certManager: { enabled: true } }, kinds: ['Certificate', 'Issuer'], issuerRef: { name: 'drover-selfsigned', kind: 'Issuer', group: 'cert-manager.io' } },
    { name: 'the issuer given', values: { certManager: { enabled: true, issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer' } } }, kinds: ['Certificate'], issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
  ])('cert-manager: $name', ({ values, kinds, issuerRef }) => {
    const r = render(values);
    expect(r.objects.filter((x) => x.apiVersion === 'cert-manager.io/v1').map((x) => x.kind)).toEqual(kinds);
    const certificate = r.find('Certificate', 'drover-webhook');
    expect(at(certificate, 'spec', 'issuerRef')).toEqual(issuerRef);
    expect(at(certificate, 'spec', 'secretName')).toBe('drover-webhook-tls');
    const volume = o(at(r.find('Deployment', 'drover-webhook'), 'spec', 'template', 'spec', 'volumes', 1));
    expect(at(volume, 'secret', 'secretName')).toBe('drover-webhook-tls');
  });

  it('leave drover-configs to the platform team when asked', () => {
    const r = render({ userConfig: { create: false } });
    expect(r.objects.filter((x) => x.kind === 'ConfigMap').map((x) => x.metadata.name)).toEqual(['drover-defaults']);
  });

  it.each([
    // name, values, expected issue (code and path)
    { name: 'replicas as a word', values: { scheduler: { replicas: 'two' } }, code: 'schema-type', path: 'scheduler.replicas' },
    { name: 'no replicas', values: { webhook: { replicas: 0 } }, code: 'schema-minimum', path: 'webhook.replicas' },
    { name: 'a failure policy that does not exist', values: { webhook: { failurePolicy: 'Sometimes' } }, code: 'schema-enum', path: 'webhook.failurePolicy' },
    { name: 'a misspelt key', values: { scheduler: { replica: 3 } }, code: 'schema-additionalProperties', path: 'scheduler.replica' },
    { name: 'root', values: { securityContext: { runAsUser: 0 } }, code: 'schema-minimum', path: 'securityContext.runAsUser' },
    { name: 'a removed required value', values: { image: { repository: null } }, code: 'schema-required', path: 'image.repository' },
    { name: 'an empty image', values: { image: { repository: '' } }, code: 'schema-minLength', path: 'image.repository' },
    { name: 'a qps as text', values: { config: { kubernetes: { qps: '1000' } } }, code: 'schema-type', path: 'config.kubernetes.qps' },
    { name: 'an interval that is no duration', values: { config: { service: { schedulingInterval: '1 second' } } }, code: 'schema-pattern', path: 'config.service.schedulingInterval' },
    { name: 'a memory limit that is no quantity', values: { scheduler: { resources: { limits: { memory: '1 GB' } } } }, code: 'schema-anyOf', path: 'scheduler.resources.limits.memory' },
    { name: 'a boolean as text', values: { config: { admissionController: { filtering: { generateUniqueAppId: 'yes' } } } }, code: 'schema-type', path: 'config.admissionController.filtering.generateUniqueAppId' },
    { name: 'an extra key the chart sets itself', values: { config: { extra: { 'kubernetes.qps': '5' } } }, code: 'schema-propertyNames', path: 'config.extra' },
    { name: 'a log level the webhook refuses', values: { webhook: { logLevel: 'verbose' } }, code: 'schema-enum', path: 'webhook.logLevel' },
    { name: 'an issuer kind cert-manager lacks', values: { certManager: { enabled: true, issuerRef: { name: 'x', kind: 'Vault' } } }, code: 'schema-enum', path: 'certManager.issuerRef.kind' },
    { name: 'a reserved pod label', values: { webhook: { podLabels: { app: 'other' } } }, code: 'schema-propertyNames', path: 'webhook.podLabels' },
  ])('refuse $name at install, with its path', ({ values, code, path }) => {
    const r = renderChart(chart, RELEASE, values);
    if (r.ok) return expect.fail('the schema accepted it');
    expect(r.issues).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('are checked all at once', () => {
    const r = renderChart(chart, RELEASE, { scheduler: { replicas: 'two' }, webhook: { failurePolicy: 'Never' } });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['scheduler.replicas', 'webhook.failurePolicy']));
  });
});

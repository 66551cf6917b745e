/**
 * The Helm chart (helm/drover), rendered by test/helm's renderer as `helm template` would: with the
 * default values, with cert-manager, and with overrides. Every object is checked against Kubernetes'
 * schemas and the security properties of issue 8; the RBAC is exactly what the code calls; names and
 * flags agree with what the binaries read. Values: helm-values.test.ts; the checks themselves:
 * helm-security.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScheduler } from '../cli/scheduler.js';
import { fakeIo } from '../cli/test-helpers.js';
import { parseWebhookArgs } from '../cli/webhook.js';
import { placeholderImage, serviceSettings } from '../shim/config-source.js';
import { admissionSettings, OWN_APP_LABEL_VALUE, WORKLOAD_TEMPLATES } from '../webhook/admission/index.js';
import { DEFAULT_CONFIG_MAPS } from '../webhook/server/config-maps.js';
import { arr, at, chart, grants, o, QUEUES, RELEASE, render, ROOT, VARIANTS } from './helm/fixtures.js';
import { securityProblems } from './helm/security.js';
import { kubernetesProblems } from './helm/validate.js';

describe('the chart renders valid, secure objects', () => {
  it.each(VARIANTS)('$name: every object is valid for Kubernetes', ({ values }) => {
    const r = render(values);
    expect(r.objects.length).toBeGreaterThan(10);
    const problems = r.objects.flatMap((x) => kubernetesProblems(x).map((p) => `${x.kind}/${x.metadata.name}: ${p}`));
    expect(problems).toEqual([]);
  });

  it.each(VARIANTS)('$name: no security problem (RBAC, containers, tokens)', ({ values }) => {
    expect(securityProblems(render(values).objects)).toEqual([]);
  });

  it.each(VARIANTS)('$name: namespaced objects are in the release namespace, names are unique', ({ values }) => {
    const r = render(values);
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
    for (const x of r.objects) expect(x.metadata.namespace, `${x.kind}/${x.metadata.name}`).toBe(clusterScoped.includes(x.kind) ? undefined : RELEASE.namespace);
    const keys = r.objects.map((x) => `${x.kind}/${x.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(VARIANTS)('$name: selectors, ports, ServiceAccounts and probes line up', ({ values }) => {
    const r = render(values);
    const deployments = r.objects.filter((x) => x.kind === 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const podLabels = o(at(d, 'spec', 'template', 'metadata', 'labels'));
      expect(podLabels).toMatchObject(o(at(d, 'spec', 'selector', 'matchLabels')));
      // the webhook leaves drover's own pods alone by this label
      expect(podLabels.app).toBe(OWN_APP_LABEL_VALUE);
      const spec = o(at(d, 'spec', 'template', 'spec'));
      expect(r.find('ServiceAccount', String(spec.serviceAccountName))).toBeDefined();
      const container = o(at(spec, 'containers', 0));
      const ports = arr(container.ports).map((p) => String(o(p).name));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        if (container[probe] !== undefined) expect(ports).toContain(String(at(container, probe, 'httpGet', 'port')));
      }
      for (const s of r.objects.filter((x) => x.kind === 'Service' && at(x, 'metadata', 'labels', 'app.kubernetes.io/component') === podLabels['app.kubernetes.io/component'])) {
        expect(podLabels).toMatchObject(o(at(s, 'spec', 'selector')));
        for (const p of arr(at(s, 'spec', 'ports'))) expect(ports).toContain(String(o(p).targetPort));
      }
      for (const pdb of r.objects.filter((x) => x.kind === 'PodDisruptionBudget')) {
        const selects = Object.entries(o(at(pdb, 'spec', 'selector', 'matchLabels'))).every(([k, v]) => podLabels[k] === v);
        if (selects) expect(pdb.metadata.name).toBe(d.metadata.name);
      }
      const spread = o(at(spec, 'topologySpreadConstraints', 0));
      expect(spread.topologyKey).toBe('kubernetes.io/hostname');
      expect(podLabels).toMatchObject(o(at(spread, 'labelSelector', 'matchLabels')));
    }
  });
});

describe('the default rendering', () => {
  const r = render();

  it('has the objects issue 8 asks for, in Helm\'s install order', () => {
    expect(r.objects.map((x) => `${x.kind}/${x.metadata.name}`)).toEqual([
      'PodDisruptionBudget/drover-scheduler', 'PodDisruptionBudget/drover-webhook',
      'ServiceAccount/drover-scheduler', 'ServiceAccount/drover-webhook',
      'ConfigMap/drover-defaults', 'ConfigMap/drover-configs',
      'ClusterRole/drover-scheduler', 'ClusterRole/drover-webhook',
      'ClusterRoleBinding/drover-scheduler', 'ClusterRoleBinding/drover-webhook',
      'Role/drover-scheduler', 'Role/drover-webhook',
      'RoleBinding/drover-scheduler', 'RoleBinding/drover-webhook',
      'Service/drover-scheduler', 'Service/drover-webhook',
      'Deployment/drover-scheduler', 'Deployment/drover-webhook',
      'MutatingWebhookConfiguration/drover-admission-mutating', 'ValidatingWebhookConfiguration/drover-admission-validating',
    ]);
  });

  it('runs two schedulers with leader election and two webhooks, at system-cluster-critical', () => {
    for (const name of ['drover-scheduler', 'drover-webhook']) {
      const d = r.find('Deployment', name);
      expect(at(d, 'spec', 'replicas')).toBe(2);
      expect(at(d, 'spec', 'template', 'spec', 'priorityClassName')).toBe('system-cluster-critical');
      expect(at(d, 'spec', 'template', 'spec', 'automountServiceAccountToken')).toBe(true);
      expect(at(d, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('drover:0.1.0');
    }
    const scheduler = o(at(r.find('Deployment', 'drover-scheduler'), 'spec', 'template', 'spec', 'containers', 0));
    expect(scheduler.args).toEqual(['scheduler', '--config-namespace', '$(POD_NAMESPACE)', '--leader-elect', '--lease-name', 'drover-scheduler', '--health-port', '9081', '--rest-port', '9080']);
    expect(arr(scheduler.env).map((e) => [o(e).name, at(e, 'valueFrom', 'fieldRef', 'fieldPath')])).toEqual([['POD_NAME', 'metadata.name'], ['POD_NAMESPACE', 'metadata.namespace']]);
    expect(at(scheduler, 'livenessProbe', 'httpGet')).toEqual({ path: '/livez', port: 'health' });
    expect(at(scheduler, 'readinessProbe', 'httpGet')).toEqual({ path: '/readyz', port: 'health' });
    expect(arr(scheduler.ports).map((p) => [o(p).name, o(p).containerPort])).toEqual([['http', 9080], ['health', 9081]]);
    const webhook = o(at(r.find('Deployment', 'drover-webhook'), 'spec', 'template', 'spec', 'containers', 0));
    expect(at(webhook, 'readinessProbe', 'httpGet')).toEqual({ path: '/health', port: 'https', scheme: 'HTTPS' });
    expect(at(r.find('Service', 'drover-webhook'), 'spec', 'ports')).toEqual([{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
    expect(at(r.find('Service', 'drover-scheduler'), 'spec', 'ports')).toEqual([{ name: 'http', port: 9080, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('says in NOTES.txt how to reach the UI', () => {
    expect(r.notes).toContain('kubectl --namespace drover-system port-forward svc/drover-scheduler 9080:9080');
    expect(r.notes).toContain('http://localhost:9080');
  });

  it('registers the mutating webhook for pods and every workload the webhook handles, failing open', () => {
    const hook = o(at(r.find('MutatingWebhookConfiguration'), 'webhooks', 0));
    expect(hook).toMatchObject({ failurePolicy: 'Ignore', sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 5 });
    expect(hook.clientConfig).toEqual({ service: { name: 'drover-webhook', namespace: 'drover-system', path: '/mutate', port: 443 } });
    expect(o(hook.clientConfig).caBundle).toBeUndefined();
    const rules = arr(hook.rules).map(o);
    for (const rule of rules) expect(rule.operations).toEqual(['CREATE', 'UPDATE']);
    const resources = rules.flatMap((rule) => arr(rule.resources).map((res) => `${String(arr(rule.apiGroups)[0])}/${String(res)}`));
    const workloads = Object.keys(WORKLOAD_TEMPLATES).map((k) => `${k === 'Job' || k === 'CronJob' ? 'batch' : 'apps'}/${k.toLowerCase()}s`);
    expect(resources.sort()).toEqual(['/pods', ...workloads].sort());
    expect(at(hook, 'namespaceSelector', 'matchExpressions')).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['drover-system', 'kube-system'] }]);
  });

  it("validates only drover's ConfigMaps, by the names the webhook and the scheduler read", () => {
    const hook = o(at(r.find('ValidatingWebhookConfiguration'), 'webhooks', 0));
    expect(hook).toMatchObject({ failurePolicy: 'Ignore', sideEffects: 'None', admissionReviewVersions: ['v1'] });
    expect(at(hook, 'clientConfig', 'service', 'path')).toBe('/validate-conf');
    expect(hook.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'drover-system' } });
    expect(at(hook, 'rules', 0, 'resources')).toEqual(['configmaps']);
    const expression = String(at(hook, 'matchConditions', 0, 'expression'));
    const names = [...expression.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(names.sort()).toEqual([...DEFAULT_CONFIG_MAPS.user, ...DEFAULT_CONFIG_MAPS.defaults].sort());
  });

  it('ships config/queues.yaml as the user ConfigMap, byte for byte', () => {
    expect(chart.files.get('files/queues.yaml')).toBe(QUEUES);
    expect(at(r.find('ConfigMap', 'drover-configs'), 'data', 'queues.yaml')).toBe(QUEUES);
  });

  it('writes defaults the scheduler and the webhook read without a problem, equal to their built-in defaults', () => {
    const data = o(at(r.find('ConfigMap', 'drover-defaults'), 'data')) as Record<string, string>;
    expect(serviceSettings(data)).toEqual(serviceSettings({}));
    expect(admissionSettings(data)).toEqual(admissionSettings({}));
    expect(placeholderImage(data)).toBe(placeholderImage({}));
  });

  it('matches the version of drover it installs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart.appVersion).toBe(pkg.version);
  });
});

describe('RBAC: exactly what the code calls', () => {
  const SCHEDULER_CLUSTER = [
    '/pods:list', '/pods:watch', '/nodes:list', '/nodes:watch', '/namespaces:list', '/namespaces:watch', // shim/shim.ts informers
    '/pods/binding:create', // shim/shim.ts createNamespacedPodBinding
    '/pods:create', // shim/gang/lifecycle.ts createNamespacedPod (placeholders)
    '/pods:delete', // shim/removal.ts deleteNamespacedPod (placeholders)
    '/pods/eviction:create', // shim/removal.ts createNamespacedPodEviction (preemption)
    '/pods/status:patch', // shim/reporter.ts patchNamespacedPodStatus
    '/events:create', // shim/reporter.ts createNamespacedEvent
    'scheduling.k8s.io/priorityclasses:list', 'scheduling.k8s.io/priorityclasses:watch', // shim/shim.ts
  ];
  const SCHEDULER_NAMESPACE = [
    '/configmaps:list', '/configmaps:watch', // shim/shim.ts, the config namespace
    'coordination.k8s.io/leases:create', 'coordination.k8s.io/leases:get@drover-scheduler', 'coordination.k8s.io/leases:update@drover-scheduler', // shim/leader.ts
  ];
  const WEBHOOK_CLUSTER = ['/namespaces:list', '/namespaces:watch', 'scheduling.k8s.io/priorityclasses:list', 'scheduling.k8s.io/priorityclasses:watch']; // webhook/cluster/lookups.ts
  const WEBHOOK_CERTS_CLUSTER = [
    // webhook/certs/triggers.ts watches, webhook/certs/publish.ts read + replace
    'admissionregistration.k8s.io/mutatingwebhookconfigurations:list', 'admissionregistration.k8s.io/mutatingwebhookconfigurations:watch',
    'admissionregistration.k8s.io/validatingwebhookconfigurations:list', 'admissionregistration.k8s.io/validatingwebhookconfigurations:watch',
    'admissionregistration.k8s.io/mutatingwebhookconfigurations:get@drover-admission-mutating', 'admissionregistration.k8s.io/mutatingwebhookconfigurations:update@drover-admission-mutating',
    'admissionregistration.k8s.io/validatingwebhookconfigurations:get@drover-admission-validating', 'admissionregistration.k8s.io/validatingwebhookconfigurations:update@drover-admission-validating',
  ];
  const WEBHOOK_NAMESPACE = ['/configmaps:list', '/configmaps:watch']; // webhook/cluster/config-source.ts
  const WEBHOOK_CERTS_NAMESPACE = [
    '/secrets:list@drover-admission-certs', '/secrets:watch@drover-admission-certs', // webhook/certs/triggers.ts (field selector metadata.name)
    '/secrets:create', '/secrets:get@drover-admission-certs', '/secrets:update@drover-admission-certs', // webhook/certs/secret-store.ts
  ];

  it.each([
    { name: 'the webhook keeps its certificates', values: {}, webhookCluster: [...WEBHOOK_CLUSTER, ...WEBHOOK_CERTS_CLUSTER], webhookNamespace: [...WEBHOOK_NAMESPACE, ...WEBHOOK_CERTS_NAMESPACE] },
    { name: 'cert-manager keeps them', values: { certManager: { enabled: true } }, webhookCluster: WEBHOOK_CLUSTER, webhookNamespace: WEBHOOK_NAMESPACE },
  ])('$name', ({ values, webhookCluster, webhookNamespace }) => {
    const r = render(values);
    expect(grants(r.find('ClusterRole', 'drover-scheduler'))).toEqual([...SCHEDULER_CLUSTER].sort());
    expect(grants(r.find('Role', 'drover-scheduler'))).toEqual([...SCHEDULER_NAMESPACE].sort());
    expect(grants(r.find('ClusterRole', 'drover-webhook'))).toEqual([...webhookCluster].sort());
    expect(grants(r.find('Role', 'drover-webhook'))).toEqual([...webhookNamespace].sort());
    for (const b of r.objects.filter((x) => x.kind.endsWith('Binding'))) {
      expect(at(b, 'roleRef', 'name')).toBe(b.metadata.name);
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: b.metadata.name, namespace: 'drover-system' }]);
    }
  });
});

describe('the binaries accept what the chart passes them', () => {
  const expand = (args: unknown[]) => args.map((a) => String(a).replaceAll('$(POD_NAMESPACE)', RELEASE.namespace));
  const argsOf = (r: ReturnType<typeof render>, name: string) => expand(arr(at(r.find('Deployment', name), 'spec', 'template', 'spec', 'containers', 0, 'args')));

  it.each(VARIANTS)('$name: the webhook parses its arguments into the names the chart uses', ({ values }) => {
    const r = render(values);
    const webhookName = r.objects.find((x) => x.kind === 'Service' && x.metadata.name.endsWith('-webhook'))?.metadata.name ?? '';
    const args = argsOf(r, webhookName);
    expect(args[0]).toBe('webhook');
    const parsed = parseWebhookArgs(args.slice(1), {});
    if (!parsed.ok || !('options' in parsed)) return expect.fail(JSON.stringify(parsed));
    const opts = parsed.options;
    expect(opts).toMatchObject({ namespace: RELEASE.namespace, service: webhookName, port: 9089 });
    if (at(values, 'certManager', 'enabled') === true) {
      const mounted = o(arr(at(r.find('Deployment', webhookName), 'spec', 'template', 'spec', 'containers', 0, 'volumeMounts')).find((m) => o(m).name === 'tls'));
      expect(opts.certFile).toBe(`${String(mounted.mountPath)}/tls.crt`);
      expect(opts.keyFile).toBe(`${String(mounted.mountPath)}/tls.key`);
      expect(at(r.find('Certificate'), 'spec', 'dnsNames')).toContain(`${webhookName}.${RELEASE.namespace}.svc`);
    } else {
      expect(opts.certFile).toBeNull();
      expect(grants(r.find('Role', webhookName))).toContain(`/secrets:update@${opts.certsSecret}`);
      expect(r.find('MutatingWebhookConfiguration', opts.mutatingConfiguration)).toBeDefined();
      expect(r.find('ValidatingWebhookConfiguration', opts.validatingConfiguration)).toBeDefined();
    }
  });

  it.each(VARIANTS)('$name: the scheduler knows every flag the chart passes', async ({ values }) => {
    const r = render(values);
    const name = r.objects.find((x) => x.kind === 'Service' && x.metadata.name.endsWith('-scheduler'))?.metadata.name ?? '';
    const args = argsOf(r, name);
    expect(args[0]).toBe('scheduler');
    // the REST token, when asked for, comes from the named Secret as a read-only file the flag names
    const pod = o(at(r.find('Deployment', name), 'spec', 'template', 'spec'));
    const tokenFile = args[args.indexOf('--rest-token-file') + 1];
    if (args.includes('--rest-token-file')) {
      expect(arr(pod.volumes).map((v) => o(v))).toContainEqual({ name: 'rest-auth', secret: { secretName: 'drover-ui-token', items: [{ key: 'token', path: 'token' }] } });
      expect(tokenFile).toBe('/etc/drover/rest-auth/token');
    } else expect(arr(pod.volumes).map((v) => o(v).name)).not.toContain('rest-auth');
    // with --help the real parser reads every flag (an unknown one is a usage error, exit 2) and stops
    const { io, err } = fakeIo({});
    expect(await runScheduler([...args.slice(1), '--help'], io), err()).toBe(0);
    const lease = args[args.indexOf('--lease-name') + 1];
    expect(grants(r.find('Role', name))).toContain(`coordination.k8s.io/leases:update@${String(lease)}`);
  });
});

/**
 * End to end: the embedded API server calls drover's own admission webhook over HTTPS with
 * AdmissionReview v1, as a real API server does, while a client creates objects with
 * @kubernetes/client-node.
 */
import { AdmissionregistrationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { generateCertificates } from '../tls/certificates.js';
import { startTestServer } from '../webhook/server/test-helpers.js';
import type { TestServer } from '../webhook/server/test-helpers.js';

let api: RunningApiServer;
let webhook: TestServer;
let kc: KubeConfig;

beforeAll(async () => {
  webhook = await startTestServer();
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  api = await startApiServer({ certificate, token: 't' });
  kc = new KubeConfig();
  kc.loadFromString(kubeconfig({ server: api.url, caPem: certificate.caPem ?? '', token: 't' }));
  const caBundle = Buffer.from(webhook.certificate.caPem ?? '').toString('base64');
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  await admission.createMutatingWebhookConfiguration({
    body: {
      metadata: { name: 'drover-admission' },
      webhooks: [
        {
          name: 'admission.drover.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          clientConfig: { url: `https://127.0.0.1:${webhook.port}/mutate`, caBundle },
          rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        },
      ],
    },
  });
  await admission.createValidatingWebhookConfiguration({
    body: {
      metadata: { name: 'drover-configs' },
      webhooks: [
        {
          name: 'configs.drover.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          clientConfig: { url: `https://127.0.0.1:${webhook.port}/validate-conf`, caBundle },
          rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        },
      ],
    },
  });
});

afterAll(async () => {
  await api.close();
  await webhook.close();
});

describe('the API server calls the webhook', () => {
  it('mutates pods: drover schedules them, each under its application id', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const driver = await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'spark-driver', labels: { 'spark-app-selector': 'spark-0001', 'spark-role': 'driver' } }, spec: { containers: [{ name: 'spark', image: 'spark' }] } },
    });
    expect(driver.spec?.schedulerName).toBe('drover');
    // as in YuniKorn, a Spark pod keeps its spark-app-selector as its application id: nothing is added
    expect(driver.metadata?.labels).toEqual({ 'spark-app-selector': 'spark-0001', 'spark-role': 'driver' });
    expect(JSON.parse(driver.metadata?.annotations?.['yunikorn.apache.org/user.info'] ?? '{}')).toMatchObject({ user: 'drover-dev-admin' });
    const plain = await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'c' }] } } });
    expect(plain.metadata?.labels).toMatchObject({ 'yunikorn.apache.org/app-id': 'yunikorn-default-autogen', applicationId: 'yunikorn-default-autogen' });
  });

  it('refuses an invalid queues.yaml ConfigMap with its issues, and takes a valid one', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const configMap = (queues: string) => ({ metadata: { name: 'yunikorn-configs' }, data: { 'queues.yaml': queues } });
    const refused = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('partitions:\n  - queues:\n      - name: root\n        resources: {max: {memory: 1Gi}}\n') }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 422 });
    expect(String((refused as { body?: unknown }).body)).toContain('root-resources');
    const taken = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('partitions:\n  - queues: [{name: root, submitacl: "*"}]\n') });
    expect(taken.metadata?.name).toBe('yunikorn-configs');
  });

  it('honours the failure policy of a webhook it cannot reach', async () => {
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const hook = (failurePolicy: 'Fail' | 'Ignore') => ({
      metadata: { name: `unreachable-${failurePolicy.toLowerCase()}` },
      webhooks: [
        {
          name: `down-${failurePolicy.toLowerCase()}.drover.dev`,
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy,
          timeoutSeconds: 1,
          clientConfig: { url: 'https://127.0.0.1:1/down' },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['secrets'] }],
        },
      ],
    });
    const core = kc.makeApiClient(CoreV1Api);
    await admission.createMutatingWebhookConfiguration({ body: hook('Ignore') });
    await expect(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 's1' } } })).resolves.toMatchObject({ metadata: { name: 's1' } });
    await admission.createMutatingWebhookConfiguration({ body: hook('Fail') });
    await expect(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 's2' } } })).rejects.toMatchObject({ code: 500 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATION } from '../admission/index.js';
import type { JsonPatchOp } from '../admission/index.js';
import { applyPatch, at } from '../admission/test-helpers.js';
import { admissionReview, CONFIG_MAP_KIND, configMap, deployment, DEPLOYMENT_KIND, POD_KIND, sparkDriverPod, sparkExecutorPod } from './examples.js';
import type { TestServer } from './test-helpers.js';
import { reviewOf, send, startTestServer } from './test-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ALICE_INFO = '{"user":"alice","groups":["data-eng","system:authenticated"]}';

describe('GET /health', () => {
  it('answers 200 over HTTPS with the generated certificate', async () => {
    const answer = await server.send('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: 'ok' });
    expect(answer.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses a client that only speaks TLS 1.1', async () => {
    const old = send({ port: server.port, ca: server.certificate.caPem ?? '', method: 'GET', path: '/health', minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    await expect(old).rejects.toThrow();
  });

  it('is not trusted by a client without the CA', async () => {
    await expect(send({ port: server.port, ca: '', method: 'GET', path: '/health' })).rejects.toThrow();
  });
});

describe('POST /mutate', () => {
  it('takes a Spark driver: scheduler name, user info and allow-preemption, with the uid echoed', async () => {
    const pod = sparkDriverPod();
    const answer = await server.send('POST', '/mutate', admissionReview(POD_KIND, pod, { uid: 'uid-driver' }));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const review = reviewOf(answer);
    expect(review).toMatchObject({ uid: 'uid-driver', allowed: true, patchType: 'JSONPatch' });
    const patched = applyPatch(pod, review.patch as JsonPatchOp[]);
    expect(at(patched, 'spec', 'schedulerName')).toBe('drover');
    expect(at(patched, 'metadata', 'annotations', ANNOTATION.userInfo)).toBe(ALICE_INFO);
    expect(at(patched, 'metadata', 'annotations', ANNOTATION.allowPreemption)).toBe('true');
    // The Spark label names the application; it is not moved, and the legacy queue label stays.
    expect(at(patched, 'metadata', 'labels', 'spark-app-selector')).toBe('spark-3f1c2b9e8d7a4c6b9a0e1d2c3b4a5f6e');
    expect(at(patched, 'metadata', 'labels', 'queue')).toBe('root.data.etl');
  });

  it('takes the executor of the same application the same way', async () => {
    const pod = sparkExecutorPod();
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(POD_KIND, pod, { uid: 'uid-exec' })));
    expect(review).toMatchObject({ uid: 'uid-exec', allowed: true });
    const patched = applyPatch(pod, review.patch as JsonPatchOp[]);
    expect(at(patched, 'spec', 'schedulerName')).toBe('drover');
    expect(at(patched, 'metadata', 'labels', 'spark-app-selector')).toBe(at(sparkDriverPod(), 'metadata', 'labels', 'spark-app-selector'));
  });

  it('gives a pod without an application id the generated one', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(POD_KIND, pod, { namespace: 'team-b' })));
    const patched = applyPatch(pod, review.patch as JsonPatchOp[]);
    // The request's namespace names it: the pod itself carries none.
    expect(at(patched, 'metadata', 'labels', 'applicationId')).toBe('yunikorn-team-b-autogen');
  });

  it('writes the user info on a Deployment\'s pod template', async () => {
    const object = deployment();
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(DEPLOYMENT_KIND, object, { uid: 'uid-deploy' })));
    expect(review).toMatchObject({ uid: 'uid-deploy', allowed: true, patchType: 'JSONPatch' });
    const patched = applyPatch(object, review.patch as JsonPatchOp[]);
    expect(at(patched, 'spec', 'template', 'metadata', 'annotations', ANNOTATION.userInfo)).toBe(ALICE_INFO);
  });

  it('refuses a pod whose submitter sets the user info without being trusted', async () => {
    const pod = sparkDriverPod();
    (pod.metadata as Record<string, Record<string, string>>).annotations = { [ANNOTATION.userInfo]: '{"user":"root"}' };
    const answer = await server.send('POST', '/mutate', admissionReview(POD_KIND, pod, { uid: 'uid-deny' }));
    expect(answer.status).toBe(200);
    const review = reviewOf(answer);
    expect(review).toMatchObject({ uid: 'uid-deny', allowed: false, status: { code: 403 } });
    expect(review.status?.message).toContain('not allowed to set user annotation');
    expect(review.patch).toBeNull();
    expect(server.logs.some((l) => l.msg === 'refused' && l.code === 'user-info-not-allowed' && l.reviewUid === 'uid-deny')).toBe(true);
  });

  it('leaves a pod of kube-system alone, without a patch', async () => {
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(POD_KIND, sparkDriverPod('kube-system'), { namespace: 'kube-system' })));
    expect(review).toMatchObject({ allowed: true });
    expect(review.patchType).toBeUndefined();
    expect(review.patch).toBeNull();
  });

  it('refuses an UPDATE that changes the user info', async () => {
    const before = sparkDriverPod();
    (before.metadata as Record<string, unknown>).annotations = { [ANNOTATION.userInfo]: ALICE_INFO };
    const after = structuredClone(before);
    (after.metadata as Record<string, unknown>).annotations = { [ANNOTATION.userInfo]: '{"user":"mallory"}' };
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(POD_KIND, after, { operation: 'UPDATE', oldObject: before })));
    expect(review).toMatchObject({ allowed: false });
  });

  it('allows a DELETE unchanged', async () => {
    const review = reviewOf(await server.send('POST', '/mutate', admissionReview(POD_KIND, null, { operation: 'DELETE', oldObject: sparkDriverPod() })));
    expect(review).toMatchObject({ allowed: true });
    expect(review.patch).toBeNull();
  });

  it('reads namespace annotations through the injected lookup', async () => {
    const scoped = await startTestServer({ lookups: { namespace: (name) => ({ name, annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } }), priorityClass: () => null } });
    try {
      const review = reviewOf(await scoped.send('POST', '/mutate', admissionReview(POD_KIND, sparkDriverPod())));
      expect(review).toMatchObject({ allowed: true });
      expect(review.patch).toBeNull();
    } finally {
      await scoped.close();
    }
  });

  it('never logs the private key or the object', () => {
    const text = JSON.stringify(server.logs);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('spark-kubernetes-driver');
  });
});

const VALID_QUEUES = `partitions:
  - name: default
    queues:
      - name: root
        queues:
          - name: team-a
            resources:
              max: {memory: 10Gi}
`;

const INVALID_QUEUES = `partitions:
  - name: default
    queues:
      - name: root
        queues:
          - name: team-a
            resources:
              guaranteed: {memory: 20Gi}
              max: {memory: 10Gi}
`;

describe('POST /validate-conf', () => {
  const validate = (object: unknown, operation: 'CREATE' | 'UPDATE' = 'UPDATE') => server.send('POST', '/validate-conf', admissionReview(CONFIG_MAP_KIND, object, { namespace: 'drover', operation, uid: 'uid-cm' }));

  it.each([
    { name: 'drover-configs' },
    { name: 'drover-defaults' },
    { name: 'yunikorn-configs' },
    { name: 'yunikorn-defaults' },
  ])('allows a valid queues.yaml in $name', async ({ name }) => {
    const review = reviewOf(await validate(configMap(name, { 'queues.yaml': VALID_QUEUES })));
    expect(review).toMatchObject({ uid: 'uid-cm', allowed: true });
  });

  it('refuses an invalid queues.yaml with the issue code, path and line', async () => {
    const review = reviewOf(await validate(configMap('drover-configs', { 'queues.yaml': INVALID_QUEUES })));
    expect(review).toMatchObject({ uid: 'uid-cm', allowed: false, status: { code: 422 } });
    // guaranteed (line 8) is above max: the issue is reported at the guaranteed map.
    expect(review.status?.message).toMatch(/queues\.yaml:8:\d+: guaranteed-above-max at partitions\[0\]\.queues\[0\]\.queues\[0\]\.resources\.guaranteed/);
  });

  it('refuses YAML that does not parse', async () => {
    const review = reviewOf(await validate(configMap('drover-configs', { 'queues.yaml': 'partitions: [\n' }), 'CREATE'));
    expect(review).toMatchObject({ allowed: false });
    expect(review.status?.message).toContain('yaml-syntax');
  });

  it('passes configuration warnings and admission settings problems on as warnings', async () => {
    const review = reviewOf(await validate(configMap('drover-configs', { 'queues.yaml': VALID_QUEUES.replace('memory: 10Gi', 'memory: 10Gi, cpu: 4'), 'admissionController.filtering.generateUniqueAppId': 'yes' })));
    expect(review).toMatchObject({ allowed: true });
    expect(review.warnings?.some((w) => w.includes('resource-cpu-key'))).toBe(true);
    expect(review.warnings?.some((w) => w.includes('generateUniqueAppId'))).toBe(true);
  });

  it('allows a ConfigMap without queues.yaml, with a warning', async () => {
    const review = reviewOf(await validate(configMap('drover-configs', { 'log.level': 'debug' })));
    expect(review).toMatchObject({ allowed: true });
    expect(review.warnings).toHaveLength(1);
  });

  it('does not check ConfigMaps it does not watch', async () => {
    const review = reviewOf(await validate(configMap('someone-elses', { 'queues.yaml': INVALID_QUEUES })));
    expect(review).toMatchObject({ allowed: true });
  });

  it('refuses a watched ConfigMap whose queues.yaml is not text', async () => {
    const review = reviewOf(await validate(configMap('drover-configs', { 'queues.yaml': { partitions: [] } })));
    expect(review).toMatchObject({ allowed: false, status: { code: 400 } });
  });

  it('watches the names it is given', async () => {
    const custom = await startTestServer({ configMaps: ['my-scheduler'] });
    try {
      const send = (name: string) => custom.send('POST', '/validate-conf', admissionReview(CONFIG_MAP_KIND, configMap(name, { 'queues.yaml': INVALID_QUEUES })));
      expect(reviewOf(await send('my-scheduler'))).toMatchObject({ allowed: false });
      expect(reviewOf(await send('drover-configs'))).toMatchObject({ allowed: true });
    } finally {
      await custom.close();
    }
  });
});

/**
 * Bad input corpus: whatever arrives, the decision is a value, never an exception. Objects Kubernetes
 * could not have produced are refused as malformed (YuniKorn's decoder fails on the same ones);
 * absent or null parts read as empty and the pod is handled normally.
 */
import { describe, expect, it } from 'vitest';
import { decidePod } from './decide-pod.js';
import { decideWorkload } from './decide-workload.js';
import type { NamespaceInput } from './namespace-filter.js';
import { DEFAULT_ADMISSION_SETTINGS } from './settings.js';
import { ALICE, applyPatch, at } from './test-helpers.js';

const create = (pod: unknown, namespace: NamespaceInput | null = { name: 'team-a' }) =>
  decidePod({ pod, namespace, settings: DEFAULT_ADMISSION_SETTINGS, user: ALICE, operation: 'CREATE' });

const HUGE = 'x'.repeat(2_000_000);

describe('pods Kubernetes could not have sent are refused', () => {
  it.each([
    { name: 'undefined', pod: undefined },
    { name: 'null', pod: null },
    { name: 'a string', pod: '{"metadata":{}}' },
    { name: 'a number', pod: 42 },
    { name: 'an array', pod: [{ metadata: {} }] },
    { name: 'metadata a string', pod: { metadata: 'm' } },
    { name: 'metadata an array', pod: { metadata: [] } },
    { name: 'labels an array', pod: { metadata: { labels: ['a'] } } },
    { name: 'labels a string', pod: { metadata: { labels: 'app=x' } } },
    { name: 'a label value a number', pod: { metadata: { labels: { applicationId: 7 } } } },
    { name: 'a label value null', pod: { metadata: { labels: { applicationId: null } } } },
    { name: 'an annotation value an object', pod: { metadata: { annotations: { 'yunikorn.apache.org/user.info': { user: 'root' } } } } },
    { name: 'spec a string', pod: { spec: 'drover' } },
    { name: 'schedulerName a number', pod: { spec: { schedulerName: 1 } } },
    { name: 'priorityClassName a boolean', pod: { spec: { priorityClassName: true } } },
    { name: 'uid an object', pod: { metadata: { uid: {} } } },
    { name: 'namespace a number', pod: { metadata: { namespace: 3 } } },
  ])('$name', ({ pod }) => {
    expect(create(pod)).toMatchObject({ kind: 'deny', code: 'malformed-object' });
  });

  it('says where the problem is', () => {
    expect(create({ metadata: { labels: { applicationId: 7 } } })).toMatchObject({ message: expect.stringContaining('metadata.labels.applicationId') as unknown });
  });
});

describe('pods with missing parts are handled', () => {
  it.each([
    { name: 'an empty object', pod: {} },
    { name: 'null metadata', pod: { metadata: null, spec: null } },
    { name: 'null labels and annotations', pod: { metadata: { labels: null, annotations: null } } },
    { name: 'empty labels and annotations', pod: { metadata: { labels: {}, annotations: {} } } },
    { name: 'null scheduler name and uid', pod: { metadata: { uid: null }, spec: { schedulerName: null } } },
    { name: 'unknown extra fields', pod: { metadata: { labels: {} }, status: 'weird', spec: { containers: 'not checked here' } } },
  ])('$name', ({ pod }) => {
    const decision = create(pod);
    expect(decision.kind).toBe('mutate');
    const patched = applyPatch(pod, decision.kind === 'mutate' ? decision.patch : []);
    expect(at(patched, 'spec', 'schedulerName')).toBe('drover');
    expect(at(patched, 'metadata', 'labels', 'applicationId')).toBe('yunikorn-team-a-autogen');
  });

  it('copies huge values without trouble', () => {
    const pod = { metadata: { labels: { 'yunikorn.apache.org/app-id': HUGE, big: HUGE }, annotations: { note: HUGE } } };
    const decision = create(pod);
    expect(decision).toMatchObject({ kind: 'mutate', applicationId: HUGE, labels: { applicationId: HUGE } });
  });

  it('reads keys that look like Object members as plain keys', () => {
    const pod = JSON.parse('{"metadata":{"labels":{"__proto__":"x","constructor":"y","app":"toString"}}}') as unknown;
    expect(create(pod)).toMatchObject({ kind: 'mutate', applicationId: 'yunikorn-team-a-autogen' });
  });

  it('refuses a huge forged user info from an untrusted user, and a huge unreadable one from a controller', () => {
    const pod = { metadata: { annotations: { 'yunikorn.apache.org/user.info': HUGE } } };
    expect(create(pod)).toMatchObject({ kind: 'deny', code: 'user-info-not-allowed' });
    const controller = { username: 'system:serviceaccount:kube-system:job-controller', groups: [] };
    expect(decidePod({ pod, namespace: { name: 'team-a' }, settings: DEFAULT_ADMISSION_SETTINGS, user: controller, operation: 'CREATE' })).toMatchObject({ kind: 'deny', code: 'user-info-invalid' });
  });
});

describe('namespaces', () => {
  it.each([
    { name: 'a huge name', ns: { name: HUGE } },
    { name: 'a name that is not a DNS label', ns: { name: 'Team A' } },
    { name: 'a name that is not text', ns: { name: null as unknown as string } },
  ])('refuses $name', ({ ns }) => {
    expect(create({}, ns)).toMatchObject({ kind: 'deny', code: 'malformed-object' });
  });

  it.each([
    { name: 'annotations an array', ns: { name: 'team-a', annotations: ['x'] } },
    { name: 'annotations a string', ns: { name: 'team-a', annotations: 'x' } },
    { name: 'labels of any shape', ns: { name: 'team-a', labels: 5 } },
  ])('reads $name as no annotations', ({ ns }) => {
    expect(create({}, ns).kind).toBe('mutate');
  });
});

describe('workloads', () => {
  const decide = (kind: string, object: unknown) => decideWorkload({ kind, object, namespace: { name: 'team-a' }, settings: DEFAULT_ADMISSION_SETTINGS, user: ALICE, operation: 'CREATE' });
  it.each([
    { name: 'null', kind: 'Deployment', object: null },
    { name: 'a string', kind: 'Job', object: 'job' },
    { name: 'spec a number', kind: 'Deployment', object: { spec: 1 } },
    { name: 'template an array', kind: 'StatefulSet', object: { spec: { template: [] } } },
    { name: 'jobTemplate a string', kind: 'CronJob', object: { spec: { jobTemplate: 'x' } } },
    { name: 'template labels with a number', kind: 'DaemonSet', object: { spec: { template: { metadata: { labels: { a: 1 } } } } } },
  ])('refuses $name', ({ kind, object }) => {
    expect(decide(kind, object)).toMatchObject({ kind: 'deny', code: 'malformed-object' });
  });

  it.each([
    { name: 'no spec', kind: 'Deployment', object: {}, path: '/spec' },
    { name: 'no template', kind: 'Job', object: { spec: {} }, path: '/spec/template' },
    { name: 'a null jobTemplate', kind: 'CronJob', object: { spec: { jobTemplate: null } }, path: '/spec/jobTemplate' },
  ])('creates what is missing: $name', ({ kind, object, path }) => {
    const decision = decide(kind, object);
    expect(decision).toMatchObject({ kind: 'mutate', patch: [{ path }] });
    expect(() => applyPatch(object, decision.kind === 'mutate' ? decision.patch : [])).not.toThrow();
  });
});

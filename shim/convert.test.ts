import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { applicationIdConflict, applicationOf, askOf, podResources } from './convert.js';

const c = (cpu: string, memory = '0', extra: Partial<V1Container> = {}): V1Container => ({ name: 'c', image: 'i', resources: { requests: { cpu, memory } }, ...extra });
const pod = (spec: Partial<NonNullable<V1Pod['spec']>>, metadata: V1Pod['metadata'] = {}): V1Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u-1', ...metadata }, spec: { containers: [], ...spec } });

describe('podResources counts as kube-scheduler does', () => {
  it.each([
    { name: 'containers add up', spec: { containers: [c('1', '1Gi'), c('500m', '1Gi')] }, want: { vcore: 1500, memory: 2 * 2 ** 30, pods: 1 } },
    { name: 'an init container larger than the containers wins', spec: { containers: [c('1')], initContainers: [c('3'), c('2')] }, want: { vcore: 3000, pods: 1 } },
    { name: 'a smaller init container does not count', spec: { containers: [c('2')], initContainers: [c('1')] }, want: { vcore: 2000, pods: 1 } },
    {
      name: 'a sidecar runs beside the containers and the init containers after it',
      spec: { containers: [c('1')], initContainers: [c('500m', '0', { restartPolicy: 'Always' }), c('2')] },
      // running: 1 + 0.5; the second init step: 0.5 (sidecar) + 2
      want: { vcore: 2500, pods: 1 },
    },
    { name: 'a sidecar adds to the running total', spec: { containers: [c('1')], initContainers: [c('1', '0', { restartPolicy: 'Always' }), c('100m')] }, want: { vcore: 2000, pods: 1 } },
    { name: 'overhead is added', spec: { containers: [c('1')], overhead: { cpu: '250m' } }, want: { vcore: 1250, pods: 1 } },
    { name: 'pod-level requests replace the containers for what they name', spec: { containers: [c('1', '1Gi')], resources: { requests: { cpu: '3' } } } as Partial<NonNullable<V1Pod['spec']>>, want: { vcore: 3000, memory: 2 ** 30, pods: 1 } },
    { name: 'no requests: the pod itself', spec: { containers: [{ name: 'c', image: 'i' }] }, want: { pods: 1 } },
  ])('$name', ({ spec, want }) => {
    const r = Object.fromEntries(Object.entries(podResources(pod(spec))).filter(([, v]) => v !== 0));
    expect(r).toEqual(want);
  });
});

describe('applicationOf', () => {
  it('substitutes the uid for the id admission made unique without knowing it', () => {
    const app = applicationOf(pod({}, { labels: { 'yunikorn.apache.org/app-id': 'ns-uniqueautogen' }, uid: 'abc-123' }), {});
    expect(app.applicationId).toBe('ns-abc-123');
  });

  it('generates the namespace id for a pod that names none, and keeps the namespace tags', () => {
    const app = applicationOf(pod({}), { 'namespace.parentqueue': 'root.teams' });
    expect(app).toMatchObject({ applicationId: 'yunikorn-ns-autogen', tags: { namespace: 'ns', 'namespace.parentqueue': 'root.teams' }, user: { user: 'nobody' } });
  });

  it('reads the user from user.info', () => {
    const app = applicationOf(pod({}, { annotations: { 'yunikorn.apache.org/user.info': '{"user":"alice","groups":["dev"]}' } }), {});
    expect(app.user).toEqual({ user: 'alice', groups: ['dev'] });
  });

  it("groups a pod whose webhook was bypassed by its engine's labels, as admission would", () => {
    const ray = (cluster: string, type: string) => pod({}, { labels: { 'ray.io/cluster': cluster, 'ray.io/node-type': type, 'ray.io/group': type === 'head' ? 'headgroup' : 'small-group' } });
    expect([ray('a', 'head'), ray('a', 'worker'), ray('b', 'head')].map((p) => applicationOf(p, {}).applicationId)).toEqual(['ns-ray-a', 'ns-ray-a', 'ns-ray-b']);
    const daskWorker = pod({}, { labels: { 'dask.org/cluster-name': 'a', 'dask.org/component': 'worker' } });
    expect(applicationOf(daskWorker, {}).applicationId).toBe('ns-dask-a');
    // a Flink-looking app label without its guard is not a Flink cluster
    expect(applicationOf(pod({}, { labels: { app: 'web', component: 'jobmanager' } }), {}).applicationId).toBe('yunikorn-ns-autogen');
    // YuniKorn's places first; a configured list replaces the engines'
    expect(applicationOf(pod({}, { labels: { 'ray.io/cluster': 'a', applicationId: 'x' } }), {}).applicationId).toBe('x');
    expect(applicationOf(ray('a', 'head'), {}, []).applicationId).toBe('yunikorn-ns-autogen');
  });
});

describe('askOf', () => {
  it("carries the pod's role from its engine's labels, and none when there is none", () => {
    const driver = pod({}, { labels: { 'spark-app-selector': 'spark-1', 'spark-role': 'driver' } });
    expect(askOf(driver, applicationOf(driver, {}).applicationId, 0)).toMatchObject({ applicationId: 'spark-1', role: 'driver' });
    expect(askOf(pod({}), applicationOf(pod({}), {}).applicationId, 0)).not.toHaveProperty('role');
  });

  it('carries the task group, the placeholder flag and the originator flag', () => {
    const app = applicationOf(pod({}), {}).applicationId;
    const executor = pod({}, { annotations: { 'yunikorn.apache.org/task-group-name': 'spark-executor' } });
    expect(askOf(executor, app, 0)).toMatchObject({ taskGroup: 'spark-executor' });
    expect(askOf(executor, app, 0)).not.toHaveProperty('placeholder');
    const placeholder = pod({}, { annotations: { 'yunikorn.apache.org/placeholder': 'true', 'yunikorn.apache.org/task-group-name': 'g' } });
    expect(askOf(placeholder, app, 0)).toMatchObject({ placeholder: true, taskGroup: 'g' });
    expect(askOf(pod({}), app, 0, { originator: true })).toMatchObject({ originator: true });
    expect(askOf(pod({}), app, 0)).not.toHaveProperty('originator');
  });

  const optOut = { metadata: { name: 'batch', annotations: { 'yunikorn.apache.org/allow-preemption': 'false' } }, value: 10 };
  const optIn = { metadata: { name: 'batch' }, value: 10 };
  it.each([
    { name: 'nothing said: preemptable', annotation: undefined, className: undefined, priorityClass: undefined, allowed: true },
    { name: 'the class opts out', annotation: undefined, className: 'batch', priorityClass: optOut, allowed: false },
    { name: 'the class says nothing', annotation: undefined, className: 'batch', priorityClass: optIn, allowed: true },
    { name: 'the pod says false (admission copied it)', annotation: 'false', className: 'batch', priorityClass: optIn, allowed: false },
    { name: 'the pod says true over its class', annotation: 'true', className: 'batch', priorityClass: optOut, allowed: true },
    { name: 'an unreadable pod value: the class decides', annotation: 'maybe', className: 'batch', priorityClass: optOut, allowed: false },
    { name: 'a class of another name does not count', annotation: undefined, className: 'other', priorityClass: optOut, allowed: true },
  ])('allowPreemption: $name', ({ annotation, className, priorityClass, allowed }) => {
    const p = pod(className === undefined ? {} : { priorityClassName: className }, annotation === undefined ? {} : { annotations: { 'yunikorn.apache.org/allow-preemption': annotation } });
    const ask = askOf(p, applicationOf(p, {}).applicationId, 0, priorityClass === undefined ? {} : { priorityClass });
    if (allowed) expect(ask).not.toHaveProperty('allowPreemption');
    else expect(ask.allowPreemption).toBe(false);
  });
});

describe('pinned pods and pods that may not preempt', () => {
  const byName = (values: string[], extra: object = {}) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values }], ...extra }] } } });
  it('pins a pod whose only required term names one node, as a DaemonSet does', () => {
    const ds = pod({ affinity: byName(['node-7']) });
    expect(askOf(ds, applicationOf(ds, {}).applicationId, 0).requiredNode).toBe('node-7');
  });
  it.each([
    { name: 'two names', affinity: byName(['a', 'b']) },
    { name: 'NotIn', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] }] } } } },
    { name: 'labels only', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] }] } } } },
    { name: 'no affinity', affinity: undefined },
  ])('does not pin: $name', ({ affinity }) => {
    const p = pod(affinity === undefined ? {} : { affinity });
    expect(askOf(p, applicationOf(p, {}).applicationId, 0)).not.toHaveProperty('requiredNode');
  });
  it('marks a pod with preemptionPolicy Never as one that may not preempt', () => {
    const never = pod({ preemptionPolicy: 'Never' });
    expect(askOf(never, applicationOf(never, {}).applicationId, 0).mayPreempt).toBe(false);
    expect(askOf(pod({}), applicationOf(pod({}), {}).applicationId, 0)).not.toHaveProperty('mayPreempt');
  });
});

describe('applicationIdConflict', () => {
  it('names the values passed over when the pod names its application twice', () => {
    const p = pod({}, { labels: { 'yunikorn.apache.org/app-id': 'a', 'spark-app-selector': 'b', applicationId: 'a' } });
    expect(applicationOf(p, {}).applicationId).toBe('a');
    expect(applicationIdConflict(p)).toBe('the application id is a (from yunikorn.apache.org/app-id); spark-app-selector=b ignored');
  });

  it('is quiet when the names agree or there is one', () => {
    expect(applicationIdConflict(pod({}, { labels: { 'spark-app-selector': 'x', applicationId: 'x' } }))).toBeNull();
    expect(applicationIdConflict(pod({}))).toBeNull();
  });
});

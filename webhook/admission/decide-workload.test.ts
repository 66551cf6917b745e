import { describe, expect, it } from 'vitest';
import { decidePod } from './decide-pod.js';
import type { WorkloadInput } from './decide-workload.js';
import { decideWorkload, WORKLOAD_TEMPLATES } from './decide-workload.js';
import type { WorkloadDecision } from './decision.js';
import { admissionSettings } from './settings.js';
import { ALICE, applyPatch, at, makeWorkload, REPLICASET_CONTROLLER } from './test-helpers.js';

const USER_INFO = 'yunikorn.apache.org/user.info';
const ALICE_INFO = '{"user":"alice","groups":["dev","system:authenticated"]}';

function decide(kind: string, object: unknown, options: Partial<Omit<WorkloadInput, 'settings' | 'kind' | 'object'>> & { settings?: Record<string, string> } = {}): WorkloadDecision {
  return decideWorkload({ kind, object, namespace: { name: 'team-a' }, user: ALICE, operation: 'CREATE', ...options, settings: admissionSettings(options.settings ?? {}).settings });
}

const templatePath = (kind: keyof typeof WORKLOAD_TEMPLATES) => [...WORKLOAD_TEMPLATES[kind], 'metadata', 'annotations'];

describe('decideWorkload', () => {
  it.each([
    { kind: 'Deployment', path: '/spec/template/metadata/annotations' },
    { kind: 'StatefulSet', path: '/spec/template/metadata/annotations' },
    { kind: 'DaemonSet', path: '/spec/template/metadata/annotations' },
    { kind: 'ReplicaSet', path: '/spec/template/metadata/annotations' },
    { kind: 'Job', path: '/spec/template/metadata/annotations' },
    { kind: 'CronJob', path: '/spec/jobTemplate/spec/template/metadata/annotations' },
  ] as const)('a $kind gets the user on its pod template', ({ kind, path }) => {
    const object = makeWorkload(kind);
    const decision = decide(kind, object);
    expect(decision).toEqual({ kind: 'mutate', annotations: { [USER_INFO]: ALICE_INFO }, patch: [{ op: 'add', path, value: { [USER_INFO]: ALICE_INFO } }] });
    expect(at(applyPatch(object, decision.kind === 'mutate' ? decision.patch : []), ...templatePath(kind))).toEqual({ [USER_INFO]: ALICE_INFO });
  });

  it('adds one escaped member to existing template annotations', () => {
    const object = makeWorkload('Deployment', { annotations: { keep: 'me' } });
    const decision = decide('Deployment', object);
    expect(decision).toMatchObject({ patch: [{ op: 'add', path: '/spec/template/metadata/annotations/yunikorn.apache.org~1user.info', value: ALICE_INFO }] });
    expect(at(applyPatch(object, decision.kind === 'mutate' ? decision.patch : []), ...templatePath('Deployment'))).toEqual({ keep: 'me', [USER_INFO]: ALICE_INFO });
  });

  it('creates the template metadata when a Job has none', () => {
    const object = { kind: 'Job', metadata: { namespace: 'team-a' }, spec: { template: { spec: {} } } };
    const decision = decide('Job', object);
    expect(decision).toMatchObject({ patch: [{ op: 'add', path: '/spec/template/metadata', value: { annotations: { [USER_INFO]: ALICE_INFO } } }] });
  });

  it.each([
    { name: 'UPDATE', kind: 'Deployment', options: { operation: 'UPDATE' as const }, code: 'update-workload' },
    { name: 'a kind without a template', kind: 'Service', options: {}, code: 'unsupported-kind' },
    { name: 'a ReplicaSet from the deployment controller', kind: 'ReplicaSet', options: { user: REPLICASET_CONTROLLER }, code: 'system-replicaset' },
    { name: 'a bypassed namespace', kind: 'Deployment', options: { namespace: { name: 'kube-system' } }, code: 'namespace-not-processed' },
    { name: 'an unlabelled namespace, no id label', kind: 'Deployment', options: { settings: { noLabelNamespaces: '.*' } }, code: 'no-application' },
  ])('skips $name', ({ kind, options, code }) => {
    expect(decide(kind, makeWorkload(kind), options)).toMatchObject({ kind: 'skip', code });
  });

  it('takes a workload of an unlabelled namespace whose template names its application', () => {
    const object = makeWorkload('Job', { labels: { 'spark-app-selector': 'spark-1' } });
    expect(decide('Job', object, { settings: { noLabelNamespaces: '.*' } }).kind).toBe('mutate');
  });

  it.each([
    { name: 'an ordinary user forging it', user: ALICE, settings: {}, result: { kind: 'deny', code: 'user-info-not-allowed' } },
    { name: 'an external user', user: ALICE, settings: { externalUsers: '^alice$' }, result: { kind: 'mutate', annotations: {}, patch: [] } },
    { name: 'bypassAuth', user: ALICE, settings: { bypassAuth: 'true' }, result: { kind: 'mutate', annotations: {}, patch: [] } },
  ])('user info set in the template by $name', ({ user, settings, result }) => {
    const decision = decide('Deployment', makeWorkload('Deployment', { annotations: { [USER_INFO]: '{"user":"root"}' } }), { user, settings });
    if (result.kind === 'deny') expect(decision).toMatchObject(result);
    else expect(decision).toEqual(result);
  });

  it('hands the user on to the pods the controller creates', () => {
    const deployment = makeWorkload('Deployment');
    const decision = decide('Deployment', deployment);
    const patched = applyPatch(deployment, decision.kind === 'mutate' ? decision.patch : []);
    const template = at(patched, 'spec', 'template');
    const pod = decidePod({ pod: template, namespace: { name: 'team-a' }, user: REPLICASET_CONTROLLER, operation: 'CREATE', settings: admissionSettings({}).settings });
    expect(pod.kind).toBe('mutate');
    const patch = pod.kind === 'mutate' ? pod.patch : [];
    expect(patch.map((op) => op.path)).not.toContain('/metadata/annotations/yunikorn.apache.org~1user.info');
    expect(at(applyPatch(template, patch), 'metadata', 'annotations', USER_INFO)).toBe(ALICE_INFO);
  });
});

import { describe, expect, it } from 'vitest';
import type { PodInput } from './decide-pod.js';
import { decidePod } from './decide-pod.js';
import type { PodDecision, PodMutation } from './decision.js';
import { admissionSettings } from './settings.js';
import { ALICE, applyPatch, at, makePod, REPLICASET_CONTROLLER } from './test-helpers.js';

const APP_ID = 'yunikorn.apache.org/app-id';
const QUEUE = 'yunikorn.apache.org/queue';
const USER_INFO = 'yunikorn.apache.org/user.info';
const PREEMPT = 'yunikorn.apache.org/allow-preemption';
const IGNORE = 'yunikorn.apache.org/ignore-application';
const ALICE_INFO = '{"user":"alice","groups":["dev","system:authenticated"]}';

function create(pod: unknown, options: Partial<Omit<PodInput, 'settings'>> & { settings?: Record<string, string> } = {}): PodDecision {
  return decidePod({ pod, namespace: { name: 'team-a' }, user: ALICE, operation: 'CREATE', ...options, settings: admissionSettings(options.settings ?? {}).settings });
}

function mutation(decision: PodDecision): PodMutation {
  if (decision.kind !== 'mutate') throw new Error(`expected a mutation, got ${JSON.stringify(decision)}`);
  return decision;
}

describe('decidePod: which pods', () => {
  it.each([
    { name: 'an ordinary namespace', ns: { name: 'team-a' }, settings: {}, kind: 'mutate' },
    { name: 'kube-system', ns: { name: 'kube-system' }, settings: {}, kind: 'skip', code: 'namespace-not-processed' },
    { name: 'outside processNamespaces', ns: { name: 'web' }, settings: { processNamespaces: '^team-' }, kind: 'skip', code: 'namespace-not-processed' },
    { name: 'inside processNamespaces', ns: { name: 'team-b' }, settings: { processNamespaces: '^team-' }, kind: 'mutate' },
    { name: 'bypassed by a YuniKorn key', ns: { name: 'team-a' }, settings: { 'admissionController.filtering.bypassNamespaces': '^team-' }, kind: 'skip', code: 'namespace-not-processed' },
    { name: 'enableYuniKorn=false', ns: { name: 'team-a', annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } }, settings: {}, kind: 'skip', code: 'namespace-not-processed' },
    { name: 'enableYuniKorn=true in kube-system', ns: { name: 'kube-system', annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'true' } }, settings: {}, kind: 'mutate' },
    { name: 'unknown namespace: the pod names it', ns: null, settings: { bypassNamespaces: '^team-a$' }, kind: 'skip', code: 'namespace-not-processed' },
  ])('$name: $kind', ({ ns, settings, kind, code }) => {
    const decision = create(makePod().build(), { namespace: ns, settings });
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'skip') expect(decision.code).toBe(code);
  });

  it("leaves drover's own pods alone", () => {
    expect(create(makePod().label('app', 'drover').build())).toMatchObject({ kind: 'skip', code: 'own-pod' });
    expect(create(makePod().label('app', 'yunikorn').build()).kind).toBe('mutate');
  });

  it.each([
    { name: 'default-scheduler', own: 'default-scheduler', replaced: null },
    { name: 'empty', own: '', replaced: null },
    { name: 'drover already', own: 'drover', replaced: null },
    // YuniKorn redirects a pod whatever scheduler it names; drover says which one it replaced
    { name: 'another scheduler', own: 'volcano', replaced: 'volcano' },
  ])('takes a pod whose scheduler is $name', ({ own, replaced }) => {
    const pod = makePod().scheduler(own).build();
    const m = mutation(create(pod));
    expect(m.replacedSchedulerName).toBe(replaced);
    expect(at(applyPatch(pod, m.patch), 'spec', 'schedulerName')).toBe('drover');
  });

  it('writes the configured scheduler name', () => {
    const pod = makePod().build();
    const m = mutation(create(pod, { settings: { schedulerName: 'drover-canary' } }));
    expect(m.schedulerName).toBe('drover-canary');
    expect(m.patch).toContainEqual({ op: 'add', path: '/spec/schedulerName', value: 'drover-canary' });
  });
});

describe('decidePod: application id and queue', () => {
  it.each([
    { name: 'canonical label', pod: makePod().label(APP_ID, 'c').label('applicationId', 'l'), id: 'c', source: 'canonical-label', labels: { applicationId: 'c' } },
    { name: 'annotation before legacy label', pod: makePod().annotation(APP_ID, 'n').label('applicationId', 'l'), id: 'n', source: 'annotation', labels: {} },
    { name: 'legacy label', pod: makePod().label('applicationId', 'l'), id: 'l', source: 'legacy-label', labels: {} },
    { name: 'spark-app-selector', pod: makePod().label('spark-app-selector', 'spark-42'), id: 'spark-42', source: 'spark-label', labels: {} },
    { name: 'none: generated per namespace', pod: makePod(), id: 'yunikorn-team-a-autogen', source: 'generated', labels: { [APP_ID]: 'yunikorn-team-a-autogen', applicationId: 'yunikorn-team-a-autogen' } },
  ])('$name', ({ pod, id, source, labels }) => {
    const m = mutation(create(pod.build()));
    expect({ id: m.applicationId, source: m.applicationIdSource, labels: m.labels }).toEqual({ id, source, labels });
  });

  it('gives the Spark driver and its executors one application', () => {
    const driver = makePod().label('spark-app-selector', 'spark-7f3').label('spark-role', 'driver').build();
    const executor = makePod().label('spark-app-selector', 'spark-7f3').label('spark-role', 'executor').uid('e-1').build();
    const [d, e] = [mutation(create(driver, { settings: { generateUniqueAppId: 'true' } })), mutation(create(executor, { settings: { generateUniqueAppId: 'true' } }))];
    expect([d.applicationId, e.applicationId]).toEqual(['spark-7f3', 'spark-7f3']);
    expect([d.labels, e.labels]).toEqual([{}, {}]);
  });

  it.each([
    { name: 'two pods of a namespace share one id', a: ['team-a', ''], b: ['team-a', ''], unique: 'false', same: true },
    { name: 'namespaces differ', a: ['team-a', ''], b: ['team-b', ''], unique: 'false', same: false },
    { name: 'unique ids differ per pod', a: ['team-a', 'uid-1'], b: ['team-a', 'uid-2'], unique: 'true', same: false },
  ])('generated ids: $name', ({ a, b, unique, same }) => {
    const id = ([ns, uid]: string[]) => mutation(create(makePod().namespace(ns ?? '').uid(uid ?? '').build(), { namespace: { name: ns ?? '' }, settings: { generateUniqueAppId: unique } })).applicationId;
    expect(id(a) === id(b)).toBe(same);
  });

  it.each([
    { name: 'uid known', uid: '5e1c-aa', id: 'team-a-5e1c-aa' },
    { name: 'uid not yet assigned', uid: '', id: 'team-a-uniqueautogen' },
  ])('unique id when the $name', ({ uid, id }) => {
    expect(mutation(create(makePod().uid(uid).build(), { settings: { generateUniqueAppId: 'true' } })).applicationId).toBe(id);
  });

  it.each([
    { name: 'canonical label, copied to legacy', pod: makePod().label(QUEUE, 'root.a'), queue: 'root.a', labels: { queue: 'root.a' } },
    { name: 'annotation', pod: makePod().annotation(QUEUE, 'root.n'), queue: 'root.n', labels: {} },
    { name: 'legacy label', pod: makePod().label('queue', 'root.l'), queue: 'root.l', labels: {} },
    { name: 'none: the placement rules decide', pod: makePod(), queue: null, labels: {} },
  ])('queue: $name', ({ pod, queue, labels }) => {
    const m = mutation(create(pod.label(APP_ID, 'x').build()));
    expect(m.queue).toBe(queue);
    expect(m.labels).toEqual({ applicationId: 'x', ...labels });
  });

  it.each([
    { name: 'noLabelNamespaces', ns: { name: 'team-a' }, settings: { noLabelNamespaces: '^team-a$' } },
    { name: 'outside labelNamespaces', ns: { name: 'team-a' }, settings: { labelNamespaces: '^spark-' } },
    { name: 'generateAppId=false', ns: { name: 'team-a', annotations: { 'yunikorn.apache.org/namespace.generateAppId': 'false' } }, settings: {} },
  ])('no id is generated in a namespace that is not labelled ($name)', ({ ns, settings }) => {
    const m = mutation(create(makePod().build(), { namespace: ns, settings }));
    expect({ labelled: m.labelled, id: m.applicationId, labels: m.labels, annotations: m.annotations }).toEqual({
      labelled: false, id: null, labels: {}, annotations: { [USER_INFO]: ALICE_INFO, [IGNORE]: 'true' },
    });
  });

  it('generateAppId=true labels a namespace the lists exclude', () => {
    const ns = { name: 'team-a', annotations: { 'yunikorn.apache.org/namespace.generateAppId': 'true' } };
    expect(mutation(create(makePod().build(), { namespace: ns, settings: { noLabelNamespaces: '.*' } })).applicationId).toBe('yunikorn-team-a-autogen');
  });
});

describe('decidePod: patch', () => {
  it('brings a bare pod to what the decision says', () => {
    const pod = makePod().build();
    const m = mutation(create(pod));
    expect(m.patch).toEqual([
      { op: 'add', path: '/spec/schedulerName', value: 'drover' },
      { op: 'add', path: '/metadata/labels', value: { [APP_ID]: 'yunikorn-team-a-autogen', applicationId: 'yunikorn-team-a-autogen' } },
      { op: 'add', path: '/metadata/annotations', value: { [USER_INFO]: ALICE_INFO, [PREEMPT]: 'true' } },
    ]);
    expect(at(applyPatch(pod, m.patch), 'metadata')).toEqual({ name: 'p', namespace: 'team-a', labels: m.labels, annotations: m.annotations });
  });

  it('adds escaped members to existing maps and keeps what is there', () => {
    const pod = makePod().label('team', 'a').annotation('note', 'x').build();
    const m = mutation(create(pod));
    expect(m.patch.map((op) => op.path)).toEqual([
      '/spec/schedulerName',
      '/metadata/labels/yunikorn.apache.org~1app-id',
      '/metadata/labels/applicationId',
      '/metadata/annotations/yunikorn.apache.org~1user.info',
      '/metadata/annotations/yunikorn.apache.org~1allow-preemption',
    ]);
    const patched = applyPatch(pod, m.patch);
    expect(at(patched, 'metadata', 'labels')).toEqual({ team: 'a', [APP_ID]: 'yunikorn-team-a-autogen', applicationId: 'yunikorn-team-a-autogen' });
    expect(at(patched, 'metadata', 'annotations', 'note')).toBe('x');
  });

  it('is empty for a pod that already carries everything', () => {
    const pod = makePod().scheduler('drover').label(APP_ID, 'a').label('applicationId', 'a').annotation(USER_INFO, '{"user":"alice"}').annotation(PREEMPT, 'false').build();
    expect(mutation(create(pod, { user: REPLICASET_CONTROLLER })).patch).toEqual([]);
  });

  it('works on a pod without metadata or spec', () => {
    const m = mutation(create({}));
    expect(applyPatch({}, m.patch)).toEqual({ spec: { schedulerName: 'drover' }, metadata: { labels: m.labels, annotations: m.annotations } });
  });
});

describe('decidePod: allow-preemption', () => {
  it.each([
    { name: 'no priority class', pod: makePod(), pc: null, value: 'true' },
    { name: 'a class that opts out', pod: makePod().priorityClass('batch-low'), pc: { name: 'batch-low', annotations: { [PREEMPT]: 'false' } }, value: 'false' },
    { name: 'a class without the annotation', pod: makePod().priorityClass('batch-low'), pc: { name: 'batch-low' }, value: 'true' },
    { name: 'a class with another value', pod: makePod().priorityClass('batch-low'), pc: { name: 'batch-low', annotations: { [PREEMPT]: 'no' } }, value: 'true' },
    { name: 'an unknown class', pod: makePod().priorityClass('batch-low'), pc: null, value: 'true' },
    { name: 'a class of another name', pod: makePod().priorityClass('batch-low'), pc: { name: 'other', annotations: { [PREEMPT]: 'false' } }, value: 'true' },
    { name: 'the pod says false', pod: makePod().priorityClass('hi').annotation(PREEMPT, 'false'), pc: { name: 'hi' }, value: undefined },
    { name: 'the pod says true', pod: makePod().priorityClass('lo').annotation(PREEMPT, 'true'), pc: { name: 'lo', annotations: { [PREEMPT]: 'false' } }, value: undefined },
    { name: 'the pod says something unreadable', pod: makePod().priorityClass('lo').annotation(PREEMPT, 'False'), pc: { name: 'lo', annotations: { [PREEMPT]: 'false' } }, value: 'false' },
  ])('$name -> $value', ({ pod, pc, value }) => {
    expect(mutation(create(pod.build(), { priorityClass: pc })).annotations[PREEMPT]).toBe(value);
  });

  it('is not written in a namespace that is not labelled', () => {
    expect(mutation(create(makePod().build(), { settings: { noLabelNamespaces: '.*' } })).annotations[PREEMPT]).toBeUndefined();
  });
});

describe('decidePod: user info on CREATE', () => {
  const forged = makePod().annotation(USER_INFO, '{"user":"root","groups":["system:masters"]}').build();
  it.each([
    { name: 'an ordinary user forging it', user: ALICE, settings: {}, ns: 'team-a', kind: 'deny', code: 'user-info-not-allowed' },
    // checked before the namespace filters, as in YuniKorn
    { name: 'a forgery in a bypassed namespace', user: ALICE, settings: {}, ns: 'kube-system', kind: 'deny', code: 'user-info-not-allowed' },
    { name: 'a controller passing it on', user: REPLICASET_CONTROLLER, settings: {}, ns: 'team-a', kind: 'mutate' },
    { name: 'an external user', user: ALICE, settings: { externalUsers: '^alice$' }, ns: 'team-a', kind: 'mutate' },
    { name: 'an external group', user: ALICE, settings: { externalGroups: '^dev$' }, ns: 'team-a', kind: 'mutate' },
    { name: 'bypassAuth', user: ALICE, settings: { bypassAuth: 'true' }, ns: 'team-a', kind: 'mutate' },
  ])('$name: $kind', ({ user, settings, ns, kind, code }) => {
    const decision = create(forged, { user, settings, namespace: { name: ns } });
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'deny') expect(decision.code).toBe(code);
    if (decision.kind === 'mutate') expect(decision.annotations[USER_INFO]).toBeUndefined();
  });

  it('is not written with bypassAuth', () => {
    expect(mutation(create(makePod().build(), { settings: { bypassAuth: 'true' } })).annotations[USER_INFO]).toBeUndefined();
  });

  it('refuses an unreadable value even from a controller', () => {
    expect(create(makePod().annotation(USER_INFO, 'alice').build(), { user: REPLICASET_CONTROLLER })).toMatchObject({ kind: 'deny', code: 'user-info-invalid' });
  });
});

import { describe, expect, it } from 'vitest';
import { decidePod } from './decide-pod.js';
import type { PodDecision } from './decision.js';
import type { NamespaceInput } from './namespace-filter.js';
import { admissionSettings } from './settings.js';
import { ALICE, makePod, REPLICASET_CONTROLLER } from './test-helpers.js';
import type { RequestUser } from './user-info.js';

const USER_INFO = 'yunikorn.apache.org/user.info';
const ALICE_INFO = '{"user":"alice"}';

function update(oldPod: unknown, pod: unknown, options: { settings?: Record<string, string>; namespace?: NamespaceInput | null; user?: RequestUser } = {}): PodDecision {
  return decidePod({
    pod,
    oldPod,
    operation: 'UPDATE',
    namespace: options.namespace === undefined ? { name: 'team-a' } : options.namespace,
    user: options.user ?? ALICE,
    settings: admissionSettings(options.settings ?? {}).settings,
  });
}

const withInfo = (value: string) => makePod().label('applicationId', 'a').annotation(USER_INFO, value).build();
const withoutInfo = () => makePod().label('applicationId', 'a').build();

describe('decidePod on UPDATE', () => {
  it.each([
    { name: 'user info unchanged', old: withInfo(ALICE_INFO), pod: withInfo(ALICE_INFO), kind: 'skip', code: 'update-allowed' },
    { name: 'no user info before or after', old: withoutInfo(), pod: withoutInfo(), kind: 'skip', code: 'update-allowed' },
    { name: 'user info changed', old: withInfo(ALICE_INFO), pod: withInfo('{"user":"root"}'), kind: 'deny', code: 'user-info-changed' },
    { name: 'user info added', old: withoutInfo(), pod: withInfo(ALICE_INFO), kind: 'deny', code: 'user-info-changed' },
    { name: 'user info removed', old: withInfo(ALICE_INFO), pod: withoutInfo(), kind: 'deny', code: 'user-info-changed' },
    // the comparison is on the text: a re-encoding of the same user is a change
    { name: 'user info re-encoded', old: withInfo(ALICE_INFO), pod: withInfo('{ "user": "alice" }'), kind: 'deny', code: 'user-info-changed' },
  ])('$name: $kind', ({ old, pod, kind, code }) => {
    expect(update(old, pod)).toMatchObject({ kind, code });
  });

  it.each([
    { name: 'a trusted controller', user: REPLICASET_CONTROLLER, settings: {} },
    { name: 'bypassAuth', user: ALICE, settings: { bypassAuth: 'true' } },
  ])('refuses a change even from $name', ({ user, settings }) => {
    expect(update(withInfo(ALICE_INFO), withInfo('{"user":"bob"}'), { user, settings })).toMatchObject({ kind: 'deny', code: 'user-info-changed', message: 'user info annotation change is not allowed' });
  });

  it.each([
    { name: "drover's own pod", old: withInfo(ALICE_INFO), pod: makePod().label('app', 'drover').build(), settings: {}, namespace: { name: 'team-a' }, code: 'own-pod' },
    { name: 'a bypassed namespace', old: withInfo(ALICE_INFO), pod: withoutInfo(), settings: {}, namespace: { name: 'kube-system' }, code: 'namespace-not-processed' },
    { name: 'enableYuniKorn=false', old: withInfo(ALICE_INFO), pod: withoutInfo(), settings: {}, namespace: { name: 'team-a', annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } }, code: 'namespace-not-processed' },
    {
      name: 'an unlabelled namespace and no id label',
      old: makePod().annotation(USER_INFO, ALICE_INFO).build(), pod: makePod().build(),
      settings: { noLabelNamespaces: '^team-a$' }, namespace: { name: 'team-a' }, code: 'no-application',
    },
  ])('lets through unchecked: $name', ({ old, pod, settings, namespace, code }) => {
    expect(update(old, pod, { settings, namespace })).toMatchObject({ kind: 'skip', code });
  });

  it('checks a pod of an unlabelled namespace that names its application by label', () => {
    expect(update(withInfo(ALICE_INFO), withoutInfo(), { settings: { noLabelNamespaces: '^team-a$' } })).toMatchObject({ kind: 'deny', code: 'user-info-changed' });
  });

  it.each([
    { name: 'no old pod', old: undefined },
    { name: 'an old pod that is not an object', old: 'pod' },
    { name: 'an old pod with bad annotations', old: { metadata: { annotations: { [USER_INFO]: 7 } } } },
  ])('refuses $name', ({ old }) => {
    expect(update(old, withInfo(ALICE_INFO))).toMatchObject({ kind: 'deny', code: 'malformed-object' });
  });
});

import { describe, expect, it } from 'vitest';
import { admissionSettings } from './settings.js';
import { ALICE, REPLICASET_CONTROLLER } from './test-helpers.js';
import type { RequestUser } from './user-info.js';
import { encodeUserInfo, mayProvideUserInfo, userInfoProblem, userInfoStep } from './user-info.js';

const settings = (raw: Record<string, string> = {}) => admissionSettings(raw).settings;
const KEY = 'yunikorn.apache.org/user.info';
const BOB: RequestUser = { username: 'bob', groups: ['ops'] };

describe('mayProvideUserInfo', () => {
  it.each([
    { name: 'a kube-system controller', user: REPLICASET_CONTROLLER, raw: {}, may: true },
    { name: 'a controller when trustControllers is off', user: REPLICASET_CONTROLLER, raw: { trustControllers: 'false' }, may: false },
    { name: 'a service account of another namespace', user: { username: 'system:serviceaccount:team-a:default', groups: [] }, raw: {}, may: false },
    { name: 'an ordinary user', user: BOB, raw: {}, may: false },
    { name: 'a listed external user', user: BOB, raw: { externalUsers: '^bob$' }, may: true },
    { name: 'an unlisted external user', user: ALICE, raw: { externalUsers: '^bob$' }, may: false },
    { name: 'a member of a listed group', user: BOB, raw: { externalGroups: '^ops$' }, may: true },
    { name: 'external users need no trustControllers', user: BOB, raw: { externalUsers: 'bob', trustControllers: 'false' }, may: true },
    { name: 'custom systemUsers', user: { username: 'system:serviceaccount:argo:workflow', groups: [] }, raw: { systemUsers: '^system:serviceaccount:argo:' }, may: true },
  ])('$name: $may', ({ user, raw, may }) => {
    expect(mayProvideUserInfo(user, settings(raw))).toBe(may);
  });
});

describe('userInfoStep', () => {
  it.each([
    { name: 'absent: written', annotations: {}, user: ALICE, raw: {}, kind: 'write' },
    { name: 'absent with bypassAuth: left alone', annotations: {}, user: ALICE, raw: { bypassAuth: 'true' }, kind: 'keep' },
    { name: 'set by a controller: kept', annotations: { [KEY]: '{"user":"alice"}' }, user: REPLICASET_CONTROLLER, raw: {}, kind: 'keep' },
    { name: 'set by an ordinary user: refused', annotations: { [KEY]: '{"user":"root"}' }, user: BOB, raw: {}, kind: 'deny', code: 'user-info-not-allowed' },
    { name: 'set empty by an ordinary user: refused', annotations: { [KEY]: '' }, user: BOB, raw: {}, kind: 'deny', code: 'user-info-not-allowed' },
    { name: 'set by anyone with bypassAuth: kept', annotations: { [KEY]: '{"user":"root"}' }, user: BOB, raw: { bypassAuth: 'true' }, kind: 'keep' },
    { name: 'unreadable from a controller: refused', annotations: { [KEY]: 'alice' }, user: REPLICASET_CONTROLLER, raw: {}, kind: 'deny', code: 'user-info-invalid' },
    { name: 'empty from a controller: refused', annotations: { [KEY]: '' }, user: REPLICASET_CONTROLLER, raw: {}, kind: 'deny', code: 'user-info-invalid' },
  ])('$name', ({ annotations, user, raw, kind, code }) => {
    const step = userInfoStep(new Map(Object.entries(annotations)), user, settings(raw));
    expect(step.kind).toBe(kind);
    if (step.kind === 'deny') expect(step.code).toBe(code);
  });

  it("writes the requesting user's info", () => {
    expect(userInfoStep(new Map(), ALICE, settings())).toEqual({ kind: 'write', value: '{"user":"alice","groups":["dev","system:authenticated"]}' });
  });

  it('says who was refused, in YuniKorn\'s words', () => {
    expect(userInfoStep(new Map([[KEY, '{}']]), BOB, settings())).toMatchObject({ message: 'user bob with groups [ops] is not allowed to set user annotation' });
  });
});

describe('userInfoProblem', () => {
  it.each([
    { text: '{"user":"alice","groups":["a","b"]}', ok: true },
    { text: '{"user":"alice"}', ok: true },
    { text: '{}', ok: true },
    { text: 'null', ok: true },
    { text: ' {"user":"alice"} ', ok: true },
    // Go matches field names without regard to case, and ignores unknown ones
    { text: '{"User":"alice","GROUPS":null,"extra":1}', ok: true },
    { text: '{"groups":["a",null]}', ok: true },
    { text: '', ok: false },
    { text: 'alice', ok: false },
    { text: '"alice"', ok: false },
    { text: '[]', ok: false },
    { text: '42', ok: false },
    { text: '{"user":42}', ok: false },
    { text: '{"USER":["alice"]}', ok: false },
    { text: '{"groups":"dev"}', ok: false },
    { text: '{"groups":[1]}', ok: false },
    { text: '{"user":"alice"} trailing', ok: false },
  ])('$text: readable $ok', ({ text, ok }) => {
    expect(userInfoProblem(text) === null).toBe(ok);
  });

  it('copes with huge and deeply nested values', () => {
    expect(userInfoProblem(`{"user":"${'a'.repeat(1_000_000)}"}`)).toBeNull();
    expect(userInfoProblem('['.repeat(100_000) + ']'.repeat(100_000))).not.toBeNull();
    expect(userInfoProblem('{"groups":' + '['.repeat(100_000))).not.toBeNull();
  });
});

describe('encodeUserInfo', () => {
  it.each([
    { name: 'user and groups', user: ALICE, json: '{"user":"alice","groups":["dev","system:authenticated"]}' },
    // omitempty, as Go encodes YuniKorn's UserGroupInformation
    { name: 'no groups', user: { username: 'alice', groups: [] }, json: '{"user":"alice"}' },
    { name: 'no user', user: { username: '', groups: ['g'] }, json: '{"groups":["g"]}' },
    { name: 'HTML characters escaped as Go does', user: { username: 'a<b>&c', groups: [] }, json: '{"user":"a\\u003cb\\u003e\\u0026c"}' },
    { name: 'quotes and backslashes', user: { username: 'a"b\\c', groups: [] }, json: '{"user":"a\\"b\\\\c"}' },
  ])('$name', ({ user, json }) => {
    const encoded = encodeUserInfo(user);
    expect(encoded).toBe(json);
    expect(userInfoProblem(encoded)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_MAPS } from './config-maps.js';
import type { ConfigData } from './config-maps.js';
import { DEFAULT_CONFIG_MAP_NAMES, validateConfigMap } from './config-validation.js';
import type { AdmissionRequest } from './review.js';

const VALID = 'partitions:\n  - name: default\n    queues:\n      - name: root\n        submitacl: "*"\n';
// guaranteed above max, at partitions[0].queues[0].queues[0].resources.guaranteed
const INVALID = 'partitions:\n  - name: default\n    queues:\n      - name: root\n        queues:\n          - name: a\n            resources: {guaranteed: {memory: 2Gi}, max: {memory: 1Gi}}\n';
const INVALID_PATH = 'partitions[0].queues[0].queues[0].resources.guaranteed';

function request(name: string, data: Record<string, string>, namespace = 'drover'): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    namespace,
    name,
    operation: 'UPDATE',
    user: { username: 'alice', groups: [] },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data },
    oldObject: null,
    dryRun: false,
  };
}

const view = (maps: Record<string, ConfigData>) => ({ names: DEFAULT_CONFIG_MAPS, view: { namespace: 'drover', get: (n: string) => maps[n] ?? null } });
const names = new Set(DEFAULT_CONFIG_MAP_NAMES);

describe('validating an edit merged with the other ConfigMap of its pair', () => {
  it.each([
    { name: 'the user ConfigMap drops queues.yaml, the defaults carry a valid one', edit: request('drover-configs', {}), maps: { 'drover-defaults': { 'queues.yaml': VALID } }, code: 'valid', from: 'drover-defaults', paths: [] },
    { name: 'the user ConfigMap drops queues.yaml, the defaults carry an invalid one', edit: request('drover-configs', { 'log.level': 'debug' }), maps: { 'drover-defaults': { 'queues.yaml': INVALID } }, code: 'invalid', from: 'drover-defaults', paths: [INVALID_PATH] },
    { name: 'a valid user queues.yaml wins over invalid defaults', edit: request('drover-configs', { 'queues.yaml': VALID }), maps: { 'drover-defaults': { 'queues.yaml': INVALID } }, code: 'valid', from: 'drover-configs', paths: [] },
    { name: 'invalid defaults shadowed by the user queues.yaml', edit: request('drover-defaults', { 'queues.yaml': INVALID }), maps: { 'drover-configs': { 'queues.yaml': VALID } }, code: 'valid', from: 'drover-configs', paths: [] },
    { name: 'invalid defaults in force (the user ConfigMap has none)', edit: request('drover-defaults', { 'queues.yaml': INVALID }), maps: { 'drover-configs': { 'log.level': 'info' } }, code: 'invalid', from: 'drover-defaults', paths: [INVALID_PATH] },
    { name: 'neither has queues.yaml: the built-in default', edit: request('drover-configs', {}), maps: { 'drover-defaults': {} }, code: 'no-queues', from: null, paths: [] },
    { name: "YuniKorn's user ConfigMap, merged with drover's defaults", edit: request('yunikorn-configs', {}), maps: { 'drover-defaults': { 'queues.yaml': INVALID } }, code: 'invalid', from: 'drover-defaults', paths: [INVALID_PATH] },
    { name: "drover's defaults ConfigMap, merged with YuniKorn's user ConfigMap", edit: request('drover-defaults', { 'queues.yaml': INVALID }), maps: { 'yunikorn-configs': { 'queues.yaml': VALID } }, code: 'valid', from: 'yunikorn-configs', paths: [] },
    { name: 'another namespace: checked alone', edit: request('drover-configs', {}, 'elsewhere'), maps: { 'drover-defaults': { 'queues.yaml': INVALID } }, code: 'no-queues', from: null, paths: [] },
  ])('$name', ({ edit, maps, code, from, paths }) => {
    const result = validateConfigMap(edit, names, view(maps));
    expect({ code: result.code, from: result.queuesFrom, allowed: result.answer.allowed }).toEqual({ code, from, allowed: code !== 'invalid' });
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.path)).toEqual(paths);
  });

  it('warns, with the issue code, about an invalid queues.yaml that is not in force', () => {
    const result = validateConfigMap(request('drover-defaults', { 'queues.yaml': INVALID }), names, view({ 'drover-configs': { 'queues.yaml': VALID } }));
    expect(result.answer.warnings?.some((w) => w.includes('guaranteed-above-max'))).toBe(true);
  });

  it('reads the admission settings of the merge: a bad value in the defaults is reported on a user edit', () => {
    const result = validateConfigMap(request('drover-configs', { 'queues.yaml': VALID }), names, view({ 'drover-defaults': { 'admissionController.filtering.generateUniqueAppId': 'yes' } }));
    expect(result.answer.warnings?.some((w) => w.includes('admissionController.filtering.generateUniqueAppId'))).toBe(true);
  });

  it('without a view, checks the edit alone', () => {
    expect(validateConfigMap(request('drover-configs', {}), names).code).toBe('no-queues');
  });
});

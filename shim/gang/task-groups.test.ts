import { describe, expect, it } from 'vitest';
import { DEFAULT_PLACEHOLDER_TIMEOUT_MS, GANG_ANNOTATION, isPlaceholder, readGang, readSchedulingPolicy, readTaskGroups, taskGroupName } from './task-groups.js';

const TG = GANG_ANNOTATION.taskGroups;
const PARAMS = GANG_ANNOTATION.schedulingPolicyParameters;
const at = (rest: string) => `metadata.annotations[${TG}]${rest}`;
const groups = (v: unknown) => ({ [TG]: typeof v === 'string' ? v : JSON.stringify(v) });

const SPARK = [
  { name: 'spark-driver', minMember: 1, minResource: { cpu: '1', memory: '2Gi' } },
  { name: 'spark-executor', minMember: 3, minResource: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': 1 }, nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], labels: { team: 'a' } },
];

describe('readGang', () => {
  it('reads task groups in the core units, one pod per member, with the policy', () => {
    const { gang, problems } = readGang({ ...groups(SPARK), [PARAMS]: 'placeholderTimeoutInSeconds=60 gangSchedulingStyle=Hard' });
    expect(problems).toEqual([]);
    expect(gang).toEqual({
      taskGroups: [
        // 1 cpu = 1000 millicores; 2Gi = 2 * 2^30 bytes
        { name: 'spark-driver', minMember: 1, minResource: { vcore: 1000, memory: 2 * 2 ** 30, pods: 1 } },
        { name: 'spark-executor', minMember: 3, minResource: { vcore: 500, memory: 2 ** 30, 'nvidia.com/gpu': 1, pods: 1 } },
      ],
      timeoutMs: 60_000,
      style: 'Hard',
    });
  });

  it('defaults: a 15 minute timeout and the Soft style, as YuniKorn', () => {
    expect(readGang(groups(SPARK)).gang).toMatchObject({ timeoutMs: 15 * 60_000, style: 'Soft' });
  });

  it('has no gang without the annotation, or with an empty list', () => {
    expect(readGang({})).toEqual({ gang: null, problems: [] });
    expect(readGang(groups([]))).toEqual({ gang: null, problems: [] });
  });

  it('matches field names without regard to case, as Go decodes them', () => {
    const { gang, problems } = readGang(groups([{ NAME: 'g', minmember: 2, MinResource: { cpu: '1' } }]));
    expect(problems).toEqual([]);
    expect(gang?.taskGroups).toEqual([{ name: 'g', minMember: 2, minResource: { vcore: 1000, pods: 1 } }]);
  });

  it('counts a member as one pod whatever minResource says', () => {
    expect(readGang(groups([{ name: 'g', minMember: 1, minResource: { pods: '5' } }])).gang?.taskGroups[0]?.minResource).toEqual({ pods: 1 });
  });
});

describe('readTaskGroups: bad input, every problem with its path', () => {
  it.each([
    { name: 'not JSON', value: '[{name: x}]', codes: [['json-syntax', `metadata.annotations[${TG}]`]] },
    { name: 'an object, not a list', value: { name: 'g' }, codes: [['not-an-array', `metadata.annotations[${TG}]`]] },
    { name: 'a string in the list', value: ['g'], codes: [['not-an-object', at('[0]')]] },
    { name: 'no name', value: [{ minMember: 1, minResource: {} }], codes: [['name-missing', at('[0].name')]] },
    { name: 'an empty name', value: [{ name: '', minMember: 1, minResource: {} }], codes: [['name-missing', at('[0].name')]] },
    { name: 'two groups of one name', value: [{ name: 'g', minMember: 1, minResource: {} }, { name: 'g', minMember: 2, minResource: {} }], codes: [['name-duplicate', at('[1].name')]] },
    { name: 'minMember 0', value: [{ name: 'g', minMember: 0, minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'minMember negative', value: [{ name: 'g', minMember: -2, minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'minMember a fraction', value: [{ name: 'g', minMember: 1.5, minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'minMember a string', value: [{ name: 'g', minMember: '3', minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'minMember missing', value: [{ name: 'g', minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'minMember over int32', value: [{ name: 'g', minMember: 2 ** 31, minResource: {} }], codes: [['min-member-invalid', at('[0].minMember')]] },
    { name: 'no minResource', value: [{ name: 'g', minMember: 1 }], codes: [['min-resource-missing', at('[0].minResource')]] },
    { name: 'minResource a list', value: [{ name: 'g', minMember: 1, minResource: ['1'] }], codes: [['field-type', at('[0].minResource')]] },
    { name: 'a bad quantity', value: [{ name: 'g', minMember: 1, minResource: { cpu: 'lots', memory: '1Gi' } }], codes: [['min-resource-invalid', at('[0].minResource.cpu')]] },
    { name: 'a negative quantity', value: [{ name: 'g', minMember: 1, minResource: { memory: '-1Gi' } }], codes: [['min-resource-invalid', at('[0].minResource.memory')]] },
    { name: 'an unknown unit', value: [{ name: 'g', minMember: 1, minResource: { memory: '1GB' } }], codes: [['min-resource-invalid', at('[0].minResource.memory')]] },
    { name: 'a node selector of numbers', value: [{ name: 'g', minMember: 1, minResource: {}, nodeSelector: { zone: 1 } }], codes: [['field-type', at('[0].nodeSelector.zone')]] },
    { name: 'tolerations not a list', value: [{ name: 'g', minMember: 1, minResource: {}, tolerations: { key: 'a' } }], codes: [['field-type', at('[0].tolerations')]] },
    { name: 'a toleration not an object', value: [{ name: 'g', minMember: 1, minResource: {}, tolerations: ['a'] }], codes: [['field-type', at('[0].tolerations[0]')]] },
    { name: 'affinity a string', value: [{ name: 'g', minMember: 1, minResource: {}, affinity: 'near' }], codes: [['field-type', at('[0].affinity')]] },
    { name: 'labels not strings', value: [{ name: 'g', minMember: 1, minResource: {}, labels: { a: true } }], codes: [['field-type', at('[0].labels.a')]] },
    {
      name: 'several problems at once, all reported',
      value: [{ minMember: 0, minResource: { cpu: 'x' } }, { name: 'ok', minMember: 1, minResource: {} }, { name: 'b', minMember: 1 }],
      codes: [
        ['name-missing', at('[0].name')],
        ['min-member-invalid', at('[0].minMember')],
        ['min-resource-invalid', at('[0].minResource.cpu')],
        ['min-resource-missing', at('[2].minResource')],
      ],
    },
  ])('$name: no gang', ({ value, codes }) => {
    const { groups: read, problems } = readTaskGroups(groups(value));
    expect(read).toBeNull();
    expect(problems.map((p) => [p.code, p.path])).toEqual(codes);
  });

  it.each([
    { name: 'an unknown field', value: [{ name: 'g', minMember: 1, minResource: {}, minMembers: 3 }], codes: [['unknown-field', at('[0].minMembers')]] },
    { name: 'a field given twice (the later wins, as in Go)', value: [{ name: 'g', minMember: 1, minmember: 2, minResource: {} }], codes: [['duplicate-field', at('[0].minmember')]] },
  ])('$name: reported, the gang stands', ({ value, codes }) => {
    const { groups: read, problems } = readTaskGroups(groups(value));
    expect(read).not.toBeNull();
    expect(problems.map((p) => [p.code, p.path])).toEqual(codes);
  });

  it('keeps what placeholders are built from', () => {
    const read = readTaskGroups(groups(SPARK)).groups?.[1];
    expect(read).toMatchObject({ nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], affinity: null, topologySpreadConstraints: [], labels: { team: 'a' }, annotations: {} });
  });
});

describe('readSchedulingPolicy', () => {
  const P = `metadata.annotations[${PARAMS}]`;
  it.each([
    { name: 'nothing', text: undefined, timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [] },
    { name: 'both', text: 'placeholderTimeoutInSeconds=30 gangSchedulingStyle=Hard', timeoutMs: 30_000, style: 'Hard', codes: [] },
    { name: 'extra spaces', text: '  gangSchedulingStyle=Hard   placeholderTimeoutInSeconds=5 ', timeoutMs: 5_000, style: 'Hard', codes: [] },
    { name: 'a timeout of 0 is the default', text: 'placeholderTimeoutInSeconds=0', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [] },
    { name: 'a negative timeout', text: 'placeholderTimeoutInSeconds=-5', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [['timeout-invalid', `${P}.placeholderTimeoutInSeconds`]] },
    { name: 'a timeout with a unit', text: 'placeholderTimeoutInSeconds=30s', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [['timeout-invalid', `${P}.placeholderTimeoutInSeconds`]] },
    { name: 'an unknown style (case matters)', text: 'gangSchedulingStyle=hard', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [['style-unknown', `${P}.gangSchedulingStyle`]] },
    { name: 'no =', text: 'gangSchedulingStyle', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [['parameter-malformed', P]] },
    { name: 'two =', text: 'gangSchedulingStyle=Hard=Soft', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Soft', codes: [['parameter-malformed', P]] },
    { name: 'an unknown key', text: 'timeout=5 gangSchedulingStyle=Hard', timeoutMs: DEFAULT_PLACEHOLDER_TIMEOUT_MS, style: 'Hard', codes: [['parameter-unknown', `${P}.timeout`]] },
  ])('$name', ({ text, timeoutMs, style, codes }) => {
    const { policy, problems } = readSchedulingPolicy(text === undefined ? {} : { [PARAMS]: text });
    expect(policy).toEqual({ timeoutMs, style });
    expect(problems.map((p) => [p.code, p.path])).toEqual(codes);
  });

  it('reports a bad policy with the gang it still applies to', () => {
    const { gang, problems } = readGang({ ...groups(SPARK), [PARAMS]: 'gangSchedulingStyle=Strict' });
    expect(gang?.style).toBe('Soft');
    expect(problems.map((p) => p.code)).toEqual(['style-unknown']);
  });
});

describe('pod annotations', () => {
  it('reads the task group name and the placeholder flag (annotation or label)', () => {
    expect(taskGroupName({ [GANG_ANNOTATION.taskGroupName]: 'spark-executor' })).toBe('spark-executor');
    expect(taskGroupName({ [GANG_ANNOTATION.taskGroupName]: '' })).toBeNull();
    expect(taskGroupName({})).toBeNull();
    expect(isPlaceholder({ [GANG_ANNOTATION.placeholder]: 'true' })).toBe(true);
    expect(isPlaceholder({ [GANG_ANNOTATION.placeholder]: 'True' })).toBe(true);
    expect(isPlaceholder({}, { placeholder: 'true' })).toBe(true);
    expect(isPlaceholder({ [GANG_ANNOTATION.placeholder]: 'false' }, { placeholder: 'true' })).toBe(false);
    expect(isPlaceholder({})).toBe(false);
  });
});

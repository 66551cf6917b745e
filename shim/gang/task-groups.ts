/**
 * Gang scheduling as a pod declares it, in YuniKorn's annotations: `yunikorn.apache.org/task-groups`
 * (a JSON array of task groups), `yunikorn.apache.org/schedulingPolicyParameters` (space-separated
 * `key=value`: `placeholderTimeoutInSeconds`, `gangSchedulingStyle`), `yunikorn.apache.org/task-group-name`
 * (the group a pod belongs to) and `yunikorn.apache.org/placeholder` (a placeholder pod). Pure: the
 * input is a plain annotation map, so the simulator reads gangs exactly as the shim does.
 *
 * The task group fields are YuniKorn's (yunikorn-k8shim `TaskGroup`): `name`, `minMember`,
 * `minResource`, `nodeSelector`, `tolerations`, `affinity`, `topologySpreadConstraints`, `labels`,
 * `annotations`. YuniKorn decodes them with Go's encoding/json, which matches keys without regard to
 * case, so `minmember` works there and works here.
 *
 * Bad input: every problem is collected, with its path. A task-groups annotation with any problem
 * (other than an unknown key, which Go ignores and this reports) is not used: the application is
 * scheduled without a gang, as YuniKorn does when it cannot read the annotation. A scheduling policy
 * parameter that cannot be read takes its default (timeout 15 minutes as yunikorn-core's
 * `defaultPlaceholderTimeout`; style Soft as k8shim's `SchedulingPolicyStyleParamDefault`).
 */
import { GANG_STYLES } from '../../core/port.js';
import type { Gang, GangStyle, TaskGroup } from '../../core/port.js';
import { kubeResources } from '../../core/resources/kube-quantity.js';

const DOMAIN = 'yunikorn.apache.org/';

export const GANG_ANNOTATION = {
  taskGroups: `${DOMAIN}task-groups`,
  taskGroupName: `${DOMAIN}task-group-name`,
  schedulingPolicyParameters: `${DOMAIN}schedulingPolicyParameters`,
  placeholder: `${DOMAIN}placeholder`,
} as const;

/** The label k8shim also reads to tell a placeholder (`placeholder: "true"`). */
export const PLACEHOLDER_LABEL = 'placeholder';

/** yunikorn-core's `defaultPlaceholderTimeout`: 15 minutes, also for 0 and negative values. */
export const DEFAULT_PLACEHOLDER_TIMEOUT_MS = 15 * 60 * 1000;
export const DEFAULT_GANG_STYLE: GangStyle = 'Soft';

export const GANG_PROBLEM_CODES = [
  'json-syntax',
  'not-an-array',
  'not-an-object',
  'unknown-field',
  'duplicate-field',
  'name-missing',
  'name-duplicate',
  'min-member-invalid',
  'min-resource-missing',
  'min-resource-invalid',
  'field-type',
  'parameter-malformed',
  'parameter-unknown',
  'timeout-invalid',
  'style-unknown',
] as const;
export type GangProblemCode = (typeof GANG_PROBLEM_CODES)[number];

export interface GangProblem {
  readonly code: GangProblemCode;
  /** `metadata.annotations[yunikorn.apache.org/task-groups][1].minMember` */
  readonly path: string;
  readonly message: string;
}

type JsonObject = Readonly<Record<string, unknown>>;
type StringMap = Readonly<Record<string, string>>;

/** A task group with everything its placeholders are built from. */
export interface TaskGroupSpec extends TaskGroup {
  readonly nodeSelector: StringMap;
  readonly tolerations: readonly JsonObject[];
  readonly affinity: JsonObject | null;
  readonly topologySpreadConstraints: readonly JsonObject[];
  readonly labels: StringMap;
  readonly annotations: StringMap;
}

export interface SchedulingPolicy {
  readonly timeoutMs: number;
  readonly style: GangStyle;
}

const FIELDS = ['name', 'minMember', 'minResource', 'nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'labels', 'annotations'] as const;
type Field = (typeof FIELDS)[number];
/** Problems that leave the rest of the annotation usable (Go's decoder ignores unknown keys). */
const HARMLESS: ReadonlySet<GangProblemCode> = new Set(['unknown-field', 'duplicate-field']);

const at = (key: string) => `metadata.annotations[${key}]`;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The task group a pod belongs to (`yunikorn.apache.org/task-group-name`), or null. */
export function taskGroupName(annotations: StringMap): string | null {
  const v = annotations[GANG_ANNOTATION.taskGroupName];
  return v === undefined || v === '' ? null : v;
}

/** A placeholder pod: the annotation or, as k8shim also reads it, the label says "true". */
export function isPlaceholder(annotations: StringMap, labels: StringMap = {}): boolean {
  const v = annotations[GANG_ANNOTATION.placeholder] ?? labels[PLACEHOLDER_LABEL];
  return v !== undefined && v.toLowerCase() === 'true';
}

/**
 * The task groups of `yunikorn.apache.org/task-groups` with their placeholder details; null when the
 * annotation is absent, empty, or cannot be used (then `problems` says why, each with its path).
 */
export function readTaskGroups(annotations: StringMap): { readonly groups: readonly TaskGroupSpec[] | null; readonly problems: readonly GangProblem[] } {
  const text = annotations[GANG_ANNOTATION.taskGroups];
  if (text === undefined || text.trim() === '') return { groups: null, problems: [] };
  const base = at(GANG_ANNOTATION.taskGroups);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { groups: null, problems: [{ code: 'json-syntax', path: base, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  if (!Array.isArray(parsed)) return { groups: null, problems: [{ code: 'not-an-array', path: base, message: 'must be a JSON array of task groups' }] };
  const problems: GangProblem[] = [];
  const groups: TaskGroupSpec[] = [];
  const seen = new Map<string, number>();
  parsed.forEach((item: unknown, i) => {
    const group = readGroup(item, `${base}[${i}]`, problems);
    if (group === null) return;
    const first = seen.get(group.name);
    if (first !== undefined) problems.push({ code: 'name-duplicate', path: `${base}[${i}].name`, message: `task group "${group.name}" is already defined at [${first}]` });
    else seen.set(group.name, i);
    groups.push(group);
  });
  const usable = problems.every((p) => HARMLESS.has(p.code));
  return { groups: usable && groups.length > 0 ? groups : null, problems };
}

function readGroup(item: unknown, path: string, problems: GangProblem[]): TaskGroupSpec | null {
  if (!isObject(item)) {
    problems.push({ code: 'not-an-object', path, message: 'a task group must be a JSON object' });
    return null;
  }
  // Go's decoder: keys match field names without regard to case; of two keys for one field the later wins.
  const fields = new Map<Field, unknown>();
  for (const [key, value] of Object.entries(item)) {
    const field = FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined) {
      problems.push({ code: 'unknown-field', path: `${path}.${key}`, message: `unknown field, ignored (the fields are ${FIELDS.join(', ')})` });
      continue;
    }
    if (fields.has(field)) problems.push({ code: 'duplicate-field', path: `${path}.${key}`, message: `${field} is given twice; this one is used` });
    fields.set(field, value);
  }
  const before = problems.length;
  const name = fields.get('name');
  if (typeof name !== 'string' || name === '') problems.push({ code: 'name-missing', path: `${path}.name`, message: 'a task group needs a name (a non-empty string)' });
  const minMember = fields.get('minMember');
  const memberOk = typeof minMember === 'number' && Number.isInteger(minMember) && minMember >= 1 && minMember <= 2 ** 31 - 1;
  if (!memberOk) problems.push({ code: 'min-member-invalid', path: `${path}.minMember`, message: `must be a positive whole number, not ${JSON.stringify(minMember) ?? 'nothing'}` });
  const minResource = readMinResource(fields.get('minResource'), `${path}.minResource`, problems);
  const nodeSelector = stringMap(fields.get('nodeSelector'), `${path}.nodeSelector`, problems);
  const labels = stringMap(fields.get('labels'), `${path}.labels`, problems);
  const groupAnnotations = stringMap(fields.get('annotations'), `${path}.annotations`, problems);
  const tolerations = objectList(fields.get('tolerations'), `${path}.tolerations`, problems);
  const spread = objectList(fields.get('topologySpreadConstraints'), `${path}.topologySpreadConstraints`, problems);
  const affinity = fields.get('affinity');
  if (affinity !== undefined && affinity !== null && !isObject(affinity)) problems.push({ code: 'field-type', path: `${path}.affinity`, message: 'must be an object (a pod affinity)' });
  if (problems.length > before || typeof name !== 'string' || !memberOk || minResource === null) return null;
  return {
    name,
    minMember,
    minResource,
    nodeSelector,
    tolerations,
    affinity: isObject(affinity) ? affinity : null,
    topologySpreadConstraints: spread,
    labels,
    annotations: groupAnnotations,
  };
}

/** Kubernetes quantities into the core's units; a member is one pod, so `pods` is always 1. */
function readMinResource(value: unknown, path: string, problems: GangProblem[]): TaskGroup['minResource'] | null {
  if (value === undefined || value === null) {
    problems.push({ code: 'min-resource-missing', path, message: 'a task group needs minResource (the requests of one member, e.g. {"cpu": "1", "memory": "2Gi"})' });
    return null;
  }
  if (!isObject(value)) {
    problems.push({ code: 'field-type', path, message: 'must be an object of resource names and quantities' });
    return null;
  }
  const { resources, problems: bad } = kubeResources(value);
  for (const p of bad) problems.push({ code: 'min-resource-invalid', path: `${path}.${p.name}`, message: p.message });
  return bad.length > 0 ? null : { ...resources, pods: 1 };
}

function stringMap(value: unknown, path: string, problems: GangProblem[]): StringMap {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.push({ code: 'field-type', path, message: 'must be an object of strings' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else problems.push({ code: 'field-type', path: `${path}.${k}`, message: `must be a string, not ${JSON.stringify(v)}` });
  }
  return out;
}

function objectList(value: unknown, path: string, problems: GangProblem[]): readonly JsonObject[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ code: 'field-type', path, message: 'must be a list of objects' });
    return [];
  }
  const out: JsonObject[] = [];
  value.forEach((v: unknown, i) => {
    if (isObject(v)) out.push(v);
    else problems.push({ code: 'field-type', path: `${path}[${i}]`, message: 'must be an object' });
  });
  return out;
}

/**
 * `yunikorn.apache.org/schedulingPolicyParameters`: `placeholderTimeoutInSeconds=60 gangSchedulingStyle=Hard`.
 * A value that cannot be read keeps its default and is reported; a timeout of 0 means the default, as
 * in YuniKorn.
 */
export function readSchedulingPolicy(annotations: StringMap): { readonly policy: SchedulingPolicy; readonly problems: readonly GangProblem[] } {
  const text = annotations[GANG_ANNOTATION.schedulingPolicyParameters] ?? '';
  const base = at(GANG_ANNOTATION.schedulingPolicyParameters);
  const problems: GangProblem[] = [];
  let timeoutMs = DEFAULT_PLACEHOLDER_TIMEOUT_MS;
  let style = DEFAULT_GANG_STYLE;
  for (const part of text.split(/\s+/).filter((p) => p !== '')) {
    const pair = part.split('=');
    const [key = '', value = ''] = pair;
    if (pair.length !== 2 || key === '') {
      problems.push({ code: 'parameter-malformed', path: base, message: `"${part}" is not key=value; ignored` });
      continue;
    }
    if (key === 'placeholderTimeoutInSeconds') {
      const seconds = /^[+-]?[0-9]+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(seconds) || seconds < 0) {
        problems.push({ code: 'timeout-invalid', path: `${base}.${key}`, message: `"${value}" is not a whole number of seconds (0 or more); the default of ${DEFAULT_PLACEHOLDER_TIMEOUT_MS / 1000}s applies` });
        timeoutMs = DEFAULT_PLACEHOLDER_TIMEOUT_MS;
      } else timeoutMs = seconds === 0 ? DEFAULT_PLACEHOLDER_TIMEOUT_MS : seconds * 1000;
    } else if (key === 'gangSchedulingStyle') {
      const known = GANG_STYLES.find((s) => s === value);
      if (known === undefined) problems.push({ code: 'style-unknown', path: `${base}.${key}`, message: `"${value}" is not ${GANG_STYLES.join(' or ')}; ${DEFAULT_GANG_STYLE} applies` });
      style = known ?? DEFAULT_GANG_STYLE;
    } else problems.push({ code: 'parameter-unknown', path: `${base}.${key}`, message: 'unknown parameter, ignored (known: placeholderTimeoutInSeconds, gangSchedulingStyle)' });
  }
  return { policy: { timeoutMs, style }, problems };
}

/** The gang of an application as the core takes it, from the annotations of its originator pod. */
export function readGang(annotations: StringMap): { readonly gang: Gang | null; readonly problems: readonly GangProblem[] } {
  const { groups, problems } = readTaskGroups(annotations);
  if (groups === null) return { gang: null, problems };
  const { policy, problems: policyProblems } = readSchedulingPolicy(annotations);
  const taskGroups = groups.map(({ name, minMember, minResource }) => ({ name, minMember, minResource }));
  return { gang: { taskGroups, ...policy }, problems: [...problems, ...policyProblems] };
}

/** "metadata.annotations[...][1].minMember: must be ...; ..." for an event. */
export function describeProblems(problems: readonly GangProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

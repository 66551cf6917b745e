/**
 * The structure of queues.yaml, as YuniKorn's Go structs define it, checked with ajv.
 *
 * YuniKorn decodes strictly into typed structs, so the schema mirrors them: unknown keys are errors,
 * every struct may be null (Go's zero value), and scalars follow the Go decoder's rules through the
 * `goType` keyword: a string field takes any scalar as written, a bool takes true/false and the YAML
 * 1.1 spellings (yes/no/on/off/y/n), a uint64 takes whole non-negative numbers only.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { error } from './issues.js';
import type { DocPath, PathSegment, PendingIssue } from './issues.js';

export type Schema = Record<string, unknown>;

type GoType = 'string' | 'bool' | 'uint64' | 'float64';

/** The YAML 1.1 booleans that Go's decoder accepts for a bool field besides true/false. */
export const GO_BOOL_STRINGS: Readonly<Record<string, boolean>> = {
  y: true, Y: true, yes: true, Yes: true, YES: true, on: true, On: true, ON: true,
  n: false, N: false, no: false, No: false, NO: false, off: false, Off: false, OFF: false,
};

/** 2^64, the first value a uint64 cannot hold (YAML numbers arrive as doubles). */
const UINT64_LIMIT = 2 ** 64;

function goTypeAccepts(type: GoType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'bool':
      return typeof value === 'boolean' || (typeof value === 'string' && value in GO_BOOL_STRINGS);
    case 'uint64':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < UINT64_LIMIT;
    case 'float64':
      return typeof value === 'number';
  }
}

const GO_TYPE_WORDS: Record<GoType, string> = {
  string: 'a plain value (text or number)',
  bool: 'true or false',
  uint64: 'a whole number of 0 or more',
  float64: 'a number',
};

/** Building blocks for schemas of YAML documents decoded the Go way. */
export const str: Schema = { goType: 'string' };
export const bool: Schema = { goType: 'bool' };
export const uint: Schema = { goType: 'uint64' };
export const float: Schema = { goType: 'float64' };
export const strMap: Schema = { type: ['object', 'null'], additionalProperties: str };
export const strList: Schema = { type: ['array', 'null'], items: str };

export function struct(name: string, properties: Record<string, Schema>): Schema {
  return { goStruct: name, type: ['object', 'null'], properties, additionalProperties: false };
}

export function list(items: Schema): Schema {
  return { type: ['array', 'null'], items };
}

const resources = struct('resources', { guaranteed: strMap, max: strMap });
const limit = struct('limit', { limit: str, users: strList, groups: strList, maxresources: strMap, maxapplications: uint });

export const QUEUES_YAML_SCHEMA: Schema = {
  definitions: {
    queue: struct('queue', {
      name: str,
      parent: bool,
      resources,
      maxapplications: uint,
      properties: strMap,
      adminacl: str,
      submitacl: str,
      childtemplate: struct('child template', { maxapplications: uint, properties: strMap, resources }),
      queues: list({ $ref: '#/definitions/queue' }),
      limits: list(limit),
    }),
    rule: struct('placement rule', {
      name: str,
      create: bool,
      filter: struct('filter', { type: str, users: strList, groups: strList }),
      parent: { $ref: '#/definitions/rule' },
      value: str,
    }),
  },
  ...struct('configuration', {
    partitions: list(
      struct('partition', {
        name: str,
        queues: list({ $ref: '#/definitions/queue' }),
        placementrules: list({ $ref: '#/definitions/rule' }),
        limits: list(limit),
        preemption: struct('preemption', { enabled: bool, quotapreemptionenabled: bool }),
        nodesortpolicy: struct('node sort policy', { type: str, resourceweights: { type: ['object', 'null'], additionalProperties: float } }),
        usergroupresolver: struct('user group resolver', { type: str, args: strMap }),
      }),
    ),
    checksum: str,
  }),
};

/** Keys YuniKorn once read and dropped; a precise hint beats "unknown key". */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  children: "'children' was renamed 'queues' in YuniKorn long ago; rename the key",
  statedumpfilepath: "'statedumpfilepath' was removed from YuniKorn (state dumps are served by the REST API); delete the key",
};

let ajv: Ajv | undefined;

function compile(schema: Schema): ValidateFunction {
  if (ajv === undefined) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    ajv.addKeyword({ keyword: 'goStruct', schemaType: 'string' });
    ajv.addKeyword({
      keyword: 'goType',
      schemaType: 'string',
      errors: false,
      validate: (type: GoType, value: unknown) => goTypeAccepts(type, value),
    });
  }
  return ajv.compile(schema);
}

/** A checker for `schema` (compiled on first use): every problem becomes an issue with its path. */
export function schemaChecker(schema: Schema): (value: unknown) => PendingIssue[] {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= compile(schema);
    return runChecks(validate, value);
  };
}

/** Check a decoded queues.yaml against its schema. */
export const checkSchema = schemaChecker(QUEUES_YAML_SCHEMA);

function runChecks(validate: ValidateFunction, value: unknown): PendingIssue[] {
  if (validate(value)) return [];
  const issues: PendingIssue[] = [];
  const seen = new Set<string>();
  for (const err of validate.errors ?? []) {
    const issue = toIssue(err, value);
    if (issue === undefined) continue;
    const id = `${issue.code}|${issue.at.join('\u0000')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

function toIssue(err: ErrorObject, root: unknown): PendingIssue | undefined {
  const at = pointerToPath(err.instancePath, root);
  const parentSchema = err.parentSchema as Schema | undefined;
  const what = typeof parentSchema?.goStruct === 'string' ? parentSchema.goStruct : undefined;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty?: unknown }).additionalProperty);
      const allowed = Object.keys((parentSchema?.properties as Schema | undefined) ?? {});
      const removed = REMOVED_KEYS[key];
      if (removed !== undefined) return error('removed-key', [...at, key], removed, true);
      const hint = suggest(key, allowed);
      const where = what === undefined ? '' : ` in a ${what}`;
      const tail = hint === undefined ? `; a ${what ?? 'mapping'} takes: ${allowed.join(', ')}` : `; did you mean '${hint}'?`;
      return error('unknown-key', [...at, key], `unknown key '${key}'${where}${tail}`, true);
    }
    case 'type': {
      const expected = what !== undefined ? `a mapping (${what})` : describeTypes(err.params as { type?: unknown });
      return error('wrong-type', at, `expected ${expected}, got ${describeValue(valueAt(root, at))}`);
    }
    case 'goType': {
      const type = err.schema as GoType;
      return error('wrong-type', at, `expected ${GO_TYPE_WORDS[type]}, got ${describeValue(valueAt(root, at))}`);
    }
    default:
      return error('wrong-type', at, err.message ?? 'invalid value');
  }
}

function describeTypes(params: { type?: unknown }): string {
  const types = Array.isArray(params.type) ? params.type : [params.type];
  if (types.includes('array')) return 'a list';
  if (types.includes('object')) return 'a mapping';
  return types.filter((t) => t !== 'null').join(' or ');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text '${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function pointerToPath(pointer: string, root: unknown): DocPath {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(seg);
      out.push(i);
      node = node[i];
    } else {
      out.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, path: DocPath): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** The closest allowed key: same letters in another case, or within two edits. */
export function suggest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase().replace(/[_-]/g, '');
  const exact = allowed.find((a) => a.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = editDistance(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * The shape of the served kinds, for what the embedded API server checks and documents: which fields
 * an object may carry (`fieldValidation`: a field the kind does not declare is a warning, or with
 * Strict a 400, as the real server decodes) and the schemas of its OpenAPI documents.
 *
 * The source is @kubernetes/client-node's generated models: every model class carries the field list
 * of its Kubernetes type (`attributeTypeMap`: JSON name and type), generated from Kubernetes' own
 * OpenAPI document. Writing the Pod schema by hand would be hundreds of fields to get wrong; this
 * way the server knows every field of the release client-node was generated from.
 *
 * Type grammar of the field list: a model name (`V1PodSpec`), `Array<T>`, `{ [key: string]: T; }`,
 * or a leaf (`string`, `number`, `boolean`, `Date`, `IntOrString`, `any`). A name that is not a model
 * is a leaf too: anything goes there.
 */
import * as models from '@kubernetes/client-node';
import type { ResourceType } from './resources.js';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

const MODELS: Readonly<Record<string, unknown>> = models;
const cache = new Map<string, ReadonlyMap<string, Attribute> | null>();

/** The fields of a model by JSON name, or null when `name` is no model (a leaf). */
export function fieldsOf(name: string): ReadonlyMap<string, Attribute> | null {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const model = MODELS[name];
  let fields: Map<string, Attribute> | null = null;
  if (typeof model === 'function' && 'getAttributeTypeMap' in model && typeof model.getAttributeTypeMap === 'function') {
    const list: unknown = model.getAttributeTypeMap.call(model);
    fields = new Map();
    for (const a of Array.isArray(list) ? (list as unknown[]) : []) {
      if (typeof a !== 'object' || a === null) continue;
      const { baseName, type, format } = a as Record<string, unknown>;
      if (typeof baseName === 'string' && typeof type === 'string') fields.set(baseName, { baseName, type, format: typeof format === 'string' ? format : '' });
    }
  }
  cache.set(name, fields);
  return fields;
}

/** The client-node model of a served kind. */
export function modelOf(r: ResourceType): string {
  if (r.kind === 'Event') return r.group === '' ? 'CoreV1Event' : 'EventsV1Event';
  return `${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}${r.kind}`;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/**
 * The fields of `value` its type does not declare, as paths the way the real server names them in
 * `unknown field "spec.containers[0].imagee"`.
 */
export function unknownFields(type: string, value: unknown, path = ''): string[] {
  const array = ARRAY.exec(type);
  if (array !== null) return Array.isArray(value) ? (value as unknown[]).flatMap((v, i) => unknownFields(array[1] ?? 'any', v, `${path}[${i}]`)) : [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  const map = MAP.exec(type);
  if (map !== null) return entries.flatMap(([k, v]) => unknownFields(map[1] ?? 'any', v, join(path, k)));
  const fields = fieldsOf(type);
  if (fields === null) return [];
  return entries.flatMap(([k, v]) => {
    const field = fields.get(k);
    return field === undefined ? [join(path, k)] : unknownFields(field.type, v, join(path, k));
  });
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** OpenAPI 3 schema of one field type; models become references into `components.schemas`. */
function schemaOfType(type: string, format: string, refs: Set<string>): Record<string, unknown> {
  const array = ARRAY.exec(type);
  if (array !== null) return { type: 'array', items: schemaOfType(array[1] ?? 'any', '', refs) };
  const map = MAP.exec(type);
  if (map !== null) return { type: 'object', additionalProperties: schemaOfType(map[1] ?? 'any', '', refs) };
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'number':
      return format === 'double' || format === 'float' ? { type: 'number', format } : { type: 'integer', ...(format === '' ? {} : { format }) };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    default:
      if (fieldsOf(type) === null) return {};
      refs.add(type);
      return { $ref: `#/components/schemas/${type}` };
  }
}

/** `components.schemas` for the given models and every model they reach. */
export function schemasFor(roots: readonly string[], gvk: (model: string) => readonly object[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const todo = [...roots];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (Object.hasOwn(out, name)) continue;
    const fields = fieldsOf(name);
    if (fields === null) continue;
    const refs = new Set<string>();
    const properties = Object.fromEntries([...fields.values()].map((f) => [f.baseName, schemaOfType(f.type, f.format, refs)]));
    const kinds = gvk(name);
    out[name] = { type: 'object', properties, ...(kinds === undefined ? {} : { 'x-kubernetes-group-version-kind': kinds }) };
    todo.push(...refs);
  }
  return out;
}

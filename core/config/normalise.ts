/**
 * From the decoded document to a draft of the model: root inserted, names lower-cased and checked,
 * quantities parsed, ACLs parsed, Go zero values filled in. Each draft node keeps its path in the
 * document so that the semantic checks can point at it.
 *
 * It reads defensively: a value of the wrong type was already reported by the schema and reads as
 * absent here, so that the rest of the document is still checked.
 */
import { parseConfigQuantity, VCORE } from '../resources/quantity.js';
import type { Resource } from '../resources/resource.js';
import { error, warning } from './issues.js';
import type { DocPath, PendingIssue } from './issues.js';
import type { Acl, ChildTemplateConfig, LimitConfig, NodeSortPolicyType, UserGroupResolverType } from './model.js';
import { NODE_SORT_POLICIES, USER_GROUP_RESOLVERS } from './model.js';
import { DEFAULT_PARTITION, parseAcl, QUEUE_NAME, ROOT } from './names.js';
import { isKnownProperty, misspeltProperty, PROPERTY_READERS } from './properties.js';
import { GO_BOOL_STRINGS } from './schema.js';
import type { SourceIndex } from './yaml-source.js';

export interface Ctx {
  readonly index: SourceIndex;
  readonly issues: PendingIssue[];
}

export interface LimitDraft extends LimitConfig {
  readonly doc: DocPath;
  /** Every maxresources entry parsed (a bad quantity is reported once, where it is). */
  readonly maxResourcesValid: boolean;
}

export interface QueueDraft {
  readonly doc: DocPath;
  readonly name: string;
  readonly path: string;
  readonly parent: boolean;
  readonly guaranteed: Resource;
  readonly max: Resource;
  /** The max parsed without error (limits are compared with it only then). */
  readonly maxValid: boolean;
  readonly maxApplications: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly adminAcl: Acl;
  readonly submitAcl: Acl;
  readonly childTemplate: ChildTemplateConfig | null;
  readonly limits: readonly LimitDraft[];
  readonly queues: readonly QueueDraft[];
}

export interface RuleDraft {
  readonly doc: DocPath;
  readonly name: string;
  readonly create: boolean;
  readonly value: string;
  readonly filterType: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly parent: RuleDraft | null;
}

export interface PartitionDraft {
  readonly doc: DocPath;
  readonly name: string;
  readonly root: QueueDraft;
  readonly rules: readonly RuleDraft[];
  readonly limits: readonly LimitDraft[];
  readonly preemption: { readonly enabled: boolean; readonly quotaPreemptionEnabled: boolean };
  readonly nodeSortPolicy: { readonly type: NodeSortPolicyType; readonly resourceWeights: Readonly<Record<string, number>> };
  readonly userGroupResolver: { readonly type: UserGroupResolverType; readonly args: Readonly<Record<string, string>> };
}

type Obj = Readonly<Record<string, unknown>>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function isObj(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The mapping entries of a list with their indices; other entries were reported by the schema. */
function entries(v: unknown): [unknown, number][] {
  return arr(v).flatMap((item, i): [unknown, number][] => (isObj(item) ? [[item, i]] : []));
}

/** A Go string field gets the scalar as written; null is ''. */
function goString(ctx: Ctx, v: unknown, at: DocPath): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return ctx.index.source(at) ?? String(v);
  return '';
}

function goBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return typeof v === 'string' ? (GO_BOOL_STRINGS[v] ?? false) : false;
}

function goUint(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

function stringMap(ctx: Ctx, v: unknown, at: DocPath): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = goString(ctx, val, [...at, k]);
  return out;
}

function stringList(ctx: Ctx, v: unknown, at: DocPath): string[] {
  return arr(v).map((item, i) => goString(ctx, item, [...at, i]));
}

/** Parse a resource map; returns the valid entries and whether all were valid. */
export function parseResources(ctx: Ctx, v: unknown, at: DocPath): { res: Resource; valid: boolean } {
  const res: Record<string, number> = {};
  let valid = true;
  const entries = stringMap(ctx, v, at);
  for (const [name, text] of Object.entries(entries)) {
    const q = parseConfigQuantity(name, text);
    if (!q.ok) {
      valid = false;
      ctx.issues.push(error(q.reason === 'overflow' ? 'quantity-overflow' : 'quantity-invalid', [...at, name], `${name}: ${q.message}`));
      continue;
    }
    if (!q.exact) ctx.issues.push(warning('quantity-imprecise', [...at, name], `${name}: ${text} is beyond 2^53 and is kept as the nearest representable value; it acts as unlimited in practice`));
    res[name] = q.value;
  }
  if ('cpu' in entries && !(VCORE in entries)) {
    ctx.issues.push(warning('resource-cpu-key', [...at, 'cpu'], "'cpu' is not a YuniKorn resource name: CPU is 'vcore' (in cores, or millicores with m). As written, 'cpu' is a custom resource that no pod requests", true));
  }
  return { res, valid };
}

function acl(ctx: Ctx, v: unknown, at: DocPath): Acl {
  const text = goString(ctx, v, at);
  const r = parseAcl(text);
  if (!r.ok) {
    ctx.issues.push(error('acl-invalid', at, r.message));
    return { allowAll: false, users: [], groups: [], text };
  }
  for (const name of r.ignored) {
    ctx.issues.push(warning('acl-entry-ignored', at, `'${name}' in the ACL '${text}' is not a valid user or group name and is ignored`));
  }
  return r.acl;
}

function properties(ctx: Ctx, v: unknown, at: DocPath): Record<string, string> {
  const props = stringMap(ctx, v, at);
  for (const [key, text] of Object.entries(props)) {
    if (isKnownProperty(key)) {
      const r = PROPERTY_READERS[key](text);
      if (!r.ok) ctx.issues.push(warning('property-value-invalid', [...at, key], r.message));
      continue;
    }
    const near = misspeltProperty(key);
    if (near !== undefined) {
      ctx.issues.push(warning('property-key-unknown', [...at, key], `'${key}' is not a property drover or YuniKorn reads; did you mean '${near}'?`, true));
    }
  }
  return props;
}

export function limits(ctx: Ctx, v: unknown, at: DocPath): LimitDraft[] {
  return entries(v).map(([raw, i]) => {
    const doc = [...at, i];
    const l = obj(raw);
    const parsed = parseResources(ctx, l.maxresources, [...doc, 'maxresources']);
    return {
      doc,
      description: goString(ctx, l.limit, [...doc, 'limit']),
      users: stringList(ctx, l.users, [...doc, 'users']),
      groups: stringList(ctx, l.groups, [...doc, 'groups']),
      maxResources: parsed.res,
      maxResourcesValid: parsed.valid,
      maxApplications: goUint(l.maxapplications),
    };
  });
}

function childTemplate(ctx: Ctx, v: unknown, at: DocPath, isParent: boolean): ChildTemplateConfig | null {
  if (v === null || v === undefined) return null;
  const t = obj(v);
  const r = obj(t.resources);
  const template: ChildTemplateConfig = {
    maxApplications: goUint(t.maxapplications),
    properties: properties(ctx, t.properties, [...at, 'properties']),
    guaranteed: parseResources(ctx, r.guaranteed, [...at, 'resources', 'guaranteed']).res,
    max: parseResources(ctx, r.max, [...at, 'resources', 'max']).res,
  };
  if (!isParent) ctx.issues.push(warning('child-template-on-leaf', at, 'a child template only applies to queues created under a parent queue; this queue is a leaf, so it has no effect'));
  return template;
}

function queue(ctx: Ctx, raw: unknown, doc: DocPath, parentPath: string | null): QueueDraft {
  const q = obj(raw);
  const written = goString(ctx, q.name, [...doc, 'name']);
  const name = parentPath === null ? ROOT : written.toLowerCase();
  const path = parentPath === null ? ROOT : `${parentPath}.${name}`;
  const childDocs = entries(q.queues);
  const children = checkedChildren(ctx, childDocs, [...doc, 'queues'], path);
  const isParent = parentPath === null || goBool(q.parent) || childDocs.length > 0;
  const res = obj(q.resources);
  const max = parseResources(ctx, res.max, [...doc, 'resources', 'max']);
  return {
    doc,
    name,
    path,
    parent: isParent,
    guaranteed: parseResources(ctx, res.guaranteed, [...doc, 'resources', 'guaranteed']).res,
    max: max.res,
    maxValid: max.valid,
    maxApplications: goUint(q.maxapplications),
    properties: properties(ctx, q.properties, [...doc, 'properties']),
    adminAcl: acl(ctx, q.adminacl, [...doc, 'adminacl']),
    submitAcl: acl(ctx, q.submitacl, [...doc, 'submitacl']),
    childTemplate: childTemplate(ctx, q.childtemplate, [...doc, 'childtemplate'], isParent),
    limits: limits(ctx, q.limits, [...doc, 'limits']),
    queues: children,
  };
}

/** Children of one queue: each name valid and unique among its siblings (case-insensitively). */
function checkedChildren(ctx: Ctx, raws: readonly [unknown, number][], at: DocPath, parentPath: string): QueueDraft[] {
  const seen = new Map<string, number>();
  return raws.map(([raw, i]) => {
    const doc = [...at, i];
    const written = goString(ctx, obj(raw).name, [...doc, 'name']);
    if (!QUEUE_NAME.test(written)) {
      const why = written.length > 64 ? `is ${written.length} characters long` : written === '' ? 'is empty' : written.includes('.') ? 'contains a dot (dots separate the levels of a queue path)' : 'contains a character that is not allowed';
      ctx.issues.push(error('queue-name-invalid', [...doc, 'name'], `the queue name '${written}' ${why}; a name has 1 to 64 letters, digits or - _ # @ / :`));
    }
    const lower = written.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      ctx.issues.push(error('queue-name-duplicate', [...doc, 'name'], `a queue named '${lower}' is already defined under ${parentPath} (queue ${first}); names are compared without case`));
    } else seen.set(lower, i);
    return queue(ctx, raw, doc, parentPath);
  });
}

function rule(ctx: Ctx, raw: unknown, doc: DocPath): RuleDraft {
  const r = obj(raw);
  const f = obj(r.filter);
  return {
    doc,
    name: goString(ctx, r.name, [...doc, 'name']),
    create: goBool(r.create),
    value: goString(ctx, r.value, [...doc, 'value']),
    filterType: goString(ctx, f.type, [...doc, 'filter', 'type']),
    users: stringList(ctx, f.users, [...doc, 'filter', 'users']),
    groups: stringList(ctx, f.groups, [...doc, 'filter', 'groups']),
    parent: isObj(r.parent) ? rule(ctx, r.parent, [...doc, 'parent']) : null,
  };
}

function nodeSortPolicy(ctx: Ctx, v: unknown, at: DocPath): PartitionDraft['nodeSortPolicy'] {
  const p = obj(v);
  const text = goString(ctx, p.type, [...at, 'type']);
  let type: NodeSortPolicyType = 'fair';
  const known = NODE_SORT_POLICIES.find((t) => t === text);
  if (known !== undefined) type = known;
  else if (text !== '') {
    const hint = NODE_SORT_POLICIES.find((t) => t === text.toLowerCase());
    ctx.issues.push(error('node-sort-policy-invalid', [...at, 'type'], `undefined node sort policy '${text}'; use fair or binpacking${hint !== undefined ? ` (lower-case: '${hint}')` : ''}`));
  }
  const weights: Record<string, number> = {};
  for (const [k, w] of Object.entries(obj(p.resourceweights))) {
    if (typeof w !== 'number') continue;
    if (w < 0) ctx.issues.push(error('node-sort-weight-negative', [...at, 'resourceweights', k], `the weight of ${k} is ${w}; weights must be 0 or more`));
    else weights[k] = w;
  }
  return { type, resourceWeights: Object.keys(weights).length > 0 ? weights : { [VCORE]: 1, memory: 1 } };
}

function userGroupResolver(ctx: Ctx, v: unknown, at: DocPath): PartitionDraft['userGroupResolver'] {
  const r = obj(v);
  const text = goString(ctx, r.type, [...at, 'type']);
  let type: UserGroupResolverType = 'os';
  const known = USER_GROUP_RESOLVERS.find((t) => t === text.toLowerCase());
  if (known !== undefined) type = known;
  else if (text !== '') ctx.issues.push(warning('user-group-resolver-unknown', [...at, 'type'], `'${text}' is not a user group resolver (os, ldap, test); the partition uses os`));
  return { type, args: stringMap(ctx, r.args, [...at, 'args']) };
}

function partition(ctx: Ctx, raw: unknown, doc: DocPath): PartitionDraft | undefined {
  const p = obj(raw);
  const written = goString(ctx, p.name, [...doc, 'name']);
  const name = written === '' || written.toLowerCase() === DEFAULT_PARTITION ? DEFAULT_PARTITION : written;
  if (p.queues === null || p.queues === undefined) {
    ctx.issues.push(error('partition-no-queues', doc, `partition '${name}' has no queues; give it at least 'queues: [{name: root}]'`));
    return undefined;
  }
  const tops = arr(p.queues);
  const first = tops[0];
  const explicitRoot = tops.length === 1 && goString(ctx, obj(first).name, [...doc, 'queues', 0, 'name']).toLowerCase() === ROOT;
  let root: QueueDraft;
  if (explicitRoot) {
    const rootDoc = [...doc, 'queues', 0];
    const r = obj(obj(first).resources);
    if ((r.guaranteed !== undefined && r.guaranteed !== null) || (r.max !== undefined && r.max !== null)) {
      ctx.issues.push(error('root-resources', [...rootDoc, 'resources'], 'the root queue takes its size from the cluster; remove its resources (set them on the queues below)'));
    }
    root = queue(ctx, first, rootDoc, null);
  } else {
    // YuniKorn inserts a root above several top-level queues, or above one that is not named root.
    // The inserted root has no text of its own; its children point into the partition's `queues`.
    root = queue(ctx, { name: ROOT, queues: tops }, doc, null);
  }
  const pre = obj(p.preemption);
  return {
    doc,
    name,
    root,
    rules: entries(p.placementrules).map(([r, i]) => rule(ctx, r, [...doc, 'placementrules', i])),
    limits: limits(ctx, p.limits, [...doc, 'limits']),
    preemption: {
      enabled: pre.enabled === null || pre.enabled === undefined ? true : goBool(pre.enabled),
      quotaPreemptionEnabled: goBool(pre.quotapreemptionenabled),
    },
    nodeSortPolicy: nodeSortPolicy(ctx, p.nodesortpolicy, [...doc, 'nodesortpolicy']),
    userGroupResolver: userGroupResolver(ctx, p.usergroupresolver, [...doc, 'usergroupresolver']),
  };
}

export interface NormalisedDoc {
  readonly partitions: readonly PartitionDraft[];
}

export function normalise(ctx: Ctx, value: unknown): NormalisedDoc {
  const top = obj(value);
  const seen = new Map<string, number>();
  const partitions: PartitionDraft[] = [];
  entries(top.partitions).forEach(([raw, i]) => {
    const doc: DocPath = ['partitions', i];
    const p = partition(ctx, raw, doc);
    const name = p?.name ?? (goString(ctx, obj(raw).name, [...doc, 'name']) || DEFAULT_PARTITION);
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      ctx.issues.push(error('partition-duplicate', [...doc, 'name'], `partition '${name}' is already defined (partitions[${first}]); partition names are compared without case and an empty name means 'default'`));
    } else seen.set(name.toLowerCase(), i);
    if (p !== undefined) partitions.push(p);
  });
  return { partitions };
}

/**
 * The configuration in force as YuniKorn's `/ws/v1/config` gives it: its SchedulerConfig struct, as YAML
 * (yaml.v2 lower-cases the field names: `partitions`, `maxapplications`, `placementrules`) or as JSON
 * (Go's field names: `Partitions`, `MaxApplications`, `PlacementRules`). drover keeps the loaded model,
 * not the text, so the document is rebuilt from it: quantities in base units (`vcore: 1500m`, memory in
 * bytes), which load back to the same configuration; empty fields are left out, as `omitempty` does.
 */
import { dump } from 'js-yaml';
import type { Acl, ChildTemplateConfig, DroverConfig, LimitConfig, NameMatcher, PartitionConfig, PlacementRuleConfig, QueueConfig } from '../../core/config/model.js';
import { byteOrder } from '../../core/readmodel/json.js';
import type { Resource } from '../../core/resources/resource.js';

type Doc = Record<string, unknown>;

/** How a Go field name is spelt: as is (JSON) or lower-cased (YAML). */
type Key = (goName: string) => string;

const JSON_KEY: Key = (k) => k;
const YAML_KEY: Key = (k) => k.toLowerCase();

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** A struct with its omitempty fields left out when empty. `always` names the fields without omitempty. */
function struct(key: Key, fields: readonly (readonly [string, unknown])[], always: readonly string[] = []): Doc {
  const out: Doc = {};
  for (const [name, value] of fields) if (always.includes(name) || !isEmpty(value)) out[key(name)] = value;
  return out;
}

/** A quantity as queues.yaml reads it back: vcore in millicores (`1500m`), the rest as whole numbers. */
function quantities(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort(byteOrder)) out[k] = k === 'vcore' ? `${r[k] ?? 0}m` : String(r[k] ?? 0);
  return out;
}

function sortedMap<V>(m: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(m).sort(byteOrder)) out[k] = m[k] as V;
  return out;
}

const aclText = (acl: Acl): string => acl.text;

function resources(key: Key, guaranteed: Resource, max: Resource): Doc {
  return struct(key, [['Guaranteed', quantities(guaranteed)], ['Max', quantities(max)]]);
}

function limit(key: Key, l: LimitConfig): Doc {
  return struct(key, [['Limit', l.description], ['Users', l.users], ['Groups', l.groups], ['MaxResources', quantities(l.maxResources)], ['MaxApplications', l.maxApplications]]);
}

function template(key: Key, t: ChildTemplateConfig | null): Doc {
  if (t === null) return {};
  return struct(key, [['MaxApplications', t.maxApplications], ['Properties', sortedMap(t.properties)], ['Resources', resources(key, t.guaranteed, t.max)]]);
}

function queue(key: Key, q: QueueConfig): Doc {
  return struct(
    key,
    [
      ['Name', q.name],
      ['Parent', q.parent],
      ['Resources', resources(key, q.guaranteed, q.max)],
      ['MaxApplications', q.maxApplications],
      ['Properties', sortedMap(q.properties)],
      ['AdminACL', aclText(q.adminAcl)],
      ['SubmitACL', aclText(q.submitAcl)],
      ['ChildTemplate', template(key, q.childTemplate)],
      ['Queues', q.queues.map((c) => queue(key, c))],
      ['Limits', q.limits.map((l) => limit(key, l))],
    ],
    ['Name'],
  );
}

function names(m: NameMatcher): readonly string[] {
  switch (m.kind) {
    case 'none':
      return [];
    case 'list':
      return m.names;
    case 'regexp':
      return [m.pattern];
  }
}

function rule(key: Key, r: PlacementRuleConfig): Doc {
  const filter = struct(key, [['Type', r.filter.type === 'allow' && names(r.filter.users).length + names(r.filter.groups).length === 0 ? '' : r.filter.type], ['Users', names(r.filter.users)], ['Groups', names(r.filter.groups)]]);
  return struct(key, [['Name', r.name], ['Create', r.create], ['Filter', filter], ['Parent', r.parent === null ? null : rule(key, r.parent)], ['Value', r.value]], ['Name']);
}

function partition(key: Key, p: PartitionConfig): Doc {
  return struct(
    key,
    [
      ['Name', p.name],
      ['Queues', [queue(key, p.root)]],
      ['PlacementRules', p.placementRules.map((r) => rule(key, r))],
      ['Limits', p.limits.map((l) => limit(key, l))],
      // Enabled is a *bool in YuniKorn (absent = true): false must be written.
      ['Preemption', struct(key, [['Enabled', p.preemption.enabled], ['QuotaPreemptionEnabled', p.preemption.quotaPreemptionEnabled]], ['Enabled'])],
      ['NodeSortPolicy', struct(key, [['Type', p.nodeSortPolicy.type], ['ResourceWeights', sortedMap(p.nodeSortPolicy.resourceWeights)]])],
      ['UserGroupResolver', struct(key, [['Type', p.userGroupResolver.type], ['Args', sortedMap(p.userGroupResolver.args)]])],
    ],
    ['Name', 'Queues'],
  );
}

/** The SchedulerConfig document, keys as YAML or JSON spells them. */
export function configDocument(config: DroverConfig, as: 'yaml' | 'json'): Doc {
  const key = as === 'yaml' ? YAML_KEY : JSON_KEY;
  return struct(key, [['Partitions', config.partitions.map((p) => partition(key, p))], ['Checksum', config.checksum]], ['Partitions']);
}

export function configYaml(config: DroverConfig): string {
  return dump(configDocument(config, 'yaml'), { lineWidth: -1, noRefs: true });
}

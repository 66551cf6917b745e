/**
 * A `drover simulate` scenario (../shared/specs/simulate.md): nodes, namespaces, a timeline of pods
 * and timed events, read from YAML or JSON and checked with the same machinery as queues.yaml, so that
 * every problem is reported with its path, line and column.
 */
import { formatPath } from '../core/config/issues.js';
import type { ConfigIssue, PendingIssue } from '../core/config/issues.js';
import { error } from '../core/config/issues.js';
import { bool, list, schemaChecker, str, strList, strMap, struct } from '../core/config/schema.js';
import type { Schema } from '../core/config/schema.js';
import { parseYaml } from '../core/config/yaml-source.js';
import { kubeResources } from '../core/resources/kube-quantity.js';

export interface ScenarioNode {
  readonly name: string;
  readonly allocatable: Readonly<Record<string, unknown>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly unschedulable: boolean;
}

export interface ScenarioPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly user: string;
  readonly groups: readonly string[];
  readonly requests: Readonly<Record<string, unknown>>;
  readonly priority: number;
  readonly schedulerName: string | null;
  readonly submitAt: number;
  readonly runFor: number | null;
  readonly deleteAt: number | null;
}

export type ScenarioEvent =
  | { readonly at: number; readonly action: 'cordon' | 'uncordon' | 'removeNode'; readonly node: string }
  | { readonly at: number; readonly action: 'addNode'; readonly node: ScenarioNode }
  | { readonly at: number; readonly action: 'updateConfig'; readonly queues: string };

export interface Scenario {
  readonly tickSeconds: number;
  /** null: run until nothing changes any more (at most MAX_TICKS). */
  readonly ticks: number | null;
  readonly queues: string | null;
  readonly admission: Readonly<Record<string, string>>;
  readonly namespaces: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> }[];
  readonly nodes: readonly ScenarioNode[];
  readonly pods: readonly ScenarioPod[];
  readonly events: readonly ScenarioEvent[];
}

export const MAX_TICKS = 10_000;

const tick: Schema = { type: 'integer', minimum: 0 };
const quantities: Schema = { type: ['object', 'null'], additionalProperties: { type: ['string', 'number'] } };
const node = struct('node', { name: str, allocatable: quantities, labels: strMap, unschedulable: bool });

const SCENARIO_SCHEMA: Schema = struct('scenario', {
  tickSeconds: { type: 'number', exclusiveMinimum: 0 },
  ticks: { type: 'integer', minimum: 0, maximum: MAX_TICKS },
  queues: str,
  admission: { type: ['object', 'null'], additionalProperties: { type: ['string', 'boolean', 'number'] } },
  namespaces: list(struct('namespace', { name: str, labels: strMap, annotations: strMap })),
  nodes: list(node),
  pods: list(
    struct('pod', {
      name: str,
      namespace: str,
      labels: strMap,
      annotations: strMap,
      user: str,
      groups: strList,
      requests: quantities,
      priority: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
      schedulerName: str,
      submitAt: tick,
      runFor: tick,
      deleteAt: tick,
    }),
  ),
  events: list({
    ...struct('event', { at: tick, action: { enum: ['cordon', 'uncordon', 'removeNode', 'addNode', 'updateConfig'] }, node: { type: ['string', 'object'] }, queues: str }),
    required: ['at', 'action'],
  }),
});

const checkScenario = schemaChecker(SCENARIO_SCHEMA);

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback);
const strings = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, text(x)]));
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

function readNode(v: unknown): ScenarioNode {
  const n = obj(v);
  return { name: text(n.name), allocatable: obj(n.allocatable), labels: strings(n.labels), unschedulable: n.unschedulable === true };
}

export type ScenarioResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export function parseScenario(source: string): ScenarioResult {
  const parsed = parseYaml(source);
  const pending: PendingIssue[] = [...parsed.issues];
  if (!parsed.broken) pending.push(...checkScenario(parsed.value));
  const s = obj(parsed.value);
  const nodes = arr(s.nodes).map(readNode);
  const pods = arr(s.pods).map((raw): ScenarioPod => {
    const p = obj(raw);
    return {
      name: text(p.name),
      namespace: text(p.namespace, 'default') || 'default',
      labels: strings(p.labels),
      annotations: strings(p.annotations),
      user: text(p.user, 'nobody') || 'nobody',
      groups: arr(p.groups).map((g) => text(g)),
      requests: obj(p.requests),
      priority: int(p.priority) ?? 0,
      schedulerName: typeof p.schedulerName === 'string' ? p.schedulerName : null,
      submitAt: int(p.submitAt) ?? 0,
      runFor: int(p.runFor),
      deleteAt: int(p.deleteAt),
    };
  });
  const events = arr(s.events).flatMap((raw, i): ScenarioEvent[] => {
    const e = obj(raw);
    const at = int(e.at) ?? 0;
    switch (e.action) {
      case 'cordon':
      case 'uncordon':
      case 'removeNode':
        if (typeof e.node !== 'string') {
          pending.push(error('wrong-type', ['events', i, 'node'], `a ${e.action} event names its node: node: <name>`));
          return [];
        }
        return [{ at, action: e.action, node: e.node }];
      case 'addNode':
        return [{ at, action: 'addNode', node: readNode(e.node) }];
      case 'updateConfig':
        return [{ at, action: 'updateConfig', queues: text(e.queues) }];
      default:
        return [];
    }
  });
  const quantities = (list: Readonly<Record<string, unknown>>, at: (string | number)[]) => {
    for (const problem of kubeResources(list).problems) pending.push(error('quantity-invalid', [...at, problem.name], `${problem.name}: ${problem.message}`));
  };
  nodes.forEach((n, i) => quantities(n.allocatable, ['nodes', i, 'allocatable']));
  pods.forEach((p, i) => quantities(p.requests, ['pods', i, 'requests']));
  events.forEach((e, i) => {
    if (e.action === 'addNode') quantities(e.node.allocatable, ['events', i, 'node', 'allocatable']);
  });
  const seen = new Set<string>();
  pods.forEach((p, i) => {
    const id = `${p.namespace}/${p.name}`;
    if (p.name === '') pending.push(error('wrong-type', ['pods', i, 'name'], 'a pod needs a name'));
    else if (seen.has(id)) pending.push(error('yaml-duplicate-key', ['pods', i, 'name'], `pod ${id} is listed twice`));
    seen.add(id);
  });
  const issues = pending.map((p): ConfigIssue => {
    const pos = p.pos ?? parsed.index.locate(p.at, p.onKey === true);
    return { severity: p.severity, code: p.code, path: formatPath(p.at), line: pos?.line ?? null, column: pos?.column ?? null, message: p.message };
  });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  const admission = Object.fromEntries(Object.entries(obj(s.admission)).map(([k, v]) => [k, text(v)]));
  return {
    ok: true,
    scenario: {
      tickSeconds: typeof s.tickSeconds === 'number' ? s.tickSeconds : 1,
      ticks: int(s.ticks),
      queues: typeof s.queues === 'string' ? s.queues : null,
      admission,
      namespaces: arr(s.namespaces).map((n) => ({ name: text(obj(n).name), labels: strings(obj(n).labels), annotations: strings(obj(n).annotations) })),
      nodes,
      pods,
      events,
    },
  };
}

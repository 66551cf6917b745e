/**
 * Loading queues.yaml: parse -> schema -> normalise -> semantic checks -> freeze.
 *
 * The result is either a frozen configuration (with any warnings) or the complete list of issues.
 * Nothing is mutated while validating, and nothing throws for bad input: an invalid configuration is
 * a value the caller can report, and a running scheduler keeps the configuration it has.
 */
import { checkLimitHierarchy, checkLimitList } from './check-limits.js';
import { checkPlacementRules } from './check-placement.js';
import { checkQueueMaxApplications, checkQueueResources } from './check-queues.js';
import { configChecksum } from './checksum.js';
import { formatPath, warning } from './issues.js';
import type { ConfigIssue, PendingIssue } from './issues.js';
import type { DroverConfig, LimitConfig, PartitionConfig, PlacementRuleConfig, QueueConfig } from './model.js';
import { normalise } from './normalise.js';
import type { LimitDraft, PartitionDraft, QueueDraft } from './normalise.js';
import { checkSchema } from './schema.js';
import { parseYaml } from './yaml-source.js';
import type { SourceIndex } from './yaml-source.js';

export type LoadResult =
  | { readonly ok: true; readonly config: DroverConfig; readonly issues: readonly ConfigIssue[] }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export function loadConfig(text: string): LoadResult {
  const parsed = parseYaml(text);
  const pending: PendingIssue[] = [...parsed.issues];
  if (parsed.broken) return finish(pending, parsed.index, undefined);

  pending.push(...checkSchema(parsed.value));
  const ctx = { index: parsed.index, issues: pending };
  const doc = normalise(ctx, parsed.value);
  if (doc.partitions.length === 0 && !pending.some((i) => i.severity === 'error')) {
    pending.push(warning('config-empty', [], 'the configuration defines no partition; YuniKorn accepts it, but a scheduler with it has no queues (a ConfigMap without queues.yaml gets the built-in default instead)'));
  }
  const rules = new Map<PartitionDraft, PlacementRuleConfig[]>();
  for (const p of doc.partitions) {
    checkQueueResources(p.root, pending);
    checkQueueMaxApplications(p.root, pending);
    forEachQueue(p.root, (q) => checkLimitList(q.limits, q, false, pending));
    checkLimitList(p.limits, p.root, true, pending);
    checkLimitHierarchy(p.root, pending);
    rules.set(p, checkPlacementRules(p.rules, p.root, pending));
  }
  const config: DroverConfig = {
    partitions: doc.partitions.map((p) => toPartition(p, rules.get(p) ?? [])),
    checksum: configChecksum(text),
  };
  return finish(pending, parsed.index, config);
}

function finish(pending: readonly PendingIssue[], index: SourceIndex, config: DroverConfig | undefined): LoadResult {
  const issues = pending.map((p): ConfigIssue => {
    const pos = p.pos ?? index.locate(p.at, p.onKey === true);
    return {
      severity: p.severity,
      code: p.code,
      path: formatPath(p.at),
      line: pos?.line ?? null,
      column: pos?.column ?? null,
      message: p.message,
    };
  });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (config === undefined || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, config: deepFreeze(config), issues };
}

function forEachQueue(q: QueueDraft, fn: (q: QueueDraft) => void): void {
  fn(q);
  for (const c of q.queues) forEachQueue(c, fn);
}

function toLimit(l: LimitDraft): LimitConfig {
  return { description: l.description, users: l.users, groups: l.groups, maxResources: l.maxResources, maxApplications: l.maxApplications };
}

function toQueue(q: QueueDraft): QueueConfig {
  return {
    name: q.name,
    path: q.path,
    parent: q.parent,
    guaranteed: q.guaranteed,
    max: q.max,
    maxApplications: q.maxApplications,
    properties: q.properties,
    adminAcl: q.adminAcl,
    submitAcl: q.submitAcl,
    childTemplate: q.childTemplate,
    limits: q.limits.map(toLimit),
    queues: q.queues.map(toQueue),
  };
}

function toPartition(p: PartitionDraft, placementRules: PlacementRuleConfig[]): PartitionConfig {
  return {
    name: p.name,
    root: toQueue(p.root),
    placementRules,
    limits: p.limits.map(toLimit),
    preemption: p.preemption,
    nodeSortPolicy: p.nodeSortPolicy,
    userGroupResolver: p.userGroupResolver,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * `/ws/v1/scheduler/healthcheck`: YuniKorn's SchedulerHealthDAOInfo (PascalCase, as upstream). The
 * process may pass its own checks; without them, drover checks the core's books the way YuniKorn's
 * health checker does: no negative resources, node usage adding up to the root queue's, every
 * allocation on a known node, every reservation held by a waiting ask. One pass over nodes, asks and
 * allocations.
 */
import type { Resource } from '../../core/resources/resource.js';
import { addInPlace } from '../../core/resources/resource.js';
import type { MutableResource } from '../../core/resources/resource.js';
import type { Scheduler } from '../../core/scheduler/scheduler.js';
import { sameResource } from './changes.js';

export interface HealthCheck {
  readonly name: string;
  readonly succeeded: boolean;
  readonly description: string;
  readonly diagnosisMessage: string;
}

export interface Health {
  readonly healthy: boolean;
  readonly checks: readonly HealthCheck[];
}

export interface HealthDao {
  readonly Healthy: boolean;
  readonly HealthChecks: readonly { readonly Name: string; readonly Succeeded: boolean; readonly Description: string; readonly DiagnosisMessage: string }[];
}

export function healthDao(h: Health): HealthDao {
  return {
    Healthy: h.healthy,
    HealthChecks: h.checks.map((c) => ({ Name: c.name, Succeeded: c.succeeded, Description: c.description, DiagnosisMessage: c.diagnosisMessage })),
  };
}

const negative = (r: Resource): string[] => Object.keys(r).filter((k) => (r[k] ?? 0) < 0);

/** Drop zero entries, which the core keeps on its hot path. */
function nonZero(r: Resource): Resource {
  const out: MutableResource = {};
  for (const [k, v] of Object.entries(r)) if (v !== 0) out[k] = v;
  return out;
}

/** The core's own consistency checks. */
export function coreHealth(s: Scheduler): Health {
  const negatives: string[] = [];
  const inconsistent: string[] = [];
  const orphans: string[] = [];
  const reservations: string[] = [];
  for (const p of s.partitions()) {
    const root = p.tree.root;
    for (const k of negative(root.allocated)) negatives.push(`${p.name}: root allocated ${k}`);
    for (const k of negative(root.pending)) negatives.push(`${p.name}: root pending ${k}`);
    const onNodes: MutableResource = {};
    for (const node of p.nodes.byId.values()) {
      for (const k of negative(node.allocated)) negatives.push(`${p.name}: node ${node.id} allocated ${k}`);
      addInPlace(onNodes, node.allocated);
      if (node.reservedBy !== null && p.asks.get(node.reservedBy)?.ask.reservedNode !== node.id) reservations.push(`${p.name}: node ${node.id} is reserved by ${node.reservedBy}, which does not hold it`);
    }
    if (!sameResource(nonZero(onNodes), nonZero(root.allocated))) inconsistent.push(`${p.name}: the nodes' allocations ${JSON.stringify(nonZero(onNodes))} differ from the root queue's ${JSON.stringify(nonZero(root.allocated))}`);
    for (const { record } of p.allocations.values()) if (!p.nodes.byId.has(record.nodeId)) orphans.push(`${p.name}: allocation ${record.key} is on unknown node ${record.nodeId}`);
  }
  const check = (name: string, description: string, problems: readonly string[]): HealthCheck => ({
    name,
    succeeded: problems.length === 0,
    description,
    diagnosisMessage: problems.slice(0, 10).join('; ') + (problems.length > 10 ? `; and ${problems.length - 10} more` : ''),
  });
  const checks = [
    check('Negative resources', 'Check for negative resources in the partitions', negatives),
    check('Consistency of data', 'Check if the node total resource = allocated resource', inconsistent),
    check('Orphan allocations on node check', 'Check if there are orphan allocations on the nodes', orphans),
    check('Reservation check', 'Check the reservation nr compared to the number of nodes', reservations),
  ];
  return { healthy: checks.every((c) => c.succeeded), checks };
}

/**
 * The simulator's output (../shared/specs/simulate.md, "Output"): one deterministic JSON document,
 * and a table for people. Resource maps in YuniKorn's REST units, zero entries left out.
 */
import { asApplicationId } from '../core/port.js';
import { compact } from '../core/resources/resource.js';
import type { Resource } from '../core/resources/resource.js';
import type { Queue } from '../core/scheduler/queue.js';
import type { SimulationResult } from './engine.js';

export interface QueueReport {
  readonly queuePath: string;
  readonly isLeaf: boolean;
  readonly isManaged: boolean;
  readonly guaranteed: Resource;
  readonly max: Resource;
  readonly allocated: Resource;
  readonly pending: Resource;
  readonly runningApps: number;
  readonly maxRunningApps: number;
}

function queues(root: Queue, cluster: Resource): QueueReport[] {
  const out: QueueReport[] = [];
  const visit = (q: Queue) => {
    out.push({
      queuePath: q.path,
      isLeaf: q.isLeaf,
      isManaged: q.isManaged,
      guaranteed: compact(q.settings.guaranteed),
      max: compact(q.parent === null ? cluster : q.settings.max),
      allocated: compact(q.allocated),
      pending: compact(q.pending),
      runningApps: q.runningApps,
      maxRunningApps: q.settings.maxApplications,
    });
    for (const child of [...q.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(child);
  };
  visit(root);
  return out;
}

export function report(result: SimulationResult): unknown {
  const partition = result.scheduler.partitions()[0];
  const nodes = partition === undefined ? [] : [...partition.nodes.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ticks: result.ticks,
    pods: result.pods.map((p) => ({
      namespace: p.spec.namespace,
      name: p.spec.name,
      applicationId: p.state === 'NotManaged' ? null : p.applicationId,
      queue: p.state === 'NotManaged' || p.applicationId === null ? null : (queueOf(result, p.applicationId) ?? null),
      state: p.state ?? 'Pending',
      node: p.state === 'Bound' || p.state === 'Succeeded' ? p.node : null,
      boundAt: p.state === 'Bound' || p.state === 'Succeeded' ? p.boundAt : null,
      reason: p.state === 'Pending' || p.state === 'Rejected' ? (p.reason ?? { code: 'InsufficientCapacity', message: 'not scheduled yet' }) : null,
    })),
    applications: result.applications.map((a) => ({
      applicationId: a.applicationId,
      partition: a.partition,
      queue: queueOf(result, a.applicationId) ?? null,
      user: a.user,
      state: a.state,
      message: a.state === 'Rejected' || a.state === 'Failed' || a.state === 'Failing' ? a.message : null,
    })),
    queues: partition === undefined ? [] : queues(partition.tree.root, partition.nodes.capacity),
    nodes: nodes.map((n) => ({ nodeId: n.id, schedulable: n.info.schedulable, capacity: compact(n.info.capacity), allocated: compact(n.allocated) })),
  };
}

function queueOf(result: SimulationResult, id: string): string | undefined {
  for (const p of result.scheduler.partitions()) {
    const app = p.apps.get(asApplicationId(id));
    if (app !== undefined) return app.queue?.path;
  }
  return undefined;
}

/** A plain-text rendering for people. */
export function table(result: SimulationResult): string {
  const doc = report(result) as { pods: { namespace: string; name: string; state: string; queue: string | null; node: string | null; reason: { code: string; message: string } | null }[] };
  const rows = doc.pods.map((p) => [`${p.namespace}/${p.name}`, p.state, p.queue ?? '-', p.node ?? '-', p.reason === null ? '' : `${p.reason.code}: ${p.reason.message}`]);
  const header = ['POD', 'STATE', 'QUEUE', 'NODE', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [`ticks: ${result.ticks}`, line(header), ...rows.map(line), ''].join('\n');
}

/**
 * drover's own read models for the UI, beside YuniKorn's (`/api/v1/...`):
 *   pending  every waiting ask with its application, queue, user and the reason the core gave it
 *            (`ask.reason`, PendingReason of the port), oldest first, filterable;
 *   summary  the dashboard in one answer: cluster capacity and use, applications by state, the node
 *            utilisation histogram, and counts of nodes, queues (over their guarantee, at their max),
 *            waiting asks by reason and allocations.
 * Each is one pass over the partition's books; the histogram comes from YuniKorn's read model.
 */
import { APPLICATION_STATES, PENDING_REASONS } from '../../core/port.js';
import type { PendingReasonCode } from '../../core/port.js';
import type { ResourceMap } from '../../core/readmodel/dao.js';
import { absUsedCapacity, byteOrder, daoMap, ns, sortedRecord, usageMap } from '../../core/readmodel/json.js';
import { nodeUtilizationsView } from '../../core/readmodel/node-utilization.js';
import type { Application, Ask } from '../../core/scheduler/application.js';
import type { Partition } from '../../core/scheduler/partition.js';
import type { Queue } from '../../core/scheduler/queue.js';
import type { Scheduler } from '../../core/scheduler/scheduler.js';

export interface PendingAskView {
  readonly allocationKey: string;
  readonly applicationId: string;
  readonly applicationState: string;
  /** The queue the application was placed in; '' when it has none (rejected). */
  readonly queue: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly resource: ResourceMap;
  readonly priority: number;
  /** Unix nanoseconds. */
  readonly requestTime: number;
  /** Why it waits, or null until an allocation cycle has looked at it. */
  readonly reason: { readonly code: PendingReasonCode; readonly message: string } | null;
  /** When a cycle last gave that reason (Unix nanoseconds) and in how many cycles in a row; 0 without a reason. */
  readonly lastOccurrence: number;
  readonly count: number;
}

export interface PendingView {
  readonly partition: string;
  /** Waiting asks matching the filters, before `limit`. */
  readonly total: number;
  /** Of those, per reason code (every code present, zeros included); `none`: not looked at yet. */
  readonly byReason: Readonly<Record<PendingReasonCode | 'none', number>>;
  readonly asks: readonly PendingAskView[];
}

export interface PendingFilter {
  /** A queue path: its asks and those of the queues below it. */
  readonly queue?: string;
  readonly application?: string;
  readonly user?: string;
  readonly reason?: PendingReasonCode | 'none';
  readonly limit?: number;
}

function reasonCounts(): Record<PendingReasonCode | 'none', number> {
  const counts = { none: 0 } as Record<PendingReasonCode | 'none', number>;
  for (const code of PENDING_REASONS) counts[code] = 0;
  return counts;
}

function isUnder(path: string, queue: string): boolean {
  return path === queue || (path.length > queue.length && path.startsWith(queue) && path[queue.length] === '.');
}

function askView(app: Application, ask: Ask): PendingAskView {
  return {
    allocationKey: ask.info.allocationKey,
    applicationId: app.info.applicationId,
    applicationState: app.state,
    queue: app.queue?.path ?? '',
    user: app.info.user.user,
    groups: app.info.user.groups,
    resource: sortedRecord(ask.info.resource),
    priority: ask.info.priority,
    requestTime: ns(ask.createdAt),
    reason: ask.reason === null ? null : { code: ask.reason.code, message: ask.reason.message },
    lastOccurrence: ask.reason === null || ask.reasonSeen === undefined ? 0 : ns(ask.reasonSeen.last),
    count: ask.reason === null ? 0 : (ask.reasonSeen?.count ?? 0),
  };
}

export function pendingView(p: Partition, filter: PendingFilter = {}): PendingView {
  const queue = filter.queue?.toLowerCase();
  const matching: { app: Application; ask: Ask }[] = [];
  const byReason = reasonCounts();
  for (const entry of p.asks.values()) {
    const { app, ask } = entry;
    if (queue !== undefined && (app.queue === null || !isUnder(app.queue.path, queue))) continue;
    if (filter.application !== undefined && app.info.applicationId !== filter.application) continue;
    if (filter.user !== undefined && app.info.user.user !== filter.user) continue;
    const code = ask.reason?.code ?? 'none';
    if (filter.reason !== undefined && code !== filter.reason) continue;
    byReason[code]++;
    matching.push(entry);
  }
  matching.sort((a, b) => a.ask.createdAt - b.ask.createdAt || a.ask.seq - b.ask.seq);
  const shown = filter.limit === undefined ? matching : matching.slice(0, filter.limit);
  return { partition: p.name, total: matching.length, byReason, asks: shown.map((e) => askView(e.app, e.ask)) };
}

export interface HistogramView {
  readonly type: string;
  readonly buckets: readonly { readonly bucketName: string; readonly numOfNodes: number }[];
}

export interface SummaryView {
  readonly partition: string;
  readonly capacity: {
    /** Schedulable nodes' capacity (the root queue's max). */
    readonly capacity: ResourceMap;
    readonly used: ResourceMap;
    readonly pending: ResourceMap;
    /** Percent of capacity used, per type, truncated. */
    readonly utilization: ResourceMap;
  };
  /** Every YuniKorn state but Expired (forgotten), zeros included, and `total`. */
  readonly applications: Readonly<Record<string, number>>;
  readonly nodes: { readonly total: number; readonly schedulable: number; readonly unschedulable: number; readonly reserved: number };
  /** Nodes per tenth of use, per resource type (YuniKorn's node-utilizations without the node names). */
  readonly nodeUtilization: readonly HistogramView[];
  readonly queues: {
    readonly total: number;
    readonly leaves: number;
    readonly dynamic: number;
    readonly draining: number;
    /** Queues using more than their guarantee of some resource. */
    readonly overGuaranteed: number;
    /** Queues using all of their max of some resource. */
    readonly atMax: number;
  };
  readonly pending: { readonly asks: number; readonly byReason: Readonly<Record<PendingReasonCode | 'none', number>> };
  readonly allocations: number;
}

const over = (used: Readonly<Record<string, number>>, limit: Readonly<Record<string, number>>, atLeast: boolean): boolean =>
  Object.entries(limit).some(([k, v]) => v > 0 && (atLeast ? (used[k] ?? 0) >= v : (used[k] ?? 0) > v));

function queueCounts(root: Queue): SummaryView['queues'] {
  const counts = { total: 0, leaves: 0, dynamic: 0, draining: 0, overGuaranteed: 0, atMax: 0 };
  const visit = (q: Queue): void => {
    counts.total++;
    if (q.isLeaf) counts.leaves++;
    if (!q.isManaged) counts.dynamic++;
    if (q.status === 'Draining') counts.draining++;
    // The root's max is the cluster and it has no guarantee: only the queues below count.
    if (q.parent !== null && over(q.allocated, q.settings.guaranteed, false)) counts.overGuaranteed++;
    if (q.parent !== null && over(q.allocated, q.settings.max, true)) counts.atMax++;
    for (const c of q.children.values()) visit(c);
  };
  visit(root);
  return counts;
}

export function summaryView(s: Scheduler, p: Partition): SummaryView {
  const capacity = p.nodes.capacity;
  const root = p.tree.root;
  const applications: Record<string, number> = {};
  for (const state of APPLICATION_STATES) if (state !== 'Expired') applications[state] = 0;
  let total = 0;
  for (const app of p.apps.values()) {
    if (app.state === 'Expired') continue;
    applications[app.state] = (applications[app.state] ?? 0) + 1;
    total++;
  }
  applications['total'] = total;
  const nodes = { total: 0, schedulable: 0, unschedulable: 0, reserved: 0 };
  for (const node of p.nodes.byId.values()) {
    nodes.total++;
    if (node.info.schedulable) nodes.schedulable++;
    else nodes.unschedulable++;
    if (node.reservedBy !== null) nodes.reserved++;
  }
  const byReason = reasonCounts();
  for (const { ask } of p.asks.values()) byReason[ask.reason?.code ?? 'none']++;
  const util = nodeUtilizationsView(s, '').find((u) => u.partition === p.name)?.utilizations ?? [];
  return {
    partition: p.name,
    capacity: {
      capacity: daoMap(capacity) ?? {},
      used: usageMap(root.allocated) ?? {},
      pending: usageMap(root.pending) ?? {},
      utilization: sortedRecord(absUsedCapacity(capacity, root.allocated)),
    },
    applications,
    nodes,
    nodeUtilization: util
      .map((u) => ({ type: u.type ?? '', buckets: (u.utilization ?? []).map((b) => ({ bucketName: b.bucketName ?? '', numOfNodes: b.numOfNodes ?? 0 })) }))
      .sort((a, b) => byteOrder(a.type, b.type)),
    queues: queueCounts(root),
    pending: { asks: p.asks.size, byReason },
    allocations: p.allocations.size,
  };
}

/**
 * What changed in a partition since it was last looked at, as YuniKorn event records. The core keeps no
 * event log of its own and its callback belongs to the resource manager, so the REST layer watches the
 * partition's books instead: each observation walks the applications, asks, allocations, nodes and
 * queues once (O(n), no sorting), compares each object with what it saw last time (by identity first,
 * values only when the identity changed) and reports the differences. Transitions between observations
 * are not lost: an application's state log is read from where the last look stopped, with the times
 * the core recorded. Objects that appear and vanish between two looks are not seen at all.
 */
import { ns } from '../../core/readmodel/json.js';
import type { AllocationKey, ApplicationId, ApplicationState, NodeId, NodeInfo, PendingReason } from '../../core/port.js';
import type { Resource } from '../../core/resources/resource.js';
import type { AllocationRecord, Application, Ask } from '../../core/scheduler/application.js';
import type { NodeState } from '../../core/scheduler/nodes.js';
import type { Partition } from '../../core/scheduler/partition.js';
import type { Queue, QueueSettings, QueueStatus } from '../../core/scheduler/queue.js';
import type { ChangeDetail, EventInput } from './event-record.js';

/** The event detail of entering each application state. */
const STATE_DETAIL = {
  New: 'APP_NEW',
  Accepted: 'APP_ACCEPTED',
  Running: 'APP_RUNNING',
  Completing: 'APP_COMPLETING',
  Completed: 'APP_COMPLETED',
  Rejected: 'APP_REJECT',
  Failing: 'APP_FAILING',
  Failed: 'APP_FAILED',
  Expired: 'APP_EXPIRED',
  Resuming: 'APP_RESUMING',
} as const satisfies Record<ApplicationState, ChangeDetail>;

interface Seen {
  /** The observation that last saw the object; older ones are gone. */
  gen: number;
}
interface AppSeen extends Seen {
  readonly app: Application;
  logLength: number;
  /** The queue holding the application (as an active one), or null. */
  queue: string | null;
}
interface AskSeen extends Seen {
  readonly ask: Ask;
  readonly appId: ApplicationId;
  reason: PendingReason | null;
}
interface AllocationSeen extends Seen {
  readonly record: AllocationRecord;
  readonly appId: ApplicationId;
}
interface NodeSeen extends Seen {
  readonly node: NodeState;
  info: NodeInfo;
  reservedBy: AllocationKey | null;
}
interface QueueSeen extends Seen {
  readonly queue: Queue;
  settings: QueueSettings;
  status: QueueStatus;
  isLeaf: boolean;
}

export function sameResource(a: Resource | undefined, b: Resource | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => x[k] === y[k]);
}

/** Everything of a queue's settings but its resources, for "did the configuration of this queue change". */
function otherSettings(s: QueueSettings): string {
  return JSON.stringify([s.maxApplications, s.properties, s.submitAcl.text, s.adminAcl.text, s.template, s.limits]);
}

/** Watches one partition. `observe` appends what changed since the previous call to `out`. */
export class PartitionWatch {
  private gen = 0;
  private readonly apps = new Map<ApplicationId, AppSeen>();
  private readonly asks = new Map<AllocationKey, AskSeen>();
  private readonly allocations = new Map<AllocationKey, AllocationSeen>();
  private readonly nodes = new Map<NodeId, NodeSeen>();
  private readonly queues = new Map<string, QueueSeen>();

  constructor(private readonly p: Partition) {}

  observe(out: EventInput[]): void {
    const gen = ++this.gen;
    const now = ns(this.p.now());
    // Containers appear before what they hold and go after it: queues and nodes first, their removal last.
    this.observeQueues(gen, now, out);
    this.observeNodes(gen, now, out);
    this.observeApps(gen, now, out);
    this.observeAsks(gen, now, out);
    this.observeAllocations(gen, now, out);
    this.sweepNodes(gen, now, out);
    this.sweepQueues(gen, now, out);
  }

  private observeApps(gen: number, now: number, out: EventInput[]): void {
    for (const app of this.p.apps.values()) {
      const id = app.info.applicationId;
      let seen = this.apps.get(id);
      if (seen?.app !== app) {
        if (seen !== undefined) this.appGone(seen, now, out);
        out.push({ type: 'APP', objectId: id, timestampNano: ns(app.submittedAt), change: 'ADD', detail: 'APP_NEW' });
        seen = { gen, app, logLength: 1, queue: null };
        this.apps.set(id, seen);
      }
      seen.gen = gen;
      const log = app.stateLog;
      // An application enters or leaves its queue only with a state change.
      if (seen.logLength === log.length) continue;
      for (let i = seen.logLength; i < log.length; i++) {
        const entry = log[i];
        if (entry === undefined) continue;
        const message = entry.state === 'Rejected' || entry.state === 'Failing' || entry.state === 'Failed' ? (app.message ?? '') : '';
        out.push({ type: 'APP', objectId: id, message, timestampNano: ns(entry.time), change: 'SET', detail: STATE_DETAIL[entry.state] });
      }
      seen.logLength = log.length;
      const queue = app.queue !== null && app.queue.applications.has(id) ? app.queue.path : null;
      if (queue !== seen.queue) {
        if (seen.queue !== null) out.push({ type: 'QUEUE', objectId: seen.queue, referenceId: id, timestampNano: now, change: 'REMOVE', detail: 'QUEUE_APP' });
        if (queue !== null) out.push({ type: 'QUEUE', objectId: queue, referenceId: id, timestampNano: ns(app.submittedAt), change: 'ADD', detail: 'QUEUE_APP' });
        seen.queue = queue;
      }
    }
    // Every entry seen in this pass is current: only when there are more is there anything to sweep.
    if (this.apps.size === this.p.apps.size) return;
    for (const [id, seen] of this.apps) {
      if (seen.gen === gen) continue;
      this.apps.delete(id);
      this.appGone(seen, now, out);
    }
  }

  private appGone(seen: AppSeen, now: number, out: EventInput[]): void {
    const id = seen.app.info.applicationId;
    if (seen.queue !== null) out.push({ type: 'QUEUE', objectId: seen.queue, referenceId: id, timestampNano: now, change: 'REMOVE', detail: 'QUEUE_APP' });
    out.push({ type: 'APP', objectId: id, timestampNano: now, change: 'REMOVE' });
  }

  private observeAsks(gen: number, now: number, out: EventInput[]): void {
    for (const [key, { app, ask }] of this.p.asks) {
      let seen = this.asks.get(key);
      if (seen?.ask !== ask) {
        if (seen !== undefined) this.askGone(seen, now, out);
        const appId = app.info.applicationId;
        out.push({ type: 'APP', objectId: appId, referenceId: key, timestampNano: ns(ask.createdAt), change: 'ADD', detail: 'APP_REQUEST', resource: ask.info.resource });
        seen = { gen, ask, appId, reason: null };
        this.asks.set(key, seen);
      }
      seen.gen = gen;
      if (ask.reason !== seen.reason) {
        // The core replaces the reason object when the reason changes; the same reason again only counts.
        if (ask.reason !== null) {
          const when = ask.reasonSeen === undefined ? now : ns(ask.reasonSeen.last);
          out.push({ type: 'REQUEST', objectId: key, referenceId: seen.appId, message: ask.reason.message, timestampNano: when, change: 'NONE' });
        }
        seen.reason = ask.reason;
      }
    }
    if (this.asks.size === this.p.asks.size) return;
    for (const [key, seen] of this.asks) {
      if (seen.gen === gen) continue;
      this.asks.delete(key);
      this.askGone(seen, now, out);
    }
  }

  private askGone(seen: AskSeen, now: number, out: EventInput[]): void {
    const key = seen.ask.info.allocationKey;
    const allocated = this.p.allocations.get(key);
    const when = allocated === undefined ? now : ns(allocated.record.allocatedAt);
    const detail = allocated === undefined ? 'REQUEST_CANCEL' : 'REQUEST_ALLOC';
    out.push({ type: 'APP', objectId: seen.appId, referenceId: key, timestampNano: when, change: 'REMOVE', detail, resource: seen.ask.info.resource });
  }

  private observeAllocations(gen: number, now: number, out: EventInput[]): void {
    for (const [key, { app, record }] of this.p.allocations) {
      let seen = this.allocations.get(key);
      if (seen?.record !== record) {
        if (seen !== undefined) this.allocationGone(seen, now, out);
        const appId = app.info.applicationId;
        const resource = record.ask.info.resource;
        const when = ns(record.allocatedAt);
        out.push({ type: 'APP', objectId: appId, referenceId: key, message: `allocated on ${record.nodeId}`, timestampNano: when, change: 'ADD', detail: 'APP_ALLOC', resource });
        out.push({ type: 'NODE', objectId: record.nodeId, referenceId: key, timestampNano: when, change: 'ADD', detail: 'NODE_ALLOC', resource });
        seen = { gen, record, appId };
        this.allocations.set(key, seen);
      }
      seen.gen = gen;
    }
    if (this.allocations.size === this.p.allocations.size) return;
    for (const [key, seen] of this.allocations) {
      if (seen.gen === gen) continue;
      this.allocations.delete(key);
      this.allocationGone(seen, now, out);
    }
  }

  private allocationGone(seen: AllocationSeen, now: number, out: EventInput[]): void {
    const { record } = seen;
    const resource = record.ask.info.resource;
    const detail = this.p.nodes.byId.has(record.nodeId) ? 'ALLOC_CANCEL' : 'ALLOC_NODEREMOVED';
    out.push({ type: 'APP', objectId: seen.appId, referenceId: record.key, timestampNano: now, change: 'REMOVE', detail, resource });
    out.push({ type: 'NODE', objectId: record.nodeId, referenceId: record.key, timestampNano: now, change: 'REMOVE', detail: 'NODE_ALLOC', resource });
  }

  private observeNodes(gen: number, now: number, out: EventInput[]): void {
    for (const node of this.p.nodes.byId.values()) {
      let seen = this.nodes.get(node.id);
      if (seen?.node !== node) {
        out.push({ type: 'NODE', objectId: node.id, message: 'Node added to the scheduler', timestampNano: now, change: 'ADD', resource: node.info.capacity });
        if (!node.info.schedulable) out.push(schedulable(node.info, now));
        seen = { gen, node, info: node.info, reservedBy: null };
        this.nodes.set(node.id, seen);
      }
      seen.gen = gen;
      if (seen.info !== node.info) {
        const [was, is] = [seen.info, node.info];
        if (was.schedulable !== is.schedulable) out.push(schedulable(is, now));
        if (!sameResource(was.capacity, is.capacity)) out.push({ type: 'NODE', objectId: node.id, timestampNano: now, change: 'SET', detail: 'NODE_CAPACITY', resource: is.capacity });
        if (!sameResource(was.occupied, is.occupied)) out.push({ type: 'NODE', objectId: node.id, timestampNano: now, change: 'SET', detail: 'NODE_OCCUPIED', resource: is.occupied ?? {} });
        seen.info = is;
      }
      if (node.reservedBy !== seen.reservedBy) {
        if (seen.reservedBy !== null) out.push({ type: 'NODE', objectId: node.id, referenceId: seen.reservedBy, timestampNano: now, change: 'REMOVE', detail: 'NODE_RESERVATION' });
        if (node.reservedBy !== null) out.push({ type: 'NODE', objectId: node.id, referenceId: node.reservedBy, timestampNano: now, change: 'ADD', detail: 'NODE_RESERVATION' });
        seen.reservedBy = node.reservedBy;
      }
    }
  }

  private sweepNodes(gen: number, now: number, out: EventInput[]): void {
    if (this.nodes.size === this.p.nodes.byId.size) return;
    for (const [id, seen] of this.nodes) {
      if (seen.gen === gen) continue;
      this.nodes.delete(id);
      out.push({ type: 'NODE', objectId: id, message: 'Node removed from the scheduler', timestampNano: now, change: 'REMOVE', detail: 'NODE_DECOMISSION' });
    }
  }

  private observeQueues(gen: number, now: number, out: EventInput[]): void {
    for (const q of this.p.tree.all()) {
      let seen = this.queues.get(q.path);
      if (seen?.queue !== q) {
        out.push({ type: 'QUEUE', objectId: q.path, message: q.isLeaf ? 'leaf queue added' : 'parent queue added', timestampNano: now, change: 'ADD', detail: q.isManaged ? 'QUEUE_CONFIG' : 'QUEUE_DYNAMIC' });
        seen = { gen, queue: q, settings: q.settings, status: q.status, isLeaf: q.isLeaf };
        this.queues.set(q.path, seen);
      }
      seen.gen = gen;
      if (seen.settings !== q.settings) {
        const [was, is] = [seen.settings, q.settings];
        if (!sameResource(was.max, is.max)) out.push({ type: 'QUEUE', objectId: q.path, timestampNano: now, change: 'SET', detail: 'QUEUE_MAX', resource: is.max });
        if (!sameResource(was.guaranteed, is.guaranteed)) out.push({ type: 'QUEUE', objectId: q.path, timestampNano: now, change: 'SET', detail: 'QUEUE_GUARANTEED', resource: is.guaranteed });
        if (otherSettings(was) !== otherSettings(is)) out.push({ type: 'QUEUE', objectId: q.path, message: 'configuration changed', timestampNano: now, change: 'SET', detail: 'QUEUE_CONFIG' });
        seen.settings = is;
      }
      if (seen.status !== q.status) {
        out.push({ type: 'QUEUE', objectId: q.path, message: `status ${q.status}`, timestampNano: now, change: 'SET', detail: 'QUEUE_CONFIG' });
        seen.status = q.status;
      }
      if (seen.isLeaf !== q.isLeaf) {
        out.push({ type: 'QUEUE', objectId: q.path, message: q.isLeaf ? 'now a leaf queue' : 'now a parent queue', timestampNano: now, change: 'SET', detail: 'QUEUE_TYPE' });
        seen.isLeaf = q.isLeaf;
      }
    }
  }

  private sweepQueues(gen: number, now: number, out: EventInput[]): void {
    for (const [path, seen] of this.queues) {
      if (seen.gen === gen) continue;
      this.queues.delete(path);
      out.push({ type: 'QUEUE', objectId: path, message: 'queue removed', timestampNano: now, change: 'REMOVE', detail: seen.queue.isManaged ? 'QUEUE_CONFIG' : 'QUEUE_DYNAMIC' });
    }
  }
}

function schedulable(info: NodeInfo, now: number): EventInput {
  return { type: 'NODE', objectId: info.nodeId, message: `schedulable: ${String(info.schedulable)}`, timestampNano: now, change: 'SET', detail: 'NODE_SCHEDULABLE' };
}

/**
 * A partition of the running scheduler: its queues, placement rules, limits, nodes, applications,
 * asks and allocations, and the events that change them. The allocation cycle itself lives in
 * allocate.ts; this file keeps the books consistent (every resource counted once on the node, on
 * every queue of the path, on the application and on its user and group).
 */
import type { PartitionConfig } from '../config/model.js';
import { addInPlace, subInPlace } from '../resources/resource.js';
import type { Resource } from '../resources/resource.js';
import { APP_TAGS } from '../port.js';
import type { AllocationKey, ApplicationId, ApplicationInfo, ApplicationState, AskInfo, Clock, NodeId, NodeInfo, PendingReason, RecoveredAllocation, ReleaseKind, ReleaseRequest, ResourceManagerCallback } from '../port.js';
import { Application } from './application.js';
import type { AllocationRecord, Ask } from './application.js';
import { isRunning } from './application-state.js';
import type { ApplicationEvent } from './application-state.js';
import { gangRefusal } from './gang.js';
import { createNodeOrder, createNodeSortingPolicy } from '../nodes/index.js';
import type { NodeOrder } from '../nodes/index.js';
import { NodeRegistry } from './nodes.js';
import type { NodeAllocation } from './nodes.js';
import { PlacementManager } from './placement/placement.js';
import type { Queue } from './queue.js';
import { QueueTree } from './queue-tree.js';
import { UserGroupTracker } from './user-limits.js';

/** YuniKorn keeps an application in Completing for 30 s before it is Completed. */
export const COMPLETING_TIMEOUT_MS = 30_000;
/** Finished applications (Completed, Rejected, Failed) are kept for 3 days, then Expired and forgotten, as in YuniKorn. */
export const TERMINATED_RETENTION_MS = 3 * 24 * 3600 * 1000;

export interface PartitionDeps {
  readonly clock: Clock;
  readonly callback: ResourceManagerCallback;
}

function nodeOrderFor(config: PartitionConfig): NodeOrder<NodeId> {
  return createNodeOrder<NodeId>(createNodeSortingPolicy(config.nodeSortPolicy.type, config.nodeSortPolicy.resourceWeights));
}

/** A resource map from a tag: a JSON object of whole non-negative numbers; null when absent or unreadable. */
function tagResource(text: string | undefined): Resource | null {
  if (text === undefined || text === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === 'number' && Number.isInteger(x) && x >= 0) out[k] = x;
    return out;
  } catch {
    return null;
  }
}

/**
 * A dynamic leaf created for a namespace takes the namespace's quota, guarantee and maxapps from the
 * application's tags, as YuniKorn does; configured (managed) queues keep their configuration.
 */
function applyNamespaceQuota(queue: Queue, tags: Readonly<Record<string, string>>): void {
  const max = tagResource(tags[APP_TAGS.quota]);
  const guaranteed = tagResource(tags[APP_TAGS.guaranteed]);
  const maxApps = Number(tags[APP_TAGS.maxApps] ?? '');
  if (max === null && guaranteed === null && !(Number.isInteger(maxApps) && maxApps > 0)) return;
  queue.applySettings({
    ...queue.settings,
    ...(max === null ? {} : { max }),
    ...(guaranteed === null ? {} : { guaranteed }),
    ...(Number.isInteger(maxApps) && maxApps > 0 ? { maxApplications: maxApps } : {}),
  });
}

export class Partition {
  config: PartitionConfig;
  readonly tree: QueueTree;
  placement: PlacementManager;
  readonly users: UserGroupTracker;
  readonly nodes: NodeRegistry;
  readonly apps = new Map<ApplicationId, Application>();
  readonly asks = new Map<AllocationKey, { app: Application; ask: Ask }>();
  readonly allocations = new Map<AllocationKey, NodeAllocation>();
  /** When this partition was created (YuniKorn's partition state time: it is Active from then on). */
  readonly createdAt: number;
  private seq = 0;
  /** Pods the core asked the resource manager to remove, ever, by kind (preemption victims, placeholders). */
  readonly releases: Record<ReleaseKind, number> = { Preempted: 0, PlaceholderTimeout: 0, PlaceholderUnused: 0, GangFailed: 0, GangAbandoned: 0, ApplicationGone: 0 };
  /** When the books last changed (an allocation, a release, an ask, a node). */
  changedAt = 0;

  constructor(
    config: PartitionConfig,
    private readonly deps: PartitionDeps,
  ) {
    this.config = config;
    this.tree = new QueueTree(config.root);
    this.placement = new PlacementManager(config.placementRules);
    this.users = new UserGroupTracker(() => this.config.limits);
    this.nodes = new NodeRegistry(nodeOrderFor(config));
    this.createdAt = deps.clock.now();
  }

  get name(): string {
    return this.config.name;
  }

  now(): number {
    return this.deps.clock.now();
  }

  private cycles = 0;

  /** A new id for an allocation cycle (what failed in a cycle is skipped for the rest of it). */
  nextCycle(): number {
    return this.cycles++;
  }

  /** Apply a validated configuration of this partition. */
  updateConfig(config: PartitionConfig): void {
    this.changedAt = this.deps.clock.now();
    const policyChanged = JSON.stringify(config.nodeSortPolicy) !== JSON.stringify(this.config.nodeSortPolicy);
    this.config = config;
    this.tree.update(config.root);
    this.users.invalidate();
    this.placement = new PlacementManager(config.placementRules);
    if (policyChanged) this.nodes.order.setPolicy(createNodeSortingPolicy(config.nodeSortPolicy.type, config.nodeSortPolicy.resourceWeights));
  }

  // --- nodes -------------------------------------------------------------------------------------

  upsertNode(info: NodeInfo): void {
    this.changedAt = this.deps.clock.now();
    const node = this.nodes.upsert(info);
    if (!info.schedulable) this.unreserveNode(node.reservedBy);
  }

  /** Keep `nodeId` free for `ask` until it fits there. */
  reserve(ask: Ask, nodeId: NodeId): void {
    const node = this.nodes.byId.get(nodeId);
    if (node === undefined || node.reservedBy !== null) return;
    node.reservedBy = ask.info.allocationKey;
    ask.reservedNode = nodeId;
  }

  unreserve(ask: Ask): void {
    if (ask.reservedNode === null) return;
    const node = this.nodes.byId.get(ask.reservedNode);
    if (node?.reservedBy === ask.info.allocationKey) node.reservedBy = null;
    ask.reservedNode = null;
  }

  private unreserveNode(key: AllocationKey | null): void {
    const entry = key === null ? undefined : this.asks.get(key);
    if (entry !== undefined) this.unreserve(entry.ask);
  }

  /** Remove a node; the allocations on it are released and returned. */
  removeNode(nodeId: NodeId): AllocationKey[] {
    const released = [...this.allocations.values()].filter((a) => a.record.nodeId === nodeId).map((a) => a.record.key);
    for (const key of released) this.release(key);
    this.unreserveNode(this.nodes.byId.get(nodeId)?.reservedBy ?? null);
    this.nodes.remove(nodeId);
    return released;
  }

  // --- applications --------------------------------------------------------------------------------

  /** Apply a life cycle event to an application, keep the running counts, and tell the resource manager. */
  fire(app: Application, event: ApplicationEvent, message: string | null = null): void {
    const from = app.fire(event, this.deps.clock.now(), message);
    if (from === null) return;
    const to: ApplicationState = app.state;
    if (app.queue !== null) {
      const delta = (isRunning(to) ? 1 : 0) - (isRunning(from) ? 1 : 0);
      if (delta !== 0) {
        for (const q of app.queue.ancestry()) q.runningApps += delta;
        this.users.appRunning(app.info.user, app.group, app.queue, delta > 0 ? 1 : -1);
      }
    }
    this.deps.callback.applicationStateChanged(app.info.applicationId, from, to, app.message);
  }

  addApplication(info: ApplicationInfo): Application {
    const existing = this.apps.get(info.applicationId);
    if (existing !== undefined) return existing;
    const app = new Application(info, this.seq++, this.deps.clock.now());
    this.apps.set(info.applicationId, app);
    const placed = this.placement.place(info, this.tree);
    let queue: Queue | null = placed.ok ? placed.queue : null;
    if (queue === null && info.recovering === true) {
      // Already running: never rejected; kept in the recovery queue until its queue can be found.
      const recovery = this.tree.createDynamic('root.@recovery@');
      queue = recovery.ok ? recovery.queue : null;
    }
    if (queue === null) {
      this.fire(app, 'reject', placed.ok ? 'rejected' : placed.reason);
      return app;
    }
    if (!queue.isManaged) applyNamespaceQuota(queue, info.tags);
    const tooBig = app.gang === null || info.recovering === true ? null : gangRefusal(app.gang.spec, queue);
    if (tooBig !== null) {
      this.fire(app, 'reject', tooBig);
      return app;
    }
    app.queue = queue;
    app.group = this.users.chooseGroup(info.user, queue);
    queue.applications.add(info.applicationId);
    this.fire(app, 'accept');
    return app;
  }

  removeApplication(id: ApplicationId): void {
    const app = this.apps.get(id);
    if (app === undefined) return;
    for (const key of [...app.asks.keys()]) this.removeAsk(key);
    for (const key of [...app.allocations.keys()]) this.release(key);
    this.fire(app, 'complete');
    this.fire(app, 'completed');
    this.detach(app);
  }

  private detach(app: Application): void {
    if (app.queue === null) return;
    app.queue.applications.delete(app.info.applicationId);
    this.tree.prune();
  }

  /** Completing applications whose timeout passed become Completed. */
  expireCompleting(): void {
    const now = this.deps.clock.now();
    for (const app of this.apps.values()) {
      if (app.state === 'Completing' && now - app.completingSince >= COMPLETING_TIMEOUT_MS) {
        this.fire(app, 'completed');
        this.detach(app);
      }
      const last = app.stateLog[app.stateLog.length - 1]?.time ?? 0;
      if ((app.state === 'Completed' || app.state === 'Rejected' || app.state === 'Failed') && now - last >= TERMINATED_RETENTION_MS) {
        this.fire(app, 'expire');
        this.apps.delete(app.info.applicationId);
      }
    }
  }

  // --- asks and allocations ----------------------------------------------------------------------

  addAsk(info: AskInfo): void {
    const app = this.apps.get(info.applicationId);
    if (app === undefined || this.asks.has(info.allocationKey) || this.allocations.has(info.allocationKey)) return;
    const ask: Ask = { info, seq: this.seq++, createdAt: this.deps.clock.now(), reason: null, failedIn: -1, reservedNode: null };
    if (info.placeholder === true && app.state !== 'Rejected') {
      // A placeholder the gang does not want (no such group, all its members asked, the gang past
      // reserving): the resource manager removes it; it never enters the books.
      const gang = app.gang;
      if (gang === null || !gang.wants(info.taskGroup)) {
        this.askRelease({ allocationKey: info.allocationKey, applicationId: info.applicationId, kind: gang?.phase === 'Failed' ? 'GangFailed' : 'GangAbandoned', message: gang === null ? 'the application has no task groups' : `the gang of ${app.info.applicationId} needs no placeholder of task group ${info.taskGroup ?? '(none)'} now` });
        return;
      }
      gang.groups.get(info.taskGroup ?? '')?.askedKeys.add(info.allocationKey);
      gang.startedAt ??= this.deps.clock.now();
    }
    this.asks.set(info.allocationKey, { app, ask });
    if (app.state === 'Rejected' || app.state === 'Failing' || app.state === 'Failed') {
      this.setReason(ask, { code: 'ApplicationRejected', message: app.message ?? 'the application was rejected' });
      return;
    }
    app.addAsk(ask);
    this.changePending(app, info, 1);
    if (app.state === 'Completing') this.fire(app, 'run');
  }

  removeAsk(key: AllocationKey): void {
    const entry = this.asks.get(key);
    if (entry === undefined) return;
    this.asks.delete(key);
    this.unreserve(entry.ask);
    const gang = entry.app.gang;
    if (entry.ask.info.placeholder === true && gang !== null) {
      if (entry.app.asks.has(key)) gang.groups.get(entry.ask.info.taskGroup ?? '')?.askedKeys.delete(key);
    }
    if (entry.app.removeAsk(key) !== undefined) this.changePending(entry.app, entry.ask.info, -1);
    this.maybeComplete(entry.app);
  }

  private changePending(app: Application, ask: AskInfo, sign: 1 | -1): void {
    const apply = sign === 1 ? addInPlace : subInPlace;
    apply(app.pending, ask.resource);
    if (app.queue === null) return;
    for (const q of app.queue.ancestry()) {
      apply(q.pending, ask.resource);
      const n = (q.pendingPriorities.get(ask.priority) ?? 0) + sign;
      if (n === 0) q.pendingPriorities.delete(ask.priority);
      else q.pendingPriorities.set(ask.priority, n);
    }
  }

  /** Record an allocation decided by the cycle. */
  allocate(app: Application, ask: Ask, nodeId: NodeId): AllocationRecord {
    const node = this.nodes.byId.get(nodeId);
    const queue = app.queue;
    if (node === undefined || queue === null) throw new Error(`allocate: unknown node ${nodeId} or unplaced application`);
    const r = ask.info.resource;
    this.unreserve(ask);
    this.asks.delete(ask.info.allocationKey);
    app.removeAsk(ask.info.allocationKey);
    this.changePending(app, ask.info, -1);
    const record: AllocationRecord = { key: ask.info.allocationKey, nodeId, ask, allocatedAt: this.deps.clock.now(), releasing: null, tookOver: false };
    this.changedAt = record.allocatedAt;
    app.allocations.set(record.key, record);
    const entry: NodeAllocation = { app, record, prev: null, next: null };
    this.allocations.set(record.key, entry);
    addInPlace(app.allocated, r);
    for (const k in app.allocated) app.maxAllocated[k] = Math.max(app.maxAllocated[k] ?? 0, app.allocated[k] ?? 0);
    for (const q of queue.ancestry()) addInPlace(q.allocated, r);
    addInPlace(node.allocated, r);
    node.count++;
    node.link(entry);
    this.nodes.reorder(node);
    this.users.change(r, app.info.user, app.group, queue, 1);
    ask.reason = null;
    const gang = app.gang;
    if (gang !== null && ask.info.placeholder === true) {
      gang.groups.get(ask.info.taskGroup ?? '')?.placedKeys.add(record.key);
      // The gang runs once all of it is placed, not at its first placeholder.
      if (gang.phase !== 'Reserving' || !gang.complete()) return record;
      gang.phase = 'Reserved';
    } else if (gang !== null) gang.realPlaced = true;
    if (app.state === 'Accepted' || app.state === 'Completing' || app.state === 'Resuming') this.fire(app, 'run');
    return record;
  }

  /**
   * A real pod takes over a placeholder of its task group: the placeholder's booking goes, the pod's
   * comes, on the same node (the pod fits in the placeholder, so nothing is overbooked).
   */
  replace(app: Application, ask: Ask, placeholder: AllocationRecord): AllocationRecord {
    app.gang?.groups.get(placeholder.ask.info.taskGroup ?? '')?.replacedKeys.add(placeholder.key);
    this.unbook(placeholder.key);
    const record = this.allocate(app, ask, placeholder.nodeId);
    record.tookOver = true;
    return record;
  }

  /**
   * Ask the resource manager to remove an allocation; it stays booked until the resource manager
   * says it is gone (releaseAllocation), and is neither taken over nor chosen as a victim again.
   */
  requestRelease(record: AllocationRecord, kind: ReleaseKind, message: string, preemptor?: AllocationKey): void {
    if (record.releasing !== null) return;
    record.releasing = kind;
    const leaf = this.allocations.get(record.key)?.app.queue;
    if (leaf !== null && leaf !== undefined) for (const q of leaf.ancestry()) addInPlace(q.releasing, record.ask.info.resource);
    this.askRelease({ allocationKey: record.key, applicationId: record.ask.info.applicationId, kind, message, ...(preemptor === undefined ? {} : { preemptor }) });
  }

  /** The resource manager could not remove it (an eviction refused): it is an ordinary allocation again. */
  cancelRelease(record: AllocationRecord): void {
    if (record.releasing === null) return;
    const leaf = this.allocations.get(record.key)?.app.queue;
    if (leaf !== null && leaf !== undefined) for (const q of leaf.ancestry()) subInPlace(q.releasing, record.ask.info.resource);
    record.releasing = null;
  }

  /** Tell the resource manager to remove a pod, and count it by kind (the metrics read the counts). */
  private askRelease(request: ReleaseRequest): void {
    this.releases[request.kind]++;
    this.deps.callback.release?.(request);
  }

  /** The resource manager could not remove it: an ordinary allocation again; its preemptor may choose anew. */
  releaseRefused(key: AllocationKey): void {
    const record = this.allocations.get(key)?.record;
    if (record === undefined || record.releasing === null) return;
    const preempted = record.releasing === 'Preempted';
    this.cancelRelease(record);
    if (preempted) this.preemptionDone(key, true);
  }

  /** Release every placeholder of an application: pending ones leave the books now, placed ones when they are gone. */
  releasePlaceholders(app: Application, kind: ReleaseKind, message: string): number {
    let n = 0;
    for (const ask of [...app.asks.values()]) {
      if (ask.info.placeholder !== true) continue;
      this.removeAsk(ask.info.allocationKey);
      this.askRelease({ allocationKey: ask.info.allocationKey, applicationId: app.info.applicationId, kind, message });
      n++;
    }
    for (const record of app.allocations.values()) {
      if (record.ask.info.placeholder !== true || record.releasing !== null) continue;
      if (kind === 'PlaceholderTimeout') {
        app.gang?.groups.get(record.ask.info.taskGroup ?? '')?.timedOutKeys.add(record.key);
      }
      this.requestRelease(record, kind, message);
      n++;
    }
    return n;
  }

  /** A resuming application is Accepted again once its placeholders are gone. */
  settleResuming(app: Application): void {
    if (app.state !== 'Resuming') return;
    for (const r of app.allocations.values()) if (r.ask.info.placeholder === true) return;
    this.fire(app, 'accept');
  }

  /** The application fails: its pending pods get the message; it is Failed once nothing of it is allocated. */
  failApplication(app: Application, message: string): void {
    this.fire(app, 'fail', message);
    for (const ask of [...app.asks.values()]) {
      this.unreserve(ask);
      app.removeAsk(ask.info.allocationKey);
      this.changePending(app, ask.info, -1);
      this.setReason(ask, { code: 'ApplicationRejected', message: `application ${app.info.applicationId} failed: ${message}` });
    }
    if (app.allocations.size === 0) this.fire(app, 'failed');
  }

  /**
   * Book an allocation that already exists (recovery): no checks, the node may even be full. On a
   * node not known yet (its watch lags, or failed to list), the node is booked as unschedulable with
   * no capacity until it arrives, so neither the queue's usage nor the node's is forgotten meanwhile.
   */
  recover(a: RecoveredAllocation): void {
    const app = this.apps.get(a.applicationId);
    if (app === undefined || app.queue === null || this.allocations.has(a.allocationKey)) return;
    if (!this.nodes.byId.has(a.nodeId)) this.nodes.upsert({ nodeId: a.nodeId, capacity: {}, schedulable: false });
    const info: AskInfo = { ...a };
    const ask: Ask = { info, seq: this.seq++, createdAt: this.deps.clock.now(), reason: null, failedIn: -1, reservedNode: null };
    // A placeholder booked again (a restart, a take-over whose binding failed) counts once, and is no longer taken over.
    const counts = info.placeholder === true ? app.gang?.groups.get(info.taskGroup ?? '') : undefined;
    counts?.askedKeys.add(info.allocationKey);
    counts?.replacedKeys.delete(info.allocationKey);
    app.addAsk(ask);
    this.changePending(app, info, 1);
    this.allocate(app, ask, a.nodeId);
  }

  release(key: AllocationKey): void {
    const app = this.unbook(key);
    if (app === null) return;
    this.settleResuming(app);
    if (app.state === 'Failing' && app.allocations.size === 0) this.fire(app, 'failed');
    this.maybeComplete(app);
  }

  /** Take an allocation off the books (node, queues, application, user); returns its application. */
  private unbook(key: AllocationKey): Application | null {
    const entry = this.allocations.get(key);
    if (entry === undefined) return null;
    this.changedAt = this.deps.clock.now();
    const { app, record } = entry;
    const r = record.ask.info.resource;
    this.allocations.delete(key);
    app.allocations.delete(key);
    subInPlace(app.allocated, r);
    if (app.queue !== null) {
      for (const q of app.queue.ancestry()) {
        subInPlace(q.allocated, r);
        if (record.releasing !== null) subInPlace(q.releasing, r);
      }
      this.users.change(r, app.info.user, app.group, app.queue, -1);
    }
    const node = this.nodes.byId.get(record.nodeId);
    if (node !== undefined) {
      subInPlace(node.allocated, r);
      node.count--;
      node.unlink(entry);
      this.nodes.reorder(node);
    }
    if (record.releasing === 'Preempted') this.preemptionDone(key);
    return app;
  }

  /** A victim is gone: the ask it made room for stops waiting for it. */
  private preemptionDone(victim: AllocationKey, refused = false): void {
    for (const { ask } of this.asks.values()) {
      const pre = ask.preemption;
      if (pre === undefined || !pre.victims.delete(victim)) continue;
      // A refused victim breaks the plan: the ask chooses again, counting the victims still leaving.
      if (refused) pre.refused = true;
      if (pre.victims.size === 0) ask.preemption = undefined;
      return;
    }
  }

  private maybeComplete(app: Application): void {
    if (app.asks.size === 0 && app.allocations.size === 0 && (app.state === 'Running' || app.state === 'Accepted')) this.fire(app, 'complete');
  }

  setReason(ask: Ask, reason: PendingReason): void {
    const old = ask.reason;
    const seen = ask.reasonSeen;
    if (old !== null && old.code === reason.code && old.message === reason.message && seen !== undefined) {
      seen.last = this.deps.clock.now();
      seen.count++;
      return;
    }
    ask.reasonSeen = { last: this.deps.clock.now(), count: 1 };
    ask.reason = reason;
    this.deps.callback.askPending(ask.info.allocationKey, reason);
  }
}

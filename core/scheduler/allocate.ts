/**
 * The allocation cycle, a recipe:
 *   1. walk the queues from the root, children in fair order (usage over guaranteed, else over max),
 *      leaves with pending asks only;
 *   2. in a leaf, applications in the queue's order (fifo or fair, priority first when enabled);
 *   3. in an application, asks by priority then arrival;
 *   4. check the ask against the headroom of every queue on the path, the user's and the group's
 *      limits and the application's running slot;
 *   5. try the nodes in the partition's node order (fair or binpacking) and the resource manager's
 *      predicates; the first that fits gets the allocation;
 *   6. repeat from 1 until nothing more fits.
 *
 * Within one cycle resources are only consumed, never freed, so an ask, application or queue that
 * failed once is skipped for the rest of the cycle: each is tried at most once per cycle plus once
 * per allocation that precedes it. After the cycle every ask still pending gets its reason.
 */
import { dominantShare, fitsIn, fitsUnder, formatResource, isZero, overUnder } from '../resources/resource.js';
import type { Allocation, NodeId, PendingReason, ResourceManagerCallback } from '../port.js';
import type { AllocationRecord, Application, Ask } from './application.js';
import { gangPendingMessage } from './gang.js';
import { PREEMPTION_SEARCHES_PER_CYCLE, tryPreemption } from './preemption.js';
import type { Partition } from './partition.js';
import type { Queue } from './queue.js';

interface Cycle {
  readonly id: number;
  readonly partition: Partition;
  readonly callback: ResourceManagerCallback;
  readonly failedQueues: Set<Queue>;
  readonly appOrder: Map<Queue, Application[]>;
  readonly childOrder: Map<Queue, Ranked[]>;
}

function share(q: Queue, p: Partition): number {
  const base = isZero(q.settings.guaranteed) ? (isZero(q.settings.max) ? p.nodes.capacity : q.settings.max) : q.settings.guaranteed;
  return dominantShare(q.allocated, base);
}

/** A child queue's place among its siblings: priority first (when enabled), then share, then path. */
interface Ranked {
  readonly q: Queue;
  p: number;
  s: number;
}

function rank(r: Ranked, parent: Queue, c: Cycle): Ranked {
  r.p = parent.prioritySorting ? r.q.currentPriority() : 0;
  r.s = share(r.q, c.partition);
  return r;
}

const byRank = (a: Ranked, b: Ranked) => b.p - a.p || a.s - b.s || (a.q.path < b.q.path ? -1 : 1);

/**
 * The children of a queue with pending asks, in order, kept for the cycle (no asks arrive during a
 * cycle, so the set only shrinks). After an allocation only the queues on its path change rank;
 * `rerank` moves each of them to its new place instead of sorting again.
 */
function sortedChildren(q: Queue, c: Cycle): readonly Ranked[] {
  const cached = c.childOrder.get(q);
  if (cached !== undefined) return cached;
  const list: Ranked[] = [];
  for (const child of q.children.values()) if (!isZero(child.pending)) list.push(rank({ q: child, p: 0, s: 0 }, q, c));
  list.sort(byRank);
  c.childOrder.set(q, list);
  return list;
}

function rerank(leaf: Queue, c: Cycle): void {
  for (const child of leaf.ancestry()) {
    const parent = child.parent;
    if (parent === null) return;
    const list = c.childOrder.get(parent);
    if (list === undefined) continue;
    let i = 0;
    while (i < list.length && list[i]?.q !== child) i++;
    const r = list[i];
    if (r === undefined) continue;
    rank(r, parent, c);
    // Move it to its new place by shifting its neighbours (no garbage on the hot path).
    while (i > 0 && byRank(list[i - 1] as Ranked, r) > 0) {
      list[i] = list[i - 1] as Ranked;
      i--;
    }
    while (i < list.length - 1 && byRank(list[i + 1] as Ranked, r) < 0) {
      list[i] = list[i + 1] as Ranked;
      i++;
    }
    list[i] = r;
  }
}

/**
 * The applications of a leaf in scheduling order, kept for the cycle: an allocation changes the order
 * only under the fair policy or when it changes the application's highest pending priority, and only
 * then is the leaf sorted again (see allocateOne).
 */
function sortedApps(q: Queue, c: Cycle): Application[] {
  const cached = c.appOrder.get(q);
  if (cached !== undefined) return cached;
  const apps: Application[] = [];
  for (const id of q.applications) {
    const app = c.partition.apps.get(id);
    if (app !== undefined && app.asks.size > 0) apps.push(app);
  }
  const capacity = c.partition.nodes.capacity;
  const fair = q.sortPolicy === 'fair';
  apps.sort(
    (a, b) =>
      (q.prioritySorting ? b.maxPendingPriority() - a.maxPendingPriority() : 0) ||
      (fair ? dominantShare(a.allocated, capacity) - dominantShare(b.allocated, capacity) : 0) ||
      a.submittedAt - b.submittedAt ||
      a.seq - b.seq,
  );
  c.appOrder.set(q, apps);
  return apps;
}

/** Why `ask` cannot be allocated now, ignoring nodes; null when only nodes decide. */
export function blockedBy(app: Application, ask: Ask, p: Partition): PendingReason | null {
  const leaf = app.queue;
  if (leaf === null) return { code: 'ApplicationRejected', message: app.message ?? 'the application was rejected' };
  if (app.state === 'Failing' || app.state === 'Failed') return { code: 'ApplicationRejected', message: `application ${app.info.applicationId} failed: ${app.message ?? 'no reason given'}` };
  if (app.gang !== null && app.gang.phase === 'Reserving' && ask.info.placeholder !== true) return { code: 'GangPending', message: gangPendingMessage(app.gang, p.now(), placeholderReason(app, p)) };
  const r = ask.info.resource;
  for (const q of leaf.ancestry()) {
    if (q.parent === null) break;
    const max = q.settings.max;
    if (!fitsUnder(r, q.allocated, max)) {
      const keys = overUnder(r, q.allocated, max);
      return { code: 'QueueQuotaExceeded', message: `queue ${q.path} uses ${formatResource(q.allocated, keys)} of its max ${formatResource(max, keys)}; this pod needs ${formatResource(r, keys)} more` };
    }
  }
  const limit = p.users.blocks(r, app.info.user, app.group, leaf);
  if (limit !== null) return limit;
  if (app.state !== 'Running') {
    if (!leaf.hasRunningSlot()) {
      const full = [...leaf.ancestry()].find((q) => q.settings.maxApplications > 0 && q.runningApps >= q.settings.maxApplications);
      return { code: 'AppNotRunnable', message: `queue ${full?.path ?? leaf.path} already runs its maximum of ${full?.settings.maxApplications ?? 0} applications` };
    }
    const user = p.users.appBlocked(app.info.user, app.group, leaf);
    if (user !== null) return { code: 'AppNotRunnable', message: user };
  }
  return null;
}

/** Why the first placeholder of a reserving gang still waits, in words; null when none waits. */
function placeholderReason(app: Application, p: Partition): string | null {
  for (const ph of app.sortedAsks()) {
    if (ph.info.placeholder !== true) continue;
    return (blockedBy(app, ph, p) ?? insufficient(ph, p)).message;
  }
  return null;
}

/**
 * A placed placeholder of the ask's task group that the real pod can take over: the pod fits in the
 * placeholder and the resource manager's predicates accept the placeholder's node. Null when the gang
 * is not reserved or no placeholder of the group is left or fits (the pod is then scheduled as usual).
 */
function placeholderFor(app: Application, ask: Ask, c: Cycle): AllocationRecord | null {
  const gang = app.gang;
  const group = ask.info.taskGroup;
  if (gang === null || gang.phase !== 'Reserved' || group === undefined || ask.info.placeholder === true) return null;
  let tooSmall: AllocationRecord | null = null;
  for (const record of app.allocations.values()) {
    const ph = record.ask.info;
    if (ph.placeholder !== true || ph.taskGroup !== group || record.releasing !== null) continue;
    if (!fitsIn(ask.info.resource, ph.resource)) {
      tooSmall ??= record;
      continue;
    }
    if (c.callback.fits === undefined || c.callback.fits(ask.info, record.nodeId)) return record;
  }
  // A pod larger than its group's placeholders can never take one over: one of them goes, so the
  // room it held is not kept for nothing, and the pod is scheduled as usual.
  if (tooSmall !== null && ask.freedPlaceholder !== true) {
    ask.freedPlaceholder = true;
    const over = overUnder(ask.info.resource, {}, tooSmall.ask.info.resource);
    c.partition.requestRelease(tooSmall, 'PlaceholderUnused', `placeholder of task group ${group} released: pod ${ask.info.allocationKey} needs ${formatResource(ask.info.resource, over)}, more than the placeholder's ${formatResource(tooSmall.ask.info.resource, over)}`);
  }
  return null;
}

/** Is a placed placeholder of the ask's group, large enough for it, ready to be taken over? */
function placeholderWaitsFor(app: Application, ask: Ask): boolean {
  const gang = app.gang;
  const group = ask.info.taskGroup;
  if (gang === null || gang.phase !== 'Reserved' || group === undefined || ask.info.placeholder === true) return false;
  for (const record of app.allocations.values()) {
    const ph = record.ask.info;
    if (ph.placeholder === true && ph.taskGroup === group && record.releasing === null && fitsIn(ask.info.resource, ph.resource)) return true;
  }
  return false;
}

/**
 * A real pod of a task group placed without a placeholder (none fitted its node rules): one
 * placeholder of its group is no longer needed and goes.
 */
function releaseOneOfGroup(app: Application, ask: Ask, p: Partition): void {
  const group = ask.info.taskGroup;
  if (app.gang === null || group === undefined || ask.info.placeholder === true || ask.freedPlaceholder === true) return;
  for (const record of app.allocations.values()) {
    const ph = record.ask.info;
    if (ph.placeholder !== true || ph.taskGroup !== group || record.releasing !== null) continue;
    p.requestRelease(record, 'PlaceholderUnused', `placeholder of task group ${group} released: pod ${ask.info.allocationKey} of the group was placed on another node`);
    return;
  }
}

function findNode(ask: Ask, c: Cycle): NodeId | null {
  const r = ask.info.resource;
  const required = ask.info.requiredNode;
  const nodes = c.partition.nodes;
  const key = ask.info.allocationKey;
  if (required !== undefined) {
    const node = nodes.byId.get(required);
    if (node === undefined || !node.info.schedulable || !node.fits(r)) return null;
    return c.callback.fits === undefined || c.callback.fits(ask.info, node.id) ? node.id : null;
  }
  if (ask.reservedNode !== null) {
    const node = nodes.byId.get(ask.reservedNode);
    if (node !== undefined && node.info.schedulable && node.fits(r) && (c.callback.fits === undefined || c.callback.fits(ask.info, node.id))) return node.id;
  }
  // The order only offers nodes whose free resources cover the request, skipping subtrees of full ones.
  return nodes.order.firstFit(r, (id) => {
    const node = nodes.byId.get(id);
    if (node === undefined || !node.info.schedulable) return false;
    if (node.reservedBy !== null && node.reservedBy !== key) return false;
    if (!node.fits(r)) return false;
    return c.callback.fits === undefined || c.callback.fits(ask.info, node.id);
  });
}

/** Walk the tree once and allocate the first ask that fits; null when none does. */
function allocateOne(q: Queue, c: Cycle): Allocation | null {
  if (q.isLeaf) {
    for (const app of sortedApps(q, c)) {
      if (app.failedIn === c.id || app.asks.size === 0) continue;
      for (const ask of app.sortedAsks()) {
        if (ask.failedIn === c.id) continue;
        const placeholder = app.gang === null ? null : placeholderFor(app, ask, c);
        if (placeholder !== null) {
          const record = c.partition.replace(app, ask, placeholder);
          c.appOrder.delete(q);
          rerank(q, c);
          return { allocationKey: record.key, applicationId: app.info.applicationId, nodeId: record.nodeId, resource: ask.info.resource, replaces: placeholder.key };
        }
        const blocked = blockedBy(app, ask, c.partition);
        const nodeId = blocked === null ? findNode(ask, c) : null;
        if (nodeId === null) {
          ask.failedIn = c.id;
          if (blocked?.code === 'GangPending') ask.gangWaitIn = c.id;
          continue;
        }
        const priority = app.maxPendingPriority();
        const record = c.partition.allocate(app, ask, nodeId);
        if (app.gang !== null) releaseOneOfGroup(app, ask, c.partition);
        if (q.sortPolicy === 'fair' || (q.prioritySorting && app.maxPendingPriority() !== priority)) c.appOrder.delete(q);
        rerank(q, c);
        return { allocationKey: record.key, applicationId: app.info.applicationId, nodeId, resource: ask.info.resource };
      }
      app.failedIn = c.id;
    }
    c.failedQueues.add(q);
    return null;
  }
  for (const { q: child } of sortedChildren(q, c)) {
    if (c.failedQueues.has(child)) continue;
    const a = allocateOne(child, c);
    if (a !== null) return a;
  }
  c.failedQueues.add(q);
  return null;
}

/** Allocate until nothing more fits, then give every pending ask its reason. */
export function runCycle(partition: Partition, callback: ResourceManagerCallback): Allocation[] {
  const c: Cycle = { id: partition.nextCycle(), partition, callback, failedQueues: new Set(), appOrder: new Map(), childOrder: new Map() };
  const made: Allocation[] = [];
  for (;;) {
    const a = allocateOne(partition.tree.root, c);
    if (a === null) break;
    made.push(a);
    callback.allocated(a);
  }
  giveReasons(partition, callback, true, c.id);
  return made;
}

/**
 * Give every pending ask the reason it waits (quota first, then capacity); when `reserve`, an ask that
 * has waited long enough for capacity also reserves a node. Without allocating anything, this is what a
 * replica that does not lead shows: the same reasons, from the same books.
 */
export function giveReasons(partition: Partition, callback: ResourceManagerCallback, reserve: boolean, cycle = -1): void {
  const now = partition.now();
  const budget = { left: PREEMPTION_SEARCHES_PER_CYCLE };
  for (const { app, ask } of partition.asks.values()) {
    if (app.state === 'Rejected' || app.state === 'Failing' || app.state === 'Failed') continue;
    // A pod passed over in this cycle for its gang, which the cycle then completed, takes over a
    // placeholder in the next one: it does not wait for room, and is not told so.
    if (ask.gangWaitIn === cycle && cycle >= 0 && placeholderWaitsFor(app, ask)) {
      ask.reason = null;
      continue;
    }
    const blocked = blockedBy(app, ask, partition);
    if (reserve && blocked === null) tryPreemption(app, ask, partition, callback, budget);
    if (reserve && blocked === null && ask.reservedNode === null && ask.preemption === undefined && now - ask.createdAt >= RESERVATION_DELAY_MS && mayReserve(app, ask)) reserveFor(ask, partition, callback);
    // Explaining only: an ask that quota allows and a node could take now is about to be placed by
    // the leader; it has no reason to wait, so none is given.
    if (!reserve && blocked === null && someNodeTakes(ask, partition, callback)) continue;
    partition.setReason(ask, blocked ?? insufficient(ask, partition));
  }
}

function someNodeTakes(ask: Ask, p: Partition, callback: ResourceManagerCallback): boolean {
  const r = ask.info.resource;
  const found = p.nodes.order.firstFit(r, (id) => {
    const node = p.nodes.byId.get(id);
    if (node === undefined || !node.info.schedulable || !node.fits(r)) return false;
    if (node.reservedBy !== null && node.reservedBy !== ask.info.allocationKey) return false;
    if (ask.info.requiredNode !== undefined && node.id !== ask.info.requiredNode) return false;
    return callback.fits === undefined || callback.fits(ask.info, node.id);
  });
  return found !== null;
}

/**
 * Reservations keep a large ask from starving behind a stream of small ones, as YuniKorn's do: an ask
 * that quota allows but no node has room for, after waiting RESERVATION_DELAY_MS, reserves the first
 * node in the partition's order that could hold it once freed. Other asks stop using that node; as
 * its pods finish it empties for the reserving ask. A reservation ends when the ask is placed (there
 * or elsewhere), removed, or the node goes away or is cordoned. Only the first ask of an application
 * in its scheduling order reserves, one node per application, so a backlog cannot lock the cluster.
 * A node the ask's predicates rule out is never reserved: it would block others and never serve it.
 */
export const RESERVATION_DELAY_MS = 2_000;

function mayReserve(app: Application, ask: Ask): boolean {
  const asks = app.sortedAsks();
  return asks[0] === ask && !asks.some((a) => a.reservedNode !== null);
}

/** Only a node the ask may use (its required node, the shim's predicates) and could fit once freed. */
function reserveFor(ask: Ask, p: Partition, callback: ResourceManagerCallback): void {
  const required = ask.info.requiredNode;
  for (const id of p.nodes.order) {
    const node = p.nodes.byId.get(id);
    if (node === undefined || !node.info.schedulable || node.reservedBy !== null) continue;
    if (required !== undefined && node.id !== required) continue;
    if (node.couldFit(ask.info.resource) && (callback.fits === undefined || callback.fits(ask.info, node.id))) {
      p.reserve(ask, node.id);
      return;
    }
  }
}

function insufficient(ask: Ask, p: Partition): PendingReason {
  const r = ask.info.resource;
  const pre = ask.preemption;
  if (pre !== undefined) {
    return { code: 'InsufficientCapacity', message: `no schedulable node has room for ${formatResource(r)}; ${pre.victims.size} pod${pre.victims.size === 1 ? ' is' : 's are'} being preempted on node ${pre.node} to make room for this pod` };
  }
  if (ask.reservedNode !== null) {
    return { code: 'InsufficientCapacity', message: `no schedulable node has room for ${formatResource(r)} yet; node ${ask.reservedNode} is reserved for this pod and takes no other pods until it fits` };
  }
  if (!fitsUnder(r, p.tree.root.allocated, p.nodes.capacity)) {
    return { code: 'InsufficientCapacity', message: `the cluster has ${formatResource(p.nodes.capacity)} in schedulable nodes, ${formatResource(p.tree.root.allocated)} of it allocated; this pod needs ${formatResource(r)}` };
  }
  return { code: 'InsufficientCapacity', message: `no schedulable node has room for ${formatResource(r)}` };
}

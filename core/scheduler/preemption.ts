/**
 * Preemption, YuniKorn's guarantee-based model. An ask that quota allows but no node has room for,
 * after waiting its leaf queue's `preemption.delay`, may take room from pods of other queues:
 *
 *   1. its own queue, and every queue above it, stays within its guarantee with the ask added (and
 *      some queue on the path has a guarantee at all): preemption takes back guarantees, nothing more;
 *   2. victims come from other leaf queues inside the ask's preemption fence (the nearest queue up the
 *      path with `preemption.policy: fence`, else root), never from a leaf with `disabled`;
 *   3. no victim queue, nor any queue above it below the common ancestor, drops under its guarantee;
 *   4. never a pod of the same application; only pods of lower or equal priority (each adjusted by
 *      its queues' `priority.offset`, reset at a `priority.policy: fence`);
 *   5. on one node, the fewest and least valuable victims that make room: regular pods first, then
 *      pods whose class opts out (`allow-preemption: "false"`), then drivers (originators, driver,
 *      head, jobmanager, scheduler); within each, lower priority, younger, smaller first.
 *
 * A pod pinned to one node (a DaemonSet's) may preempt on that node without the guarantee laws: any
 * pod there of lower or equal priority that is not pinned itself.
 *
 * The victims stay booked until the resource manager says they are gone; the node is reserved for
 * the ask meanwhile. If they are not gone in PREEMPTION_EXPIRY_MS (an eviction refused), the ask
 * tries again. The partition's `preemption.enabled: false` turns all of it off.
 */
import { dominantShare, fitsIn } from '../resources/resource.js';
import type { MutableResource, Resource } from '../resources/resource.js';
import { DRIVER_ROLES } from '../port.js';
import type { AllocationKey, NodeId, ResourceManagerCallback } from '../port.js';
import type { AllocationRecord, Application, Ask } from './application.js';
import type { NodeState } from './nodes.js';
import type { Partition } from './partition.js';
import type { Queue } from './queue.js';

/** An ask that found no victims tries again after this long. */
export const PREEMPTION_RETRY_MS = 5_000;
/** Victims not gone after this long are given up on, and the ask may choose again. */
export const PREEMPTION_EXPIRY_MS = 60_000;
/** Searches per cycle: each looks at every node, so a backlog of waiting asks takes turns. */
export const PREEMPTION_SEARCHES_PER_CYCLE = 8;

export interface SearchBudget {
  left: number;
}

interface Candidate {
  readonly record: AllocationRecord;
  readonly app: Application;
  readonly leaf: Queue;
  /** 0 regular, 1 opted out, 2 driver. */
  readonly rank: number;
  readonly priority: number;
  readonly size: number;
}

/** Victims already leaving on one node for this ask: their room is counted as free there. */
interface Credit {
  readonly node: NodeId;
  readonly victims: ReadonlySet<AllocationKey>;
}

interface Plan {
  readonly node: NodeState;
  readonly victims: readonly Candidate[];
  readonly score: readonly number[];
}

/**
 * Priorities compared where two pods' paths meet: each pod's priority plus the `priority.offset` of
 * every queue from its leaf up to, not including, the common ancestor; a queue with
 * `priority.policy: fence` hides what is inside it, so the walk starts over from its offset.
 * Returns, for each queue on `leaf`'s path, the priority as seen from that queue.
 */
export function prioritiesAlong(priority: number, leaf: Queue): Map<Queue, number> {
  const seen = new Map<Queue, number>();
  let v = priority;
  for (const q of leaf.ancestry()) {
    seen.set(q, v);
    v = q.priorityPolicy === 'fence' ? q.priorityOffset : v + q.priorityOffset;
  }
  return seen;
}

/** A victim's priority as seen from the first queue it shares with the preemptor, and that seen by the preemptor. */
function comparePriorities(victim: number, victimLeaf: Queue, preemptor: ReadonlyMap<Queue, number>): { victim: number; preemptor: number } {
  let v = victim;
  for (const q of victimLeaf.ancestry()) {
    const theirs = preemptor.get(q);
    if (theirs !== undefined) return { victim: v, preemptor: theirs };
    v = q.priorityPolicy === 'fence' ? q.priorityOffset : v + q.priorityOffset;
  }
  return { victim: v, preemptor: Number.MAX_SAFE_INTEGER };
}

function victimRank(record: AllocationRecord): number {
  const info = record.ask.info;
  if (info.originator === true || (info.role !== undefined && DRIVER_ROLES.has(info.role))) return 2;
  return info.allowPreemption === false ? 1 : 0;
}

const byVictimOrder = (a: Candidate, b: Candidate) => a.rank - b.rank || a.priority - b.priority || b.record.allocatedAt - a.record.allocatedAt || a.size - b.size || (a.record.key < b.record.key ? -1 : 1);

/** Rule 1: the ask keeps its queue and every queue above within their guarantees; some queue on the path has one. */
function underGuarantee(leaf: Queue, r: Resource): boolean {
  let guarded = false;
  for (const q of leaf.ancestry()) {
    if (q.parent === null) break;
    const g = q.settings.guaranteed;
    for (const k in g) {
      guarded = true;
      const need = r[k] ?? 0;
      if (need > 0 && (q.allocated[k] ?? 0) + need > (g[k] ?? 0)) return false;
    }
  }
  return guarded;
}

/** Rule 2: the subtree victims may come from. */
function fenceOf(leaf: Queue): Queue {
  for (const q of leaf.ancestry()) if (q.preemptionPolicy === 'fence' || q.parent === null) return q;
  return leaf;
}

function within(q: Queue, root: Queue): boolean {
  for (const a of q.ancestry()) if (a === root) return true;
  return false;
}

/** Rule 3 for one more victim, given what the plan already takes from each queue. */
function keepsGuarantee(c: Candidate, shared: ReadonlySet<Queue>, taken: ReadonlyMap<Queue, MutableResource>): boolean {
  const r = c.record.ask.info.resource;
  for (const q of c.leaf.ancestry()) {
    if (shared.has(q)) return true;
    const g = q.settings.guaranteed;
    const t = taken.get(q);
    for (const k in g) {
      const v = r[k] ?? 0;
      if (v <= 0) continue;
      const left = (q.allocated[k] ?? 0) - (q.releasing[k] ?? 0) - (t?.[k] ?? 0) - v;
      if (left < (g[k] ?? 0)) return false;
    }
  }
  return true;
}

function take(c: Candidate, shared: ReadonlySet<Queue>, taken: Map<Queue, MutableResource>): void {
  const r = c.record.ask.info.resource;
  for (const q of c.leaf.ancestry()) {
    if (shared.has(q)) return;
    let t = taken.get(q);
    if (t === undefined) taken.set(q, (t = {}));
    for (const k in r) t[k] = (t[k] ?? 0) + (r[k] ?? 0);
  }
}

/** Is any resource the ask still lacks on the node given back by this victim? */
function helps(short: Resource, r: Resource): boolean {
  for (const k in short) if ((short[k] ?? 0) > 0 && (r[k] ?? 0) > 0) return true;
  return false;
}

function shortfall(need: Resource, free: Resource): MutableResource {
  const out: MutableResource = {};
  for (const k in need) {
    const d = (need[k] ?? 0) - (free[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/**
 * The victims on `node` for the ask, in victim order, fewest that make room; null when they cannot.
 * `eligible` filters the node's allocations; `guarded` applies rule 3.
 */
function planOn(node: NodeState, ask: Ask, p: Partition, eligible: (record: AllocationRecord, app: Application) => Candidate | null, shared: ReadonlySet<Queue> | null, leaving: Credit | null): Plan | null {
  const need = ask.info.resource;
  const free: MutableResource = node.available();
  if (leaving !== null && leaving.node === node.id) {
    for (const key of leaving.victims) {
      const entry = p.allocations.get(key);
      const r = entry !== undefined && entry.record.nodeId === node.id ? entry.record.ask.info.resource : {};
      for (const k in r) free[k] = (free[k] ?? 0) + (r[k] ?? 0);
    }
    if (fitsIn(need, free)) return { node, victims: [], score: [0, 0, Number.MIN_SAFE_INTEGER, 0] };
  }
  // Room the node gives back already (victims of earlier plans) is not this ask's to count.
  const candidates: Candidate[] = [];
  for (let entry = node.first; entry !== null; entry = entry.next) {
    if (entry.record.releasing !== null) continue;
    const c = eligible(entry.record, entry.app);
    if (c !== null) candidates.push(c);
  }
  if (candidates.length === 0) return null;
  candidates.sort(byVictimOrder);
  const taken = new Map<Queue, MutableResource>();
  const victims: Candidate[] = [];
  for (const c of candidates) {
    const short = shortfall(need, free);
    if (!helps(short, c.record.ask.info.resource)) continue;
    if (shared !== null && !keepsGuarantee(c, shared, taken)) continue;
    if (shared !== null) take(c, shared, taken);
    victims.push(c);
    const r = c.record.ask.info.resource;
    for (const k in r) free[k] = (free[k] ?? 0) + (r[k] ?? 0);
    if (fitsIn(need, free)) {
      let worst = 0;
      let top = Number.MIN_SAFE_INTEGER;
      let size = 0;
      for (const v of victims) {
        worst = Math.max(worst, v.rank);
        top = Math.max(top, v.priority);
        size += v.size;
      }
      return { node, victims, score: [worst, victims.length, top, size] };
    }
  }
  return null;
}

const better = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

/**
 * Try to make room for `ask` by preemption; true when victims were chosen (or are still on their
 * way out). Called for asks that quota allows and no node could take in this cycle.
 */
export function tryPreemption(app: Application, ask: Ask, p: Partition, callback: ResourceManagerCallback, budget: SearchBudget): boolean {
  const leaf = app.queue;
  const now = p.now();
  if (leaf === null || !p.config.preemption.enabled || ask.info.mayPreempt === false) return false;
  const pending = ask.preemption;
  // Victims of a plan that one refusal broke: still leaving, their room counts for the new plan.
  let leaving: Credit | null = null;
  if (pending !== undefined) {
    if (pending.refused) leaving = { node: pending.node, victims: pending.victims };
    else if (now - pending.at < PREEMPTION_EXPIRY_MS) return true;
    else {
      for (const key of pending.victims) {
        const record = p.allocations.get(key)?.record;
        if (record !== undefined) p.cancelRelease(record);
      }
      ask.preemption = undefined;
    }
  }
  if (now - ask.createdAt < leaf.preemptionDelayMs) return false;
  if (leaving === null && ask.preemptTriedAt !== undefined && now - ask.preemptTriedAt < PREEMPTION_RETRY_MS) return false;
  if (budget.left <= 0) return false;
  budget.left--;
  ask.preemptTriedAt = now;
  const plan = ask.info.requiredNode !== undefined ? onRequiredNode(app, ask, ask.info.requiredNode, p, leaving) : acrossQueues(app, leaf, ask, p, callback, leaving);
  if (plan === null) {
    // Nothing better now: wait for the victims still leaving (or their expiry), as before the refusal.
    if (pending !== undefined) pending.refused = false;
    return pending !== undefined;
  }
  const priority = ask.info.priority;
  const message =
    ask.info.requiredNode !== undefined
      ? `preempted to make room on node ${plan.node.id} for a pod pinned to it (application ${app.info.applicationId}, priority ${priority})`
      : `preempted to make room for a pod of application ${app.info.applicationId} in queue ${leaf.path} (priority ${priority}), which is under its guarantee`;
  for (const v of plan.victims) p.requestRelease(v.record, 'Preempted', `${message}; this pod's queue ${v.leaf.path} keeps its guarantee`, ask.info.allocationKey);
  p.unreserve(ask);
  const holder = plan.node.reservedBy;
  if (holder !== null && holder !== ask.info.allocationKey) {
    const other = p.asks.get(holder)?.ask;
    if (other !== undefined) p.unreserve(other);
  }
  p.reserve(ask, plan.node.id);
  const victims = new Set(plan.victims.map((v) => v.record.key));
  if (leaving !== null && leaving.node === plan.node.id) for (const key of leaving.victims) victims.add(key);
  ask.preemption = { node: plan.node.id, victims, at: now, refused: false };
  return true;
}

function candidate(record: AllocationRecord, app: Application, leaf: Queue, node: NodeState, priority: number): Candidate {
  return { record, app, leaf, rank: victimRank(record), priority, size: dominantShare(record.ask.info.resource, node.info.capacity) };
}

function acrossQueues(app: Application, leaf: Queue, ask: Ask, p: Partition, callback: ResourceManagerCallback, leaving: Credit | null): Plan | null {
  if (!underGuarantee(leaf, ask.info.resource)) return null;
  const fence = fenceOf(leaf);
  const shared = new Set(leaf.ancestry());
  const seen = prioritiesAlong(ask.info.priority, leaf);
  // Which leaves may give victims, and how their pods' priorities compare, decided once per leaf:
  // a victim's priority as seen where the paths meet is its own plus the leaf's `shift`, unless a
  // priority fence on the way fixes it.
  interface LeafView {
    readonly ok: boolean;
    readonly fixed: number | null;
    readonly shift: number;
    readonly theirs: number;
  }
  const leaves = new Map<Queue, LeafView>();
  const view = (q: Queue): LeafView => {
    let v = leaves.get(q);
    if (v === undefined) {
      const ok = q !== leaf && q.preemptionPolicy !== 'disabled' && within(q, fence);
      const zero = comparePriorities(0, q, seen);
      const one = comparePriorities(1, q, seen);
      v = { ok, fixed: zero.victim === one.victim ? zero.victim : null, shift: zero.victim, theirs: zero.preemptor };
      leaves.set(q, v);
    }
    return v;
  };
  let best: Plan | null = null;
  for (const node of p.nodes.byId.values()) {
    if (!node.info.schedulable || node.first === null || !node.couldFit(ask.info.resource)) continue;
    if (node.reservedBy !== null && node.reservedBy !== ask.info.allocationKey) continue;
    if (callback.fits !== undefined && !callback.fits(ask.info, node.id)) continue;
    const plan = planOn(
      node,
      ask,
      p,
      (record, victimApp) => {
        const q = victimApp.queue;
        if (q === null || victimApp === app || record.ask.info.requiredNode !== undefined) return null;
        const v = view(q);
        if (!v.ok) return null;
        const theirs = v.fixed ?? record.ask.info.priority + v.shift;
        return theirs <= v.theirs ? candidate(record, victimApp, q, node, theirs) : null;
      },
      shared,
      leaving,
    );
    if (plan !== null && (best === null || better(plan.score, best.score))) {
      best = plan;
      if (plan.score[0] === 0 && plan.score[1] === 1) break;
    }
  }
  return best;
}

function onRequiredNode(app: Application, ask: Ask, nodeId: NodeId, p: Partition, leaving: Credit | null): Plan | null {
  const node = p.nodes.byId.get(nodeId);
  if (node === undefined || !node.info.schedulable || !node.couldFit(ask.info.resource)) return null;
  return planOn(
    node,
    ask,
    p,
    (record, victimApp) => {
      const q = victimApp.queue;
      if (q === null || victimApp === app || record.ask.info.requiredNode !== undefined || record.ask.info.priority > ask.info.priority) return null;
      return candidate(record, victimApp, q, node, record.ask.info.priority);
    },
    null,
    leaving,
  );
}

/**
 * Gang scheduling, YuniKorn's task groups: an application declares groups of `minMember` members of
 * `minResource` each; the resource manager asks for one placeholder per member; the application's
 * real pods wait (`GangPending`) until every placeholder is placed, so the whole gang has room before
 * any of it starts. Then each real pod of a group takes over a placeholder of its group, on the
 * placeholder's node. The phases of a gang:
 *
 *   Reserving -all placed-> Reserved -timeout or last real pod gone-> Done
 *   Reserving -timeout, Soft-> Abandoned (placeholders released, real pods scheduled as usual)
 *   Reserving -timeout, Hard-> Failed (placeholders released, the application fails)
 *
 * The timeout counts from the first placeholder ask. Once Reserved, placeholders still unused at the
 * timeout are released. This file keeps the counts and the words; partition.ts does the booking.
 */
import { addInPlace, fitsUnder, formatResource, overUnder } from '../resources/resource.js';
import type { MutableResource, Resource } from '../resources/resource.js';
import type { AllocationKey, Gang } from '../port.js';
import type { Queue } from './queue.js';

export const GANG_PHASES = ['Reserving', 'Reserved', 'Done', 'Abandoned', 'Failed'] as const;
export type GangPhase = (typeof GANG_PHASES)[number];

/**
 * Per task group, by key (so that hearing of a placeholder twice, as after a restart, counts it once):
 * placeholders asked for, placed (ever), taken over by real pods, and timed out.
 */
export class GroupCounts {
  readonly askedKeys = new Set<AllocationKey>();
  readonly placedKeys = new Set<AllocationKey>();
  readonly replacedKeys = new Set<AllocationKey>();
  readonly timedOutKeys = new Set<AllocationKey>();
  get asked(): number {
    return this.askedKeys.size;
  }
  get placed(): number {
    return this.placedKeys.size;
  }
  get replaced(): number {
    return this.replacedKeys.size;
  }
  get timedOut(): number {
    return this.timedOutKeys.size;
  }
}

export class GangState {
  phase: GangPhase = 'Reserving';
  /** When the first placeholder ask arrived: the timeout counts from here. */
  startedAt: number | null = null;
  /** At least one real pod of the application was placed (its end releases the placeholders left). */
  realPlaced = false;
  readonly groups = new Map<string, GroupCounts>();

  constructor(readonly spec: Gang) {
    for (const g of spec.taskGroups) this.groups.set(g.name, new GroupCounts());
  }

  /** Placeholders the whole gang needs. */
  members(): number {
    let n = 0;
    for (const g of this.spec.taskGroups) n += g.minMember;
    return n;
  }

  placed(): number {
    let n = 0;
    for (const c of this.groups.values()) n += c.placed;
    return n;
  }

  /** Every group has all its placeholders placed. */
  complete(): boolean {
    return this.spec.taskGroups.every((g) => (this.groups.get(g.name)?.placed ?? 0) >= g.minMember);
  }

  /** May a placeholder of `group` still be asked for (a known group, not all of its members asked)? */
  wants(group: string | undefined): boolean {
    if (this.phase !== 'Reserving' || group === undefined) return false;
    const spec = this.spec.taskGroups.find((g) => g.name === group);
    const counts = this.groups.get(group);
    return spec !== undefined && counts !== undefined && counts.asked < spec.minMember;
  }

  expiresAt(): number | null {
    return this.startedAt === null ? null : this.startedAt + this.spec.timeoutMs;
  }
}

/** The resources of the whole gang: each group's members times its placeholder size. */
export function gangTotal(gang: Gang): Resource {
  const total: MutableResource = {};
  for (const g of gang.taskGroups) for (let i = 0; i < g.minMember; i++) addInPlace(total, g.minResource);
  return total;
}

/** "driver 1 × 1 vcore, 2 GiB; executor 4 × 2 vcore, 8 GiB" (pods left out: every member is one). */
export function describeGroups(gang: Gang): string {
  return gang.taskGroups.map((g) => `${g.name} ${g.minMember} × ${formatResource(without(g.minResource, 'pods'))}`).join('; ');
}

function without(r: Resource, key: string): Resource {
  const out: MutableResource = {};
  for (const [k, v] of Object.entries(r)) if (k !== key) out[k] = v;
  return out;
}

/**
 * Why a real pod of a reserving gang waits: how much of the gang is placed, which groups miss what,
 * why the first missing placeholder waits, and when the gang times out.
 */
export function gangPendingMessage(state: GangState, now: number, placeholderReason: string | null): string {
  const missing = state.spec.taskGroups
    .map((g) => {
      const c = state.groups.get(g.name);
      const placed = c?.placed ?? 0;
      const asked = c?.asked ?? 0;
      if (placed >= g.minMember) return null;
      const notAsked = g.minMember - Math.max(asked, placed);
      return `${g.name} ${placed} of ${g.minMember}${notAsked > 0 ? ` (${notAsked} placeholder${notAsked === 1 ? '' : 's'} not created yet)` : ''}`;
    })
    .filter((s): s is string => s !== null);
  const parts = [`waiting for its gang: ${state.placed()} of ${state.members()} placeholders placed`];
  if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
  if (placeholderReason !== null) parts.push(`the placeholders wait because ${placeholderReason}`);
  const at = state.expiresAt();
  if (at !== null) {
    const left = Math.max(0, Math.ceil((at - now) / 1000));
    parts.push(`${state.spec.style === 'Hard' ? 'the application fails' : 'the pods are scheduled without their gang'} in ${left}s if it is not placed (gangSchedulingStyle ${state.spec.style})`);
  }
  return parts.join('; ');
}

/**
 * Why a gang may never be placed in `leaf` (YuniKorn's rules): the queue must sort applications fifo,
 * and the whole gang must fit under the max of the queue and every queue above it. Null when it may.
 */
export function gangRefusal(gang: Gang, leaf: Queue): string | null {
  if (leaf.sortPolicy !== 'fifo') {
    return `gang scheduling needs a queue that sorts applications fifo, and queue ${leaf.path} sorts them ${leaf.sortPolicy}: two gangs could each hold part of the cluster and neither start (set application.sort.policy: fifo, or remove the task groups)`;
  }
  const total = gangTotal(gang);
  for (const q of leaf.ancestry()) {
    if (q.parent === null) break;
    if (fitsUnder(total, {}, q.settings.max)) continue;
    const keys = overUnder(total, {}, q.settings.max);
    return `the gang needs ${formatResource(total, keys)} in all (${describeGroups(gang)}), more than the max of queue ${q.path} (${formatResource(q.settings.max, keys)}); it could never be placed`;
  }
  return null;
}

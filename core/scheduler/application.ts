/**
 * An application of the running scheduler: its placement, its life cycle state, its pending asks in
 * scheduling order and its allocations.
 */
import type { MutableResource } from '../resources/resource.js';
import type { AllocationKey, ApplicationInfo, ApplicationState, AskInfo, NodeId, PendingReason, ReleaseKind } from '../port.js';
import { transition } from './application-state.js';
import type { ApplicationEvent } from './application-state.js';
import { GangState } from './gang.js';
import type { Queue } from './queue.js';

export interface Ask {
  readonly info: AskInfo;
  readonly seq: number;
  readonly createdAt: number;
  reason: PendingReason | null;
  /** The schedule() call in which this ask last failed: skipped for the rest of that call. */
  failedIn: number;
  /** The node kept free for this ask, or null (see allocate.ts, reservations). */
  reservedNode: NodeId | null;
  /** When a cycle last gave the current reason, and in how many cycles in a row (the REST allocation log). */
  reasonSeen?: { last: number; count: number };
  /** Victims asked to make room for this ask, on `node`, since `at` (see preemption.ts). */
  preemption?: { readonly node: NodeId; readonly victims: Set<AllocationKey>; readonly at: number; refused: boolean } | undefined;
  /** The cycle in which it was last passed over because its gang was still reserving. */
  gangWaitIn?: number;
  /** A placeholder of its group was released on its account (see allocate.ts, placeholderFor). */
  freedPlaceholder?: boolean;
  /** When preemption was last tried for this ask. */
  preemptTriedAt?: number;
}

export interface AllocationRecord {
  readonly key: AllocationKey;
  readonly nodeId: NodeId;
  readonly ask: Ask;
  readonly allocatedAt: number;
  /** The core asked the resource manager to remove it (preempted, placeholder released); still booked until it is gone. */
  releasing: ReleaseKind | null;
  /** A real pod that took over a placeholder (YuniKorn's placeholderUsed). */
  tookOver?: boolean;
}

export class Application {
  state: ApplicationState = 'New';
  message: string | null = null;
  queue: Queue | null = null;
  /** The group this application counts against for group limits (null: none). */
  group: string | null = null;
  readonly asks = new Map<AllocationKey, Ask>();
  readonly allocations = new Map<AllocationKey, AllocationRecord>();
  readonly allocated: MutableResource = {};
  readonly pending: MutableResource = {};
  /** The most allocated at any time, per resource (YuniKorn's maxUsedResource). */
  readonly maxAllocated: MutableResource = {};
  readonly stateLog: { time: number; state: ApplicationState }[] = [];
  /** When the application entered Completing (for the completing timeout). */
  completingSince = 0;
  failedIn = -1;
  /** Gang scheduling, when the application has task groups. */
  readonly gang: GangState | null;
  private sorted: Ask[] | null = null;

  constructor(
    readonly info: ApplicationInfo,
    readonly seq: number,
    readonly submittedAt: number,
  ) {
    this.stateLog.push({ time: submittedAt, state: 'New' });
    this.gang = info.gang === undefined || info.gang.taskGroups.length === 0 ? null : new GangState(info.gang);
  }

  /** Placeholders and real pods of a gang still reserving: the real ones wait. */
  gangReserving(): boolean {
    return this.gang !== null && this.gang.phase === 'Reserving';
  }

  /** Apply an event; returns the previous state when it changed anything. */
  fire(event: ApplicationEvent, now: number, message: string | null = null): ApplicationState | null {
    const next = transition(this.state, event);
    if (next === null) return null;
    const from = this.state;
    this.state = next;
    if (message !== null) this.message = message;
    this.stateLog.push({ time: now, state: next });
    if (next === 'Completing') this.completingSince = now;
    return from;
  }

  addAsk(ask: Ask): void {
    this.asks.set(ask.info.allocationKey, ask);
    this.sorted = null;
  }

  removeAsk(key: AllocationKey): Ask | undefined {
    const ask = this.asks.get(key);
    if (ask === undefined) return undefined;
    this.asks.delete(key);
    if (this.sorted !== null) {
      // The head is what the cycle allocates; removing it keeps the rest in order.
      const i = this.sorted[0] === ask ? 0 : this.sorted.indexOf(ask);
      if (i >= 0) this.sorted.splice(i, 1);
    }
    return ask;
  }

  /** Pending asks, highest priority first, then in the order they arrived. */
  sortedAsks(): readonly Ask[] {
    if (this.sorted === null) {
      this.sorted = [...this.asks.values()].sort((a, b) => b.info.priority - a.info.priority || a.seq - b.seq);
    }
    return this.sorted;
  }

  /** The highest priority among pending asks (for priority-first application sorting). */
  maxPendingPriority(): number {
    return this.sortedAsks()[0]?.info.priority ?? Number.MIN_SAFE_INTEGER;
  }
}

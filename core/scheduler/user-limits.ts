/**
 * User and group limits, enforced along the whole queue path.
 *
 * On each queue of an application's path, the user's limit is the limit naming the user, else the
 * wildcard user limit; the group's limit is that of the group the application counts against. That
 * group is chosen as YuniKorn chooses it: walking from the leaf up, the first of the user's groups (in
 * the user's order) that a limit names; failing that, the wildcard group if a queue on the path has a
 * wildcard group limit; otherwise none. Usage is tracked per user and group on every queue of the path.
 */
import type { LimitConfig } from '../config/model.js';
import { addInPlace, fitsUnder, formatResource, overUnder, subInPlace } from '../resources/resource.js';
import type { MutableResource, Resource } from '../resources/resource.js';
import type { UserGroup } from '../port.js';
import type { Queue } from './queue.js';

interface Usage {
  readonly res: MutableResource;
  apps: number;
}

export type LimitBlock = { readonly code: 'UserQuotaExceeded' | 'GroupQuotaExceeded'; readonly message: string };

interface PlanStep {
  readonly kind: 'user' | 'group';
  readonly name: string;
  readonly queue: Queue;
  readonly usage: Usage;
  /** The limit's maxresources on this queue, or null when none applies. */
  readonly maxResources: Resource | null;
  /** 0 = not limited. */
  readonly maxApplications: number;
}

export class UserGroupTracker {
  private readonly usage = new Map<string, Map<string, Usage>>();
  private readonly plans = new WeakMap<Queue, { version: number; bySubject: Map<string, PlanStep[]> }>();
  private version = 0;

  /** Limits that apply on this queue: its own, and for the root the partition's too. */
  constructor(private readonly partitionLimits: () => readonly LimitConfig[]) {}

  private limitsOf(q: Queue): readonly LimitConfig[] {
    return q.parent === null ? [...q.settings.limits, ...this.partitionLimits()] : q.settings.limits;
  }

  /** The limit that applies to this user or group on this queue: the one naming it, else the wildcard one. */
  limitFor(q: Queue, kind: 'user' | 'group', name: string): LimitConfig | undefined {
    const limits = this.limitsOf(q);
    const list = (l: LimitConfig) => (kind === 'user' ? l.users : l.groups);
    return limits.find((l) => list(l).includes(name)) ?? limits.find((l) => list(l).includes('*'));
  }

  /** The group an application of `who` placed in `leaf` counts against, or null. */
  chooseGroup(who: UserGroup, leaf: Queue): string | null {
    for (const q of leaf.ancestry()) {
      const limits = this.limitsOf(q);
      const named = who.groups.find((g) => limits.some((l) => l.groups.includes(g)));
      if (named !== undefined) return named;
    }
    for (const q of leaf.ancestry()) if (this.limitsOf(q).some((l) => l.groups.includes('*'))) return '*';
    return null;
  }

  private entry(kind: 'user' | 'group', name: string, path: string): Usage {
    const id = `${kind}\u0000${name}`;
    let perQueue = this.usage.get(id);
    if (perQueue === undefined) {
      perQueue = new Map();
      this.usage.set(id, perQueue);
    }
    let u = perQueue.get(path);
    if (u === undefined) {
      u = { res: {}, apps: 0 };
      perQueue.set(path, u);
    }
    return u;
  }

  /**
   * The limits and usage records of one user (and group) along one leaf's path, built once and reused
   * by every check and update on the hot path until the configuration changes (`invalidate`).
   */
  private plan(who: UserGroup, group: string | null, leaf: Queue): readonly PlanStep[] {
    let perLeaf = this.plans.get(leaf);
    if (perLeaf === undefined || perLeaf.version !== this.version) {
      perLeaf = { version: this.version, bySubject: new Map() };
      this.plans.set(leaf, perLeaf);
    }
    const key = group === null ? who.user : `${who.user}\u0000${group}`;
    let steps = perLeaf.bySubject.get(key);
    if (steps === undefined) {
      steps = [];
      for (const [kind, name] of group === null ? ([['user', who.user]] as const) : ([['user', who.user], ['group', group]] as const)) {
        for (const q of leaf.ancestry()) {
          const limit = this.limitFor(q, kind, name);
          steps.push({ kind, name, queue: q, usage: this.entry(kind, name, q.path), maxResources: limit !== undefined && Object.keys(limit.maxResources).length > 0 ? limit.maxResources : null, maxApplications: limit?.maxApplications ?? 0 });
        }
      }
      perLeaf.bySubject.set(key, steps);
    }
    return steps;
  }

  /** The configuration changed: limits must be looked up again. */
  invalidate(): void {
    this.version++;
  }

  /** Would allocating `request` break a user or group limit on the path? */
  blocks(request: Resource, who: UserGroup, group: string | null, leaf: Queue): LimitBlock | null {
    for (const step of this.plan(who, group, leaf)) {
      const max = step.maxResources;
      if (max === null || fitsUnder(request, step.usage.res, max)) continue;
      const keys = overUnder(request, step.usage.res, max);
      return {
        code: step.kind === 'user' ? 'UserQuotaExceeded' : 'GroupQuotaExceeded',
        message: `${step.kind} ${step.name} uses ${formatResource(step.usage.res, keys)} of the ${formatResource(max, keys)} allowed on ${step.queue.path}`,
      };
    }
    return null;
  }

  /** May one more application of this user (and group) run, along the path? */
  appBlocked(who: UserGroup, group: string | null, leaf: Queue): string | null {
    for (const step of this.plan(who, group, leaf)) {
      if (step.maxApplications === 0 || step.usage.apps < step.maxApplications) continue;
      return `${step.kind} ${step.name} runs ${step.maxApplications} applications already, the most allowed on ${step.queue.path}`;
    }
    return null;
  }

  change(request: Resource, who: UserGroup, group: string | null, leaf: Queue, sign: 1 | -1): void {
    for (const step of this.plan(who, group, leaf)) {
      if (sign === 1) addInPlace(step.usage.res, request);
      else subInPlace(step.usage.res, request);
    }
  }

  appRunning(who: UserGroup, group: string | null, leaf: Queue, delta: 1 | -1): void {
    for (const step of this.plan(who, group, leaf)) step.usage.apps += delta;
  }

  /** Usage for read models: kind -> name -> queue path -> usage. */
  snapshot(): { kind: 'user' | 'group'; name: string; queue: string; resource: Resource; runningApps: number }[] {
    const out: { kind: 'user' | 'group'; name: string; queue: string; resource: Resource; runningApps: number }[] = [];
    for (const [id, perQueue] of this.usage) {
      const [kind, name] = id.split('\u0000') as ['user' | 'group', string];
      for (const [queue, u] of perQueue) out.push({ kind, name, queue, resource: { ...u.res }, runningApps: u.apps });
    }
    return out;
  }
}

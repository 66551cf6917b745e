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

export class UserGroupTracker {
  private readonly usage = new Map<string, Map<string, Usage>>();

  /** Limits that apply on this queue: its own, and for the root the partition's too. */
  constructor(private readonly partitionLimits: () => readonly LimitConfig[]) {}

  private limitsOf(q: Queue): readonly LimitConfig[] {
    return q.parent === null ? [...q.settings.limits, ...this.partitionLimits()] : q.settings.limits;
  }

  private limitFor(q: Queue, kind: 'user' | 'group', name: string): LimitConfig | undefined {
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

  private subjects(who: UserGroup, group: string | null): ['user' | 'group', string][] {
    return group === null ? [['user', who.user]] : [['user', who.user], ['group', group]];
  }

  /** Would allocating `request` break a user or group limit on the path? */
  blocks(request: Resource, who: UserGroup, group: string | null, leaf: Queue): LimitBlock | null {
    for (const [kind, name] of this.subjects(who, group)) {
      for (const q of leaf.ancestry()) {
        const limit = this.limitFor(q, kind, name);
        if (limit === undefined || Object.keys(limit.maxResources).length === 0) continue;
        const used = this.entry(kind, name, q.path).res;
        if (!fitsUnder(request, used, limit.maxResources)) {
          const keys = overUnder(request, used, limit.maxResources);
          return {
            code: kind === 'user' ? 'UserQuotaExceeded' : 'GroupQuotaExceeded',
            message: `${kind} ${name} uses ${formatResource(used, keys)} of the ${formatResource(limit.maxResources, keys)} allowed on ${q.path}`,
          };
        }
      }
    }
    return null;
  }

  /** May one more application of this user (and group) run, along the path? */
  appBlocked(who: UserGroup, group: string | null, leaf: Queue): string | null {
    for (const [kind, name] of this.subjects(who, group)) {
      for (const q of leaf.ancestry()) {
        const limit = this.limitFor(q, kind, name);
        if (limit === undefined || limit.maxApplications === 0) continue;
        if (this.entry(kind, name, q.path).apps >= limit.maxApplications) {
          return `${kind} ${name} runs ${limit.maxApplications} applications already, the most allowed on ${q.path}`;
        }
      }
    }
    return null;
  }

  change(request: Resource, who: UserGroup, group: string | null, leaf: Queue, sign: 1 | -1): void {
    for (const [kind, name] of this.subjects(who, group)) {
      for (const q of leaf.ancestry()) {
        const u = this.entry(kind, name, q.path);
        if (sign === 1) addInPlace(u.res, request);
        else subInPlace(u.res, request);
      }
    }
  }

  appRunning(who: UserGroup, group: string | null, leaf: Queue, delta: 1 | -1): void {
    for (const [kind, name] of this.subjects(who, group)) {
      for (const q of leaf.ancestry()) this.entry(kind, name, q.path).apps += delta;
    }
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

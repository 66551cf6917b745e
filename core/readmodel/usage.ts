/**
 * User and group usage as YuniKorn's UserResourceUsageDAOInfo and GroupResourceUsageDAOInfo: per user (or
 * group), a tree of the queues its applications run under, each with the resources allocated there, the
 * running applications below it, and the limit that applies there (the one naming the user or group, else
 * the wildcard one; `{}` and 0 when none). A group is the one an application counts against (see
 * user-limits.ts), including `*`. Queues where nothing is used and nothing runs are left out, and so is a
 * user or group with nothing anywhere, as YuniKorn drops empty trackers.
 */
import type { Resource } from '../resources/resource.js';
import type { Application } from '../scheduler/application.js';
import type { Partition } from '../scheduler/partition.js';
import type { GroupUsageDao, ResourceUsageDao, UserUsageDao } from './dao.js';
import { byteOrder, sortedRecord, usageMap } from './json.js';

type Kind = 'user' | 'group';

const ROOT = 'root';

/** Per user or group name: queue path -> resources in use there. */
function usageBy(p: Partition, kind: Kind): Map<string, Map<string, Resource>> {
  const out = new Map<string, Map<string, Resource>>();
  for (const e of p.users.snapshot()) {
    if (e.kind !== kind) continue;
    let perQueue = out.get(e.name);
    if (perQueue === undefined) {
      perQueue = new Map();
      out.set(e.name, perQueue);
    }
    perQueue.set(e.queue, e.resource);
  }
  return out;
}

/** Running applications, the ones that count against user and group limits (a Running slot). */
function runningApps(p: Partition, kind: Kind, name: string): Application[] {
  const out: Application[] = [];
  for (const app of p.apps.values()) {
    if (app.state !== 'Running' || app.queue === null) continue;
    if (kind === 'user' ? app.info.user.user === name : app.group === name) out.push(app);
  }
  return out.sort((a, b) => a.submittedAt - b.submittedAt || a.seq - b.seq);
}

function isUnder(path: string, queue: string): boolean {
  return path === queue || path.startsWith(`${queue}.`);
}

/** The tree below `queue`, or null when nothing is used or running anywhere in it. */
function usageTree(p: Partition, kind: Kind, name: string, queue: string, usage: Map<string, Resource>, apps: readonly Application[]): ResourceUsageDao | null {
  const prefix = `${queue}.`;
  const childPaths = [...usage.keys()].filter((q) => q.startsWith(prefix) && !q.slice(prefix.length).includes('.')).sort(byteOrder);
  const children = childPaths.map((c) => usageTree(p, kind, name, c, usage, apps)).filter((c): c is ResourceUsageDao => c !== null);
  const used = usage.get(queue) ?? {};
  const running = apps.filter((a) => a.queue !== null && isUnder(a.queue.path, queue)).map((a) => a.info.applicationId);
  if (children.length === 0 && running.length === 0 && Object.values(used).every((v) => v === 0)) return null;
  const q = p.tree.get(queue);
  const limit = q === undefined ? undefined : p.users.limitFor(q, kind, name);
  return {
    queuePath: queue,
    resourceUsage: usageMap(used) ?? {},
    runningApplications: running,
    maxResources: sortedRecord(limit?.maxResources ?? {}),
    maxApplications: limit?.maxApplications ?? 0,
    children,
  };
}

function userDao(p: Partition, name: string, usage: Map<string, Resource>): UserUsageDao | null {
  const apps = runningApps(p, 'user', name);
  const queues = usageTree(p, 'user', name, ROOT, usage, apps);
  if (queues === null) return null;
  const groups: Record<string, string> = {};
  for (const app of apps) if (app.group !== null) groups[app.info.applicationId] = app.group;
  return { userName: name, groups: sortedRecord(groups), queues };
}

function groupDao(p: Partition, name: string, usage: Map<string, Resource>): GroupUsageDao | null {
  const apps = runningApps(p, 'group', name);
  const queues = usageTree(p, 'group', name, ROOT, usage, apps);
  return queues === null ? null : { groupName: name, applications: apps.map((a) => a.info.applicationId), queues };
}

/** Every user with something in use or running, by name. */
export function usersUsageView(p: Partition): UserUsageDao[] {
  return [...usageBy(p, 'user').entries()]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, usage]) => userDao(p, name, usage))
    .filter((u): u is UserUsageDao => u !== null);
}

/** One user; null when the user has nothing in use or running. */
export function userUsageView(p: Partition, user: string): UserUsageDao | null {
  const usage = usageBy(p, 'user').get(user);
  return usage === undefined ? null : userDao(p, user, usage);
}

/** Every group with something in use or running, by name. */
export function groupsUsageView(p: Partition): GroupUsageDao[] {
  return [...usageBy(p, 'group').entries()]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, usage]) => groupDao(p, name, usage))
    .filter((g): g is GroupUsageDao => g !== null);
}

/** One group; null when the group has nothing in use or running. */
export function groupUsageView(p: Partition, group: string): GroupUsageDao | null {
  const usage = usageBy(p, 'group').get(group);
  return usage === undefined ? null : groupDao(p, group, usage);
}

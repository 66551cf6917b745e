/**
 * User and group limits, checked as YuniKorn checks them.
 *
 * One list of limits (a queue's, or a partition's against its root queue):
 *   - each limit names users or groups, valid names only, none twice in the list;
 *   - the wildcard `*` comes after every named user (group) and at most once; a wildcard group needs
 *     at least one named group before it (alone it would just repeat the queue's own limit);
 *   - maxresources, when given, is not all zero; maxresources or maxapplications is set;
 *   - within the queue's maxapplications and max.
 *
 * Down the tree: a queue's limit for a user (group) must fit the limit for the same name in its
 * parent, where a parent without limits passes its own parent's on. YuniKorn compares with that one
 * level only; a limit above a more distant ancestor's is accepted as YuniKorn accepts it, with a
 * warning, because the ancestor's limit still applies when the scheduler runs.
 */
import { fitsInMax, formatResource, isZero, minOfMax, overMax } from '../resources/resource.js';
import type { Resource } from '../resources/resource.js';
import { error, warning } from './issues.js';
import type { DocPath, PendingIssue } from './issues.js';
import { GROUP_NAME, USER_NAME, WILDCARD } from './names.js';
import type { LimitDraft, QueueDraft } from './normalise.js';

type Kind = 'user' | 'group';

export function checkLimitList(limits: readonly LimitDraft[], queue: QueueDraft, isPartition: boolean, issues: PendingIssue[]): void {
  const seen: Record<Kind, Set<string>> = { user: new Set(), group: new Set() };
  const wildcardAt: Record<Kind, DocPath | undefined> = { user: undefined, group: undefined };
  for (const limit of limits) {
    const label = limit.description === '' ? 'a limit' : `limit '${limit.description}'`;
    if (limit.users.length === 0 && limit.groups.length === 0) {
      issues.push(error('limit-no-users-or-groups', limit.doc, `${label} names no users and no groups; add 'users' or 'groups'`));
    }
    for (const kind of ['user', 'group'] as const) {
      const names = kind === 'user' ? limit.users : limit.groups;
      names.forEach((name, i) => {
        const at = [...limit.doc, `${kind}s`, i];
        const rule = kind === 'user' ? USER_NAME : GROUP_NAME;
        if (name !== WILDCARD && !rule.test(name)) {
          issues.push(error(kind === 'user' ? 'limit-user-invalid' : 'limit-group-invalid', at, `'${name}' is not a valid ${kind} name${kind === 'group' ? ' (letters, digits and : # / _ . -, starting with a letter or _)' : ' (letters, digits and : # / _ . @ -, starting with a letter or _)'}`));
        }
        if (seen[kind].has(name)) {
          issues.push(error(kind === 'user' ? 'limit-user-duplicate' : 'limit-group-duplicate', at, `${kind} '${name}' already has a limit on ${queue.path}; merge the two limits`));
          return;
        }
        seen[kind].add(name);
        if (name === WILDCARD) wildcardAt[kind] = at;
        else if (wildcardAt[kind] !== undefined) {
          issues.push(error(kind === 'user' ? 'limit-user-after-wildcard' : 'limit-group-after-wildcard', at, `${kind} '${name}' comes after the wildcard ${kind} limit; the wildcard must be the last ${kind} limit of ${queue.path}`));
        }
      });
    }
    if (Object.keys(limit.maxResources).length > 0 && isZero(limit.maxResources)) {
      issues.push(error('limit-maxresources-zero', [...limit.doc, 'maxresources'], `${label}: maxresources ${formatResource(limit.maxResources)} are all zero; leave them out or give a positive value`));
    } else if (limit.maxApplications === 0 && isZero(limit.maxResources) && limit.maxResourcesValid) {
      issues.push(error('limit-empty', limit.doc, `${label} sets neither maxresources nor maxapplications, so it limits nothing`));
    }
    if (queue.maxApplications !== 0 && limit.maxApplications > queue.maxApplications) {
      issues.push(error('limit-maxapps-above-queue', [...limit.doc, 'maxapplications'], `${label} allows ${limit.maxApplications} applications, more than the ${queue.maxApplications} of ${queue.path}`));
    }
    if (!isPartition && queue.path !== 'root' && queue.maxValid && !fitsInMax(limit.maxResources, queue.max)) {
      const keys = overMax(limit.maxResources, queue.max);
      issues.push(error('limit-maxresources-above-queue', [...limit.doc, 'maxresources'], `${label} allows ${formatResource(limit.maxResources, keys)}, more than the max ${formatResource(queue.max, keys)} of ${queue.path}`));
    }
  }
  const wildGroup = wildcardAt.group;
  if (wildGroup !== undefined && seen.group.size === 1) {
    issues.push(error('limit-wildcard-group-only', wildGroup, `the wildcard group limit of ${queue.path} has no named group limit before it; a wildcard group alone is the same as the queue's own limit, so name at least one group`));
  }
}

interface Bound {
  readonly res: Resource;
  readonly apps: number;
  readonly from: string;
}
type Bounds = ReadonlyMap<string, Bound>;

interface Scope {
  /** What YuniKorn compares with: the limits of the nearest ancestor that has any. */
  readonly immediate: Record<Kind, Bounds>;
  /** Every ancestor's limits, tightest first: what applies at run time. */
  readonly all: Record<Kind, Bounds>;
}

export function checkLimitHierarchy(root: QueueDraft, issues: PendingIssue[]): void {
  const empty = { user: new Map(), group: new Map() };
  walk(root, { immediate: empty, all: empty }, issues);
}

function walk(q: QueueDraft, scope: Scope, issues: PendingIssue[]): void {
  let next = scope;
  if (q.limits.length > 0) {
    const immediate: Record<Kind, Map<string, Bound>> = { user: new Map(), group: new Map() };
    const all: Record<Kind, Map<string, Bound>> = { user: new Map(scope.all.user), group: new Map(scope.all.group) };
    for (const limit of q.limits) {
      for (const kind of ['user', 'group'] as const) {
        for (const name of kind === 'user' ? limit.users : limit.groups) {
          const mine: Bound = { res: limit.maxResources, apps: limit.maxApplications, from: q.path };
          const parent = scope.immediate[kind].get(name);
          if (parent !== undefined) compare(kind, name, limit, q, parent, false, issues);
          else {
            const distant = scope.all[kind].get(name);
            if (distant !== undefined) compare(kind, name, limit, q, distant, true, issues);
          }
          immediate[kind].set(name, parent === undefined ? mine : tightest(mine, parent));
          const before = all[kind].get(name);
          all[kind].set(name, before === undefined ? mine : tightest(mine, before));
        }
      }
    }
    next = { immediate, all };
  }
  for (const child of q.queues) walk(child, next, issues);
}

function tightest(a: Bound, b: Bound): Bound {
  const apps = a.apps === 0 ? b.apps : b.apps === 0 ? a.apps : Math.min(a.apps, b.apps);
  return { res: minOfMax(a.res, b.res), apps, from: a.from };
}

function compare(kind: Kind, name: string, limit: LimitDraft, q: QueueDraft, parent: Bound, distant: boolean, issues: PendingIssue[]): void {
  const who = `${kind} ${name === WILDCARD ? "'*' (everyone)" : `'${name}'`}`;
  const tail = distant ? ` YuniKorn accepts this because ${parent.from} is not the nearest queue with limits, but the limit of ${parent.from} still applies, so this one cannot be reached` : '';
  if (!fitsInMax(limit.maxResources, parent.res)) {
    const keys = overMax(limit.maxResources, parent.res);
    const message = `${q.path}: the ${who} limit ${formatResource(limit.maxResources, keys)} is more than the ${formatResource(parent.res, keys)} allowed on ${parent.from}.${tail}`;
    issues.push(distant ? warning('limit-above-distant-ancestor', [...limit.doc, 'maxresources'], message) : error('limit-maxresources-above-parent', [...limit.doc, 'maxresources'], message));
  }
  if (parent.apps !== 0 && (limit.maxApplications === 0 || limit.maxApplications > parent.apps)) {
    const mine = limit.maxApplications === 0 ? 'no maxapplications (unlimited)' : `${limit.maxApplications} applications`;
    const message = `${q.path}: the ${who} limit allows ${mine}, more than the ${parent.apps} allowed on ${parent.from}.${tail}`;
    issues.push(distant ? warning('limit-above-distant-ancestor', [...limit.doc, 'maxapplications'], message) : error('limit-maxapps-above-parent', [...limit.doc, 'maxapplications'], message));
  }
}

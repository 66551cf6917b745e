/**
 * Applications as YuniKorn's ApplicationDAOInfo: resources, pending requests (with their pending reasons)
 * and allocations, the state log, and the times YuniKorn reports, all derived from the partition's books.
 * The lists follow YuniKorn's three groups: active (every state but the finished ones), rejected and
 * completed; a queue lists its active applications only.
 */
import { asApplicationId } from '../port.js';
import type { ApplicationState } from '../port.js';
import type { Application } from '../scheduler/application.js';
import type { Partition } from '../scheduler/partition.js';
import { allocationDao, askDao, byAllocationTime } from './allocations.js';
import type { ApplicationDao, PlaceholderDao } from './dao.js';
import { daoMap, INT32_MIN, ns, omitEmpty, usageMap } from './json.js';

/** The states `applications/active?status=` accepts, as YuniKorn lists them. */
export const ACTIVE_APPLICATION_STATES = ['New', 'Accepted', 'Running', 'Completing', 'Failing', 'Resuming'] as const satisfies readonly ApplicationState[];

export const APPLICATION_FILTERS = ['active', 'rejected', 'completed'] as const;
export type ApplicationFilter = (typeof APPLICATION_FILTERS)[number];

/** The group of YuniKorn's partition lists an application is in; null once expired (YuniKorn forgets it). */
export function applicationGroup(app: Application): ApplicationFilter | null {
  switch (app.state) {
    case 'New':
    case 'Accepted':
    case 'Running':
    case 'Completing':
    case 'Failing':
    case 'Resuming':
      return 'active';
    case 'Rejected':
      return 'rejected';
    case 'Completed':
    case 'Failed':
      return 'completed';
    case 'Expired':
      return null;
  }
}

/** The last time the application entered one of `states`, or null. */
function lastEntered(app: Application, states: readonly ApplicationState[]): number | null {
  for (let i = app.stateLog.length - 1; i >= 0; i--) {
    const e = app.stateLog[i];
    if (e !== undefined && states.includes(e.state)) return e.time;
  }
  return null;
}

const FINISHED: readonly ApplicationState[] = ['Completed', 'Failed', 'Rejected'];

export function applicationDao(p: Partition, app: Application): ApplicationDao {
  // The application's scheduling order, sorted here so that reading never touches the scheduler's caches.
  const asks = [...app.asks.values()].sort((a, b) => b.info.priority - a.info.priority || a.seq - b.seq);
  const reserved = asks.filter((a) => a.reservedNode !== null).map((a) => a.info.allocationKey);
  const finished = lastEntered(app, FINISHED);
  const started = lastEntered(app, ['Running']);
  const wasRejected = app.stateLog.some((e) => e.state === 'Rejected');
  return {
    applicationID: app.info.applicationId,
    ...omitEmpty('usedResource', usageMap(app.allocated)),
    ...omitEmpty('maxUsedResource', usageMap(app.maxAllocated)),
    ...omitEmpty('pendingResource', usageMap(app.pending)),
    partition: p.name,
    queueName: app.queue?.path ?? '',
    ...omitEmpty('submissionTime', ns(app.submittedAt)),
    ...omitEmpty('finishedTime', finished === null ? undefined : ns(finished)),
    ...omitEmpty('requests', asks.map(askDao)),
    ...omitEmpty('allocations', [...app.allocations.values()].sort(byAllocationTime).map(allocationDao)),
    applicationState: app.state,
    ...omitEmpty('user', app.info.user.user),
    ...omitEmpty('groups', app.info.user.groups),
    ...omitEmpty('rejectedMessage', wasRejected ? app.message : undefined),
    // YuniKorn logs transitions only: the initial New is not one.
    ...omitEmpty('stateLog', app.stateLog.slice(1).map((e) => ({ time: ns(e.time), applicationState: e.state }))),
    ...omitEmpty('placeholderData', placeholderData(app)),
    ...omitEmpty('hasReserved', reserved.length > 0),
    ...omitEmpty('reservations', reserved),
    ...omitEmpty('maxRequestPriority', asks.reduce((m, a) => Math.max(m, a.info.priority), INT32_MIN)),
    ...omitEmpty('startTime', started === null ? undefined : Math.round(started)),
  };
}

/** Per task group: members, placeholder size, how many real pods took one over, how many timed out. */
function placeholderData(app: Application): PlaceholderDao[] | undefined {
  const gang = app.gang;
  if (gang === null) return undefined;
  return gang.spec.taskGroups.map((g) => {
    const c = gang.groups.get(g.name);
    return { taskGroupName: g.name, count: g.minMember, ...omitEmpty('minResource', daoMap(g.minResource)), replaced: c?.replaced ?? 0, timedout: c?.timedOut ?? 0 };
  });
}

/** One application of the partition, whatever its state; null when unknown. */
export function applicationView(p: Partition, appId: string): ApplicationDao | null {
  const app = p.apps.get(asApplicationId(appId));
  return app === undefined || applicationGroup(app) === null ? null : applicationDao(p, app);
}

/** Applications in submission order. */
function bySubmission(a: Application, b: Application): number {
  return a.submittedAt - b.submittedAt || a.seq - b.seq;
}

/**
 * The partition's applications of one group; for `active`, only those whose state is `status` (any case)
 * when given. The edge checks the filter and status names (YuniKorn answers 400 for others).
 */
export function applicationsView(p: Partition, filter: ApplicationFilter, status?: string): ApplicationDao[] {
  const wanted = status?.toLowerCase();
  return [...p.apps.values()]
    .filter((app) => applicationGroup(app) === filter && (filter !== 'active' || wanted === undefined || app.state.toLowerCase() === wanted))
    .sort(bySubmission)
    .map((app) => applicationDao(p, app));
}

/** The active applications of a queue (none for a parent queue); null when the queue does not exist. */
export function queueApplicationsView(p: Partition, path: string): ApplicationDao[] | null {
  const queue = p.tree.get(path);
  if (queue === undefined) return null;
  const apps: Application[] = [];
  for (const id of queue.applications) {
    const app = p.apps.get(id);
    if (app !== undefined) apps.push(app);
  }
  return apps.sort(bySubmission).map((app) => applicationDao(p, app));
}

/** One active application of a queue; null when the queue does not hold it (see queueView for the queue). */
export function queueApplicationView(p: Partition, path: string, appId: string): ApplicationDao | null {
  const queue = p.tree.get(path);
  const id = asApplicationId(appId);
  const app = p.apps.get(id);
  return queue === undefined || app === undefined || !queue.applications.has(id) ? null : applicationDao(p, app);
}

/**
 * Asks and allocations as YuniKorn's AllocationAskDAOInfo and AllocationDAOInfo, shared by the application
 * and node read models. A waiting ask carries its pending reason twice: as YuniKorn's `allocationLog` entry
 * (message, when a cycle last gave it, in how many cycles in a row) and as drover's `pendingReason`.
 */
import type { AskInfo } from '../port.js';
import { ALLOCATION_TAGS } from '../port.js';
import type { AllocationRecord, Ask } from '../scheduler/application.js';
import type { AllocationDao, AskDao } from './dao.js';
import { daoMap, ns, omitEmpty } from './json.js';

export function askDao(ask: Ask): AskDao {
  const { info, reason } = ask;
  const seen = ask.reasonSeen;
  return {
    allocationKey: info.allocationKey,
    ...omitEmpty('allocationTags', allocationTags(info)),
    ...omitEmpty('requestTime', ns(ask.createdAt)),
    ...omitEmpty('resource', daoMap(info.resource)),
    priority: String(info.priority),
    ...omitEmpty('requiredNodeId', info.requiredNode),
    applicationId: info.applicationId,
    ...omitEmpty('placeholder', info.placeholder === true),
    ...omitEmpty('taskGroupName', info.taskGroup),
    ...omitEmpty('triggeredPreemption', ask.preemption !== undefined),
    ...omitEmpty('originator', info.originator === true),
    ...omitEmpty(
      'allocationLog',
      reason === null ? undefined : [{ message: reason.message, ...omitEmpty('lastOccurrence', seen === undefined ? undefined : ns(seen.last)), ...omitEmpty('count', seen?.count) }],
    ),
    // A cycle has looked at the ask once it failed in one or was given a reason after one.
    ...omitEmpty('schedulingAttempted', reason !== null || ask.failedIn >= 0),
    ...omitEmpty('pendingReason', reason === null ? undefined : { code: reason.code, message: reason.message }),
  };
}

export function allocationDao(record: AllocationRecord): AllocationDao {
  const info = record.ask.info;
  return {
    allocationKey: record.key,
    ...omitEmpty('allocationTags', allocationTags(info)),
    ...omitEmpty('requestTime', ns(record.ask.createdAt)),
    ...omitEmpty('allocationTime', ns(record.allocatedAt)),
    ...omitEmpty('allocationDelay', ns(record.allocatedAt - record.ask.createdAt)),
    ...omitEmpty('resource', daoMap(info.resource)),
    priority: String(info.priority),
    nodeId: record.nodeId,
    applicationId: info.applicationId,
    ...omitEmpty('placeholder', info.placeholder === true),
    ...omitEmpty('placeholderUsed', record.tookOver === true),
    ...omitEmpty('taskGroupName', info.taskGroup),
    ...omitEmpty('preempted', record.releasing === 'Preempted'),
    ...omitEmpty('originator', info.originator === true),
  };
}

/** The tags the core knows of an ask: its role, when the resource manager gave one. */
function allocationTags(info: AskInfo): Readonly<Record<string, string>> | undefined {
  return info.role === undefined || info.role === '' ? undefined : { [ALLOCATION_TAGS.role]: info.role };
}

/** Allocations in the order they were made (ties by key, for output stable run to run). */
export function byAllocationTime(a: AllocationRecord, b: AllocationRecord): number {
  return a.allocatedAt - b.allocatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

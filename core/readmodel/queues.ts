/**
 * Queues as YuniKorn's PartitionQueueDAOInfo, its derived values computed as YuniKorn computes them:
 *   maxResource      the configured max; the root's is the cluster size (schedulable nodes), none without nodes
 *   absUsedCapacity  trunc(allocated / max * 100) per type of max
 *   headroom         max - allocated for the types of max, component-wise min with the parent's headroom
 *                    (a type absent on one side is unlimited there); a queue without max has its parent's
 *   currentPriority  the core's queue priority (Queue.currentPriority), INT32_MIN when nothing waits
 * and queue properties are read with the same typed readers the scheduler uses.
 */
import { PROPERTY_READERS } from '../config/properties.js';
import type { Resource } from '../resources/resource.js';
import { isZero, minOfMax } from '../resources/resource.js';
import type { Partition } from '../scheduler/partition.js';
import type { Queue, QueueStatus } from '../scheduler/queue.js';
import type { QueueDao, TemplateDao } from './dao.js';
import { INT32_MAX, INT32_MIN, absUsedCapacity, byteOrder, daoMap, goDuration, omitEmpty, orNull, sortedRecord, subOnlyExisting, usageMap } from './json.js';

/** drover's queue status -> YuniKorn's queue state name (YuniKorn also has `Stopped`, which drover never uses). */
const STATUS: Readonly<Record<QueueStatus, string>> = { Active: 'Active', Draining: 'Draining' };

/** YuniKorn sorts the children of a parent queue fairly; leaves sort applications by their own policy. */
const PARENT_SORT_POLICY = 'fair';

/** The queue's max as YuniKorn holds it: null when unlimited; the root's is the size of the cluster. */
function maxOf(q: Queue, p: Partition): Resource | null {
  if (q.parent !== null) return orNull(q.settings.max);
  return isZero(p.nodes.capacity) ? null : p.nodes.capacity;
}

function headroom(q: Queue, p: Partition): Resource | null {
  const parent = q.parent === null ? null : headroom(q.parent, p);
  const max = maxOf(q, p);
  if (max === null) return parent;
  const own = subOnlyExisting(max, q.allocated);
  return parent === null ? own : minOfMax(own, parent);
}

/** The core's queue priority in YuniKorn's int32 range; INT32_MIN (YuniKorn's MinPriority) when nothing waits. */
function currentPriority(q: Queue): number {
  const v = q.currentPriority();
  return v === Number.MIN_SAFE_INTEGER ? INT32_MIN : Math.min(INT32_MAX, Math.max(INT32_MIN, v));
}

function templateDao(q: Queue): TemplateDao | undefined {
  const t = q.settings.template;
  if (q.isLeaf || t === null) return undefined;
  return {
    ...omitEmpty('maxApplications', t.maxApplications),
    ...omitEmpty('maxResource', daoMap(t.max)),
    ...omitEmpty('guaranteedResource', daoMap(t.guaranteed)),
    ...omitEmpty('properties', sortedRecord(t.properties)),
  };
}

function sortedChildren(q: Queue): Queue[] {
  return [...q.children.values()].sort((a, b) => byteOrder(a.name, b.name));
}

function queueDao(q: Queue, p: Partition, subtree: boolean): QueueDao {
  const props = q.settings.properties;
  const children = sortedChildren(q);
  const max = maxOf(q, p);
  const preemption = PROPERTY_READERS['preemption.policy'](props['preemption.policy'] ?? '').value;
  // YuniKorn reads preemption.delay on leaves only; the others keep the default.
  const delay = PROPERTY_READERS['preemption.delay'](q.isLeaf ? (props['preemption.delay'] ?? '') : '').value;
  return {
    queuename: q.path,
    status: STATUS[q.status],
    partition: p.name,
    ...omitEmpty('pendingResource', usageMap(q.pending)),
    ...omitEmpty('maxResource', daoMap(max)),
    ...omitEmpty('guaranteedResource', daoMap(q.parent === null ? null : q.settings.guaranteed)),
    ...omitEmpty('allocatedResource', usageMap(q.allocated)),
    ...omitEmpty('headroom', daoMap(headroom(q, p))),
    isLeaf: q.isLeaf,
    isManaged: q.isManaged,
    ...omitEmpty('properties', sortedRecord(props)),
    ...omitEmpty('parent', q.parent?.path),
    ...omitEmpty('template', templateDao(q)),
    ...omitEmpty('children', subtree ? children.map((c) => queueDao(c, p, true)) : undefined),
    ...omitEmpty('childNames', children.map((c) => c.path)),
    ...omitEmpty('absUsedCapacity', daoMap(absUsedCapacity(max, q.allocated))),
    ...omitEmpty('maxRunningApps', q.settings.maxApplications),
    ...omitEmpty('runningApps', q.runningApps),
    currentPriority: currentPriority(q),
    sortingPolicy: q.isLeaf ? q.sortPolicy : PARENT_SORT_POLICY,
    prioritySorting: q.prioritySorting,
    preemptionEnabled: preemption !== 'disabled',
    isPreemptionFence: preemption === 'fence',
    preemptionDelay: goDuration(delay),
    isPriorityFence: q.priorityPolicy === 'fence',
    ...omitEmpty('priorityOffset', q.priorityOffset),
  };
}

/**
 * One queue by its full path (any case); its `children` only with `subtree` (YuniKorn's `?subtree`), its
 * `childNames` always. Null when the queue does not exist.
 */
export function queueView(p: Partition, path: string, opts: { readonly subtree: boolean }): QueueDao | null {
  const q = p.tree.get(path);
  return q === undefined ? null : queueDao(q, p, opts.subtree);
}

/** The root queue with all its descendants (`/partition/{p}/queues`). */
export function queuesView(p: Partition): QueueDao {
  return queueDao(p.tree.root, p, true);
}

/**
 * Partitions and clusters as YuniKorn's PartitionInfo and ClusterDAOInfo: the cluster size (schedulable
 * nodes, the root queue's max) and what of it is allocated, the node sorting policy, application counts
 * per state, and the partition's state, which in drover is always `Active` from its creation on.
 */
import type { Partition } from '../scheduler/partition.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { applicationGroup } from './applications.js';
import type { ClusterDao, PartitionInfo } from './dao.js';
import { absUsedCapacity, daoMap, ns, omitEmpty, sortedRecord, usageMap } from './json.js';

/** YuniKorn's partition state while it schedules (the others are Draining and Stopped). */
const ACTIVE = 'Active';
/** The cluster name YuniKorn reports for its Kubernetes resource manager. */
export const CLUSTER_NAME = 'kubernetes';

/** Applications per state name, plus `total`; expired ones are forgotten, as YuniKorn forgets them. */
function applicationCounts(p: Partition): Record<string, number> {
  const counts: Record<string, number> = {};
  let total = 0;
  for (const app of p.apps.values()) {
    if (applicationGroup(app) === null) continue;
    counts[app.state] = (counts[app.state] ?? 0) + 1;
    total++;
  }
  counts['total'] = total;
  return sortedRecord(counts);
}

function partitionInfo(p: Partition, clusterId: string): PartitionInfo {
  const capacity = p.nodes.capacity;
  const used = p.tree.root.allocated;
  const sort = p.config.nodeSortPolicy;
  return {
    clusterId,
    name: p.name,
    capacity: {
      ...omitEmpty('capacity', daoMap(capacity)),
      ...omitEmpty('usedCapacity', usageMap(used)),
      ...omitEmpty('utilization', daoMap(absUsedCapacity(capacity, used))),
    },
    nodeSortingPolicy: { type: sort.type, ...omitEmpty('resourceWeights', sortedRecord(sort.resourceWeights)) },
    preemptionEnabled: p.config.preemption.enabled,
    quotaPreemptionEnabled: p.config.preemption.quotaPreemptionEnabled,
    ...omitEmpty('totalNodes', p.nodes.byId.size),
    applications: applicationCounts(p),
    ...omitEmpty('totalContainers', p.allocations.size),
    state: ACTIVE,
    ...omitEmpty('lastStateTransitionTime', ns(p.createdAt)),
  };
}

/** Every partition (`/ws/v1/partitions`); `clusterId` is the resource manager's id. */
export function partitionsView(s: Scheduler, clusterId: string): PartitionInfo[] {
  return s.partitions().map((p) => partitionInfo(p, clusterId));
}

/**
 * One entry per partition (`/ws/v1/clusters`). The start time is the scheduler's: the creation of its
 * first partition. The build information comes from the resource manager.
 */
export function clustersView(s: Scheduler, rmBuildInformation: readonly Readonly<Record<string, string>>[] = []): ClusterDao[] {
  const partitions = s.partitions();
  const start = Math.min(...partitions.map((p) => p.createdAt));
  return partitions.map((p) => ({
    ...omitEmpty('startTime', ns(start)),
    ...omitEmpty('rmBuildInformation', rmBuildInformation),
    partition: p.name,
    clusterName: CLUSTER_NAME,
  }));
}

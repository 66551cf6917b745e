/**
 * The read models' shapes: YuniKorn's REST DAOs (pkg/webservice/dao) as TypeScript interfaces, field names
 * and nesting exactly as YuniKorn serialises them. A field YuniKorn tags `omitempty` is optional here and
 * absent when empty (see json.ts); a field without it is always present. drover's own additions are marked
 * as such and only ever add fields, never change one of YuniKorn's.
 */
import type { PendingReasonCode } from '../port.js';

/** `{ name: integer }` in base units (vcore millicores, memory bytes), keys sorted as Go sorts map keys. */
export type ResourceMap = Readonly<Record<string, number>>;

/** ClusterDAOInfo (`/ws/v1/clusters`). */
export interface ClusterDao {
  readonly startTime?: number;
  readonly rmBuildInformation?: readonly Readonly<Record<string, string>>[];
  readonly partition: string;
  readonly clusterName: string;
}

/** PartitionCapacity. */
export interface PartitionCapacityDao {
  readonly capacity?: ResourceMap;
  readonly usedCapacity?: ResourceMap;
  /** Percent per resource type, truncated to an integer. */
  readonly utilization?: ResourceMap;
}

export interface NodeSortingPolicyDao {
  readonly type?: string;
  readonly resourceWeights?: Readonly<Record<string, number>>;
}

/** PartitionInfo (`/ws/v1/partitions`). */
export interface PartitionInfo {
  readonly clusterId: string;
  readonly name: string;
  readonly capacity: PartitionCapacityDao;
  readonly nodeSortingPolicy: NodeSortingPolicyDao;
  readonly preemptionEnabled: boolean;
  readonly quotaPreemptionEnabled: boolean;
  readonly totalNodes?: number;
  /** Applications per state name, plus `total`. */
  readonly applications?: Readonly<Record<string, number>>;
  readonly totalContainers?: number;
  readonly state?: string;
  readonly lastStateTransitionTime?: number;
}

/** TemplateInfo: the child template of a parent queue. */
export interface TemplateDao {
  readonly maxApplications?: number;
  readonly maxResource?: ResourceMap;
  readonly guaranteedResource?: ResourceMap;
  readonly properties?: Readonly<Record<string, string>>;
}

/** PartitionQueueDAOInfo (`/queues`, `/queue/{q}`). */
export interface QueueDao {
  readonly queuename: string;
  readonly status?: string;
  readonly partition: string;
  readonly pendingResource?: ResourceMap;
  readonly maxResource?: ResourceMap;
  readonly guaranteedResource?: ResourceMap;
  readonly allocatedResource?: ResourceMap;
  readonly preemptingResource?: ResourceMap;
  readonly headroom?: ResourceMap;
  readonly isLeaf: boolean;
  readonly isManaged: boolean;
  readonly properties?: Readonly<Record<string, string>>;
  readonly parent?: string;
  readonly template?: TemplateDao;
  readonly children?: readonly QueueDao[];
  readonly childNames?: readonly string[];
  /** Percent of maxResource used, per type. */
  readonly absUsedCapacity?: ResourceMap;
  readonly maxRunningApps?: number;
  readonly runningApps?: number;
  readonly currentPriority: number;
  readonly allocatingAcceptedApps?: readonly string[];
  readonly sortingPolicy?: string;
  readonly prioritySorting: boolean;
  readonly preemptionEnabled: boolean;
  readonly isPreemptionFence: boolean;
  /** A Go duration (`30s`, `1m30s`). */
  readonly preemptionDelay?: string;
  readonly isPriorityFence: boolean;
  readonly priorityOffset?: number;
}

/** AllocationAskLogDAOInfo. */
export interface AllocationLogDao {
  readonly message?: string;
  readonly lastOccurrence?: number;
  readonly count?: number;
}

/** drover's addition on a request: why it waits, as the core's port reports it. */
export interface PendingReasonDao {
  readonly code: PendingReasonCode;
  readonly message: string;
}

/** AllocationAskDAOInfo: a pending request of an application. */
export interface AskDao {
  readonly allocationKey: string;
  readonly allocationTags?: Readonly<Record<string, string>>;
  readonly requestTime?: number;
  readonly resource?: ResourceMap;
  /** The priority as a decimal string, as YuniKorn gives it. */
  readonly priority?: string;
  readonly requiredNodeId?: string;
  readonly applicationId?: string;
  readonly placeholder?: boolean;
  readonly placeholderTimeout?: number;
  readonly taskGroupName?: string;
  readonly allocationLog?: readonly AllocationLogDao[];
  readonly triggeredPreemption?: boolean;
  readonly originator?: boolean;
  readonly schedulingAttempted?: boolean;
  readonly triggeredScaleUp?: boolean;
  /** drover's addition. */
  readonly pendingReason?: PendingReasonDao;
}

/** AllocationDAOInfo: an allocation (a bound pod). */
export interface AllocationDao {
  readonly allocationKey: string;
  readonly allocationTags?: Readonly<Record<string, string>>;
  readonly requestTime?: number;
  readonly allocationTime?: number;
  /** allocationTime - requestTime, in nanoseconds. */
  readonly allocationDelay?: number;
  readonly resource?: ResourceMap;
  readonly priority?: string;
  readonly nodeId?: string;
  readonly applicationId?: string;
  readonly placeholder?: boolean;
  readonly placeholderUsed?: boolean;
  readonly taskGroupName?: string;
  readonly preempted?: boolean;
  readonly originator?: boolean;
}

/** StateDAOInfo: one entry of an application's state log. */
export interface StateDao {
  readonly time?: number;
  readonly applicationState?: string;
}

/** PlaceholderDAOInfo: one task group of a gang. */
export interface PlaceholderDao {
  readonly taskGroupName?: string;
  readonly count?: number;
  readonly minResource?: ResourceMap;
  readonly replaced?: number;
  readonly timedout?: number;
}

/** ApplicationDAOInfo. */
export interface ApplicationDao {
  readonly applicationID: string;
  readonly usedResource?: ResourceMap;
  readonly maxUsedResource?: ResourceMap;
  readonly pendingResource?: ResourceMap;
  readonly partition: string;
  readonly queueName: string;
  readonly submissionTime?: number;
  readonly finishedTime?: number;
  readonly requests?: readonly AskDao[];
  readonly allocations?: readonly AllocationDao[];
  readonly applicationState?: string;
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly rejectedMessage?: string;
  readonly stateLog?: readonly StateDao[];
  readonly placeholderData?: readonly PlaceholderDao[];
  readonly hasReserved?: boolean;
  readonly reservations?: readonly string[];
  readonly maxRequestPriority?: number;
  /** Unix milliseconds (YuniKorn fills this one with UnixMilli, unlike every other time). */
  readonly startTime?: number;
}

/** NodeDAOInfo. */
export interface NodeDao {
  readonly nodeID: string;
  readonly hostName?: string;
  readonly rackName?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly capacity?: ResourceMap;
  readonly allocated?: ResourceMap;
  /** Used by pods of other schedulers. */
  readonly occupied?: ResourceMap;
  readonly available?: ResourceMap;
  /** Percent of capacity allocated, per type. */
  readonly utilized?: ResourceMap;
  readonly allocations?: readonly AllocationDao[];
  readonly foreignAllocations?: readonly AllocationDao[];
  readonly schedulable: boolean;
  readonly isReserved: boolean;
  readonly reservations?: readonly string[];
}

/** FilterDAO of a placement rule. */
export interface FilterDao {
  readonly type: 'allow' | 'deny';
  readonly userList?: readonly string[];
  readonly groupList?: readonly string[];
  readonly userExp?: string;
  readonly groupExp?: string;
}

/** RuleDAO (`/placementrules`). */
export interface PlacementRuleDao {
  readonly name: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly filter?: FilterDao;
  readonly parentRule?: PlacementRuleDao;
}

/** ResourceUsageDAOInfo: one queue of a user's or group's usage tree. No field is omitempty. */
export interface ResourceUsageDao {
  readonly queuePath: string;
  readonly resourceUsage: ResourceMap;
  readonly runningApplications: readonly string[];
  readonly maxResources: ResourceMap;
  readonly maxApplications: number;
  readonly children: readonly ResourceUsageDao[];
}

/** UserResourceUsageDAOInfo (`/usage/users`, `/usage/user/{u}`). */
export interface UserUsageDao {
  readonly userName: string;
  /** Application id -> the group it counts against, for applications that count against one. */
  readonly groups: Readonly<Record<string, string>>;
  readonly queues: ResourceUsageDao;
}

/** GroupResourceUsageDAOInfo (`/usage/groups`, `/usage/group/{g}`). */
export interface GroupUsageDao {
  readonly groupName: string;
  readonly applications: readonly string[];
  readonly queues: ResourceUsageDao;
}

/** NodeUtilDAOInfo: one bucket (`0-10%` ... `90-100%`). */
export interface NodeUtilBucketDao {
  readonly bucketName?: string;
  readonly numOfNodes?: number;
  readonly nodeNames?: readonly string[];
}

/** NodesUtilDAOInfo: the ten buckets of one resource type. */
export interface NodesUtilDao {
  readonly type?: string;
  readonly utilization?: readonly NodeUtilBucketDao[];
}

/** PartitionNodesUtilDAOInfo (`/ws/v1/scheduler/node-utilizations`). */
export interface PartitionNodesUtilDao {
  readonly clusterId: string;
  readonly partition: string;
  readonly utilizations?: readonly NodesUtilDao[];
}

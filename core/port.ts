/**
 * The core's port: the only way in and out. The resource manager (the Kubernetes shim, the simulator,
 * tests) tells the core about nodes, applications, asks and configuration through `SchedulerApi`; the
 * core answers through `ResourceManagerCallback`. Plain readonly messages, no Kubernetes types.
 */
import type { Resource } from './resources/resource.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ApplicationId = Brand<string, 'ApplicationId'>;
export type NodeId = Brand<string, 'NodeId'>;
export type QueuePath = Brand<string, 'QueuePath'>;
export type AllocationKey = Brand<string, 'AllocationKey'>;

export const asApplicationId = (s: string) => s as ApplicationId;
export const asNodeId = (s: string) => s as NodeId;
export const asQueuePath = (s: string) => s as QueuePath;
export const asAllocationKey = (s: string) => s as AllocationKey;

/** YuniKorn's application states, by their names. */
export const APPLICATION_STATES = ['New', 'Accepted', 'Running', 'Completing', 'Completed', 'Rejected', 'Failing', 'Failed', 'Expired', 'Resuming'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** Why an ask waits, most specific first: when several apply, the first in this table wins. */
export const PENDING_REASONS = [
  'QueueQuotaExceeded',
  'UserQuotaExceeded',
  'GroupQuotaExceeded',
  'AppNotRunnable',
  'InsufficientCapacity',
  'GangPending',
  'ApplicationRejected',
] as const;
export type PendingReasonCode = (typeof PENDING_REASONS)[number];

export interface PendingReason {
  readonly code: PendingReasonCode;
  readonly message: string;
}

export interface UserGroup {
  readonly user: string;
  readonly groups: readonly string[];
}

export interface NodeInfo {
  readonly nodeId: NodeId;
  /** The partition the node belongs to; the first configured partition when absent. */
  readonly partition?: string;
  /** Allocatable resources. */
  readonly capacity: Resource;
  /** Used by pods the core does not schedule (other schedulers, static pods). */
  readonly occupied?: Resource;
  readonly schedulable: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Application tags the core reads besides those placement rules use: the quota of the namespace's
 * queue, set by the resource manager from namespace annotations. Resource values are JSON objects in
 * base units (`{"vcore": 2000, "memory": 4294967296}`); maxapps is a whole number.
 */
export const APP_TAGS = {
  namespace: 'namespace',
  parentQueue: 'namespace.parentqueue',
  quota: 'namespace.resourcequota',
  guaranteed: 'namespace.resourceguaranteed',
  maxApps: 'namespace.resourcemaxapps',
} as const;

/**
 * One task group of a gang (YuniKorn's `yunikorn.apache.org/task-groups`): `minMember` members of
 * `minResource` each (the pod itself counted as `pods: 1`) are reserved with placeholders before any
 * real pod of the application runs.
 */
export interface TaskGroup {
  readonly name: string;
  readonly minMember: number;
  readonly minResource: Resource;
}

export const GANG_STYLES = ['Soft', 'Hard'] as const;
export type GangStyle = (typeof GANG_STYLES)[number];

/** Gang scheduling of an application, as the resource manager read it from the originator pod. */
export interface Gang {
  readonly taskGroups: readonly TaskGroup[];
  /**
   * How long, from the first placeholder ask, the gang may take to be reserved, and how long unused
   * placeholders are kept (YuniKorn's `placeholderTimeoutInSeconds`), in ms.
   */
  readonly timeoutMs: number;
  /** On timeout, Soft falls back to normal scheduling; Hard fails the application. */
  readonly style: GangStyle;
}

export interface ApplicationInfo {
  readonly applicationId: ApplicationId;
  readonly partition?: string;
  /** The queue the submitter asked for (label or annotation), if any. */
  readonly queue?: string;
  readonly user: UserGroup;
  /** Values placement rules read: `namespace`, `namespace.parentqueue`, labels. */
  readonly tags: Readonly<Record<string, string>>;
  /** Found already running at recovery: never rejected. */
  readonly recovering?: boolean;
  /** Gang scheduling (task groups); absent for an ordinary application. */
  readonly gang?: Gang;
}

export interface AskInfo {
  readonly allocationKey: AllocationKey;
  readonly applicationId: ApplicationId;
  readonly resource: Resource;
  readonly priority: number;
  /** Only these nodes (node name / selector results decided by the resource manager), if set. */
  readonly requiredNode?: NodeId;
  /**
   * The pod's role in its application as the resource manager read it (`driver`, `executor`, `head`,
   * `worker`, `jobmanager`, `taskmanager`, `scheduler`, ...). Stored and shown as the allocation tag
   * `ALLOCATION_TAGS.role`. Preemption takes a driver, head, jobmanager or scheduler last.
   */
  readonly role?: string;
  /** A placeholder the resource manager made for a task group (not a pod the user wrote). */
  readonly placeholder?: boolean;
  /** The task group this ask belongs to (placeholders, and real pods that replace them). */
  readonly taskGroup?: string;
  /** The pod that created the application (YuniKorn's originator): taken last by preemption. */
  readonly originator?: boolean;
  /** False when the pod's PriorityClass opts out of preemption (`yunikorn.apache.org/allow-preemption: "false"`); taken only after every other candidate. */
  readonly allowPreemption?: boolean;
  /** False when the pod may not preempt others (`spec.preemptionPolicy: Never`). */
  readonly mayPreempt?: boolean;
}

/** Roles whose loss ends their whole application: preemption takes them last. */
export const DRIVER_ROLES: ReadonlySet<string> = new Set(['driver', 'head', 'jobmanager', 'scheduler', 'job-runner']);

/** Allocation tags the core sets in its read model (YuniKorn's `allocationTags`). */
export const ALLOCATION_TAGS = {
  role: 'drover.dev/role',
} as const;

export interface Allocation {
  readonly allocationKey: AllocationKey;
  readonly applicationId: ApplicationId;
  readonly nodeId: NodeId;
  readonly resource: Resource;
  /**
   * The placeholder this allocation takes over, on the same node: the resource manager removes the
   * placeholder first, then binds. The core has already moved the booking from one to the other.
   */
  readonly replaces?: AllocationKey;
}

/** Why the core asks the resource manager to remove an allocation or a placeholder ask. */
export const RELEASE_KINDS = ['Preempted', 'PlaceholderTimeout', 'PlaceholderUnused', 'GangFailed', 'GangAbandoned', 'ApplicationGone'] as const;
export type ReleaseKind = (typeof RELEASE_KINDS)[number];

export interface ReleaseRequest {
  readonly allocationKey: AllocationKey;
  readonly applicationId: ApplicationId;
  readonly kind: ReleaseKind;
  /** Words for the pod's event. */
  readonly message: string;
  /** Preemption: the ask the room is made for. */
  readonly preemptor?: AllocationKey;
}

/** An allocation found in place at (re)start: the allocation and what its ask said. */
export type RecoveredAllocation = Allocation & Omit<AskInfo, 'requiredNode'>;

export type ConfigUpdateResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** What the resource manager calls. */
export interface SchedulerApi {
  updateConfig(queuesYaml: string): ConfigUpdateResult;
  addNode(node: NodeInfo): void;
  updateNode(node: NodeInfo): void;
  removeNode(nodeId: NodeId): void;
  addApplication(app: ApplicationInfo): void;
  removeApplication(applicationId: ApplicationId): void;
  addAsk(ask: AskInfo): void;
  removeAsk(allocationKey: AllocationKey): void;
  /**
   * An allocation found in place when the resource manager (re)starts (a pod already bound): booked as
   * it is, on its node, queue and user, never checked against quotas and never rejected. Its
   * application is added first, with `recovering: true`.
   */
  recoverAllocation(allocation: RecoveredAllocation): void;
  /** A bound allocation finished (the pod succeeded, failed or was deleted). */
  releaseAllocation(allocationKey: AllocationKey): void;
  /**
   * The resource manager could not do what `release` asked (an eviction refused for good): the
   * allocation is an ordinary one again, and the ask it was to make room for may choose anew.
   */
  releaseRefused(allocationKey: AllocationKey): void;
  /** Run scheduling until nothing more can be allocated now; returns the allocations made. */
  schedule(): readonly Allocation[];
  /**
   * Give every waiting ask its reason without allocating (a replica that does not lead), so that what
   * it shows matches the leader's.
   */
  explain(): void;
  /** Forget the reasons given so far, so that the next cycle reports every waiting ask once more (a replica that starts leading). */
  forgetReasons(): void;
}

/** What the core calls back. */
export interface ResourceManagerCallback {
  allocated(allocation: Allocation): void;
  applicationStateChanged(applicationId: ApplicationId, from: ApplicationState, to: ApplicationState, message: string | null): void;
  askPending(allocationKey: AllocationKey, reason: PendingReason): void;
  /** The resource manager's predicates (taints, affinity, ports); the core asks before it places. */
  fits?(ask: AskInfo, nodeId: NodeId): boolean;
  /**
   * Remove this pod (preemption victim, or a placeholder no longer wanted). An allocation stays
   * booked on its node until the resource manager calls `releaseAllocation`; a placeholder ask that
   * was never placed is already gone from the core's books.
   */
  release?(request: ReleaseRequest): void;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  debug(fields: Readonly<Record<string, unknown>>, message: string): void;
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export const NO_LOGGER: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

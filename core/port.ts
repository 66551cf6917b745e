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
   * `ALLOCATION_TAGS.role`; the core does not act on it yet.
   */
  readonly role?: string;
}

/** Allocation tags the core sets in its read model (YuniKorn's `allocationTags`). */
export const ALLOCATION_TAGS = {
  role: 'drover.dev/role',
} as const;

export interface Allocation {
  readonly allocationKey: AllocationKey;
  readonly applicationId: ApplicationId;
  readonly nodeId: NodeId;
  readonly resource: Resource;
}

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
  recoverAllocation(allocation: Allocation & { readonly priority: number; readonly role?: string }): void;
  /** A bound allocation finished (the pod succeeded, failed or was deleted). */
  releaseAllocation(allocationKey: AllocationKey): void;
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

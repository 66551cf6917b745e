/**
 * The UI's own view of the scheduler, decoded from the REST answers: YuniKorn's `/ws/v1` shapes
 * (../shared/specs/rest-api.md) and drover's `/api/v1` additions. Only the fields the pages show are
 * kept; a missing optional field reads as absent, a field of the wrong type fails the whole answer with
 * its path (decode.ts), which the page reports instead of drawing nonsense.
 */
import type { Resource } from '../format.js';
import { nanosToMillis } from '../format.js';
import type { Json } from './decode.js';
import { EMPTY, array, bool, counts, num, object, optArray, optNum, optResource, optStr, resource, str, strings } from './decode.js';

export interface Queue {
  readonly path: string;
  /** The last part of the path. */
  readonly name: string;
  readonly depth: number;
  readonly status: string;
  readonly isLeaf: boolean;
  readonly isManaged: boolean;
  readonly guaranteed: Resource | undefined;
  readonly max: Resource | undefined;
  readonly allocated: Resource;
  readonly pending: Resource;
  readonly headroom: Resource | undefined;
  readonly runningApps: number;
  readonly maxRunningApps: number | undefined;
  readonly properties: Readonly<Record<string, string>>;
  readonly children: readonly Queue[];
}

export function decodeQueue(v: unknown, path = 'queue', depth = 0): Queue {
  const o = object(v, path);
  const queuePath = str(o, 'queuename', path);
  const children = optArray(o, 'children', path).map((c, i) => decodeQueue(c, `${path}.children[${i}]`, depth + 1));
  const maxApps = optNum(o, 'maxRunningApps', path);
  return {
    path: queuePath,
    name: queuePath.slice(queuePath.lastIndexOf('.') + 1),
    depth,
    status: optStr(o, 'status', path) ?? 'Active',
    isLeaf: bool(o, 'isLeaf', path),
    isManaged: bool(o, 'isManaged', path),
    guaranteed: optResource(o, 'guaranteedResource', path),
    max: optResource(o, 'maxResource', path),
    allocated: resource(o, 'allocatedResource', path),
    pending: resource(o, 'pendingResource', path),
    headroom: optResource(o, 'headroom', path),
    runningApps: optNum(o, 'runningApps', path) ?? 0,
    // YuniKorn reports 0 for "no limit".
    maxRunningApps: maxApps === undefined || maxApps === 0 ? undefined : maxApps,
    properties: strings(o, 'properties', path),
    children,
  };
}

/** What a pod is to its application: its role (driver, executor, head, worker, ...), task group, placeholder. */
export interface PodKind {
  readonly role: string | undefined;
  readonly taskGroup: string | undefined;
  readonly placeholder: boolean;
  readonly originator: boolean;
}

export interface Allocation extends PodKind {
  readonly key: string;
  readonly nodeId: string | undefined;
  readonly resource: Resource;
  /** Unix milliseconds. */
  readonly allocatedAt: number | undefined;
  /** Asked to leave by preemption, not gone yet. */
  readonly preempted: boolean;
  /** A pod that took over a placeholder of its task group. */
  readonly placeholderUsed: boolean;
}

export interface Request extends PodKind {
  readonly key: string;
  readonly resource: Resource;
  readonly requestedAt: number | undefined;
  readonly reason: PendingReason | undefined;
  /** Other pods are being preempted to make room for it. */
  readonly preempting: boolean;
}

/** One task group of a gang application (YuniKorn's placeholderData). */
export interface TaskGroupView {
  readonly name: string;
  readonly members: number;
  readonly minResource: Resource;
  readonly replaced: number;
  readonly timedOut: number;
}

/** The allocation tag that carries a pod's role. */
export const ROLE_TAG = 'drover.dev/role';

function podKind(x: Json, p: string): PodKind {
  return {
    role: strings(x, 'allocationTags', p)[ROLE_TAG],
    taskGroup: optStr(x, 'taskGroupName', p),
    placeholder: bool(x, 'placeholder', p, false),
    originator: bool(x, 'originator', p, false),
  };
}

export interface PendingReason {
  readonly code: string;
  readonly message: string;
}

export interface Application {
  readonly id: string;
  readonly queue: string;
  readonly state: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly used: Resource;
  readonly pending: Resource;
  /** Unix milliseconds. */
  readonly submittedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly allocations: readonly Allocation[];
  readonly requests: readonly Request[];
  readonly rejectedMessage: string | undefined;
  readonly stateLog: readonly { readonly state: string; readonly at: number | undefined }[];
  /** Task groups, for a gang application; empty otherwise. */
  readonly taskGroups: readonly TaskGroupView[];
}

function decodeReason(o: Json, key: string, path: string): PendingReason | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const r = object(v, `${path}.${key}`);
  return { code: str(r, 'code', `${path}.${key}`), message: str(r, 'message', `${path}.${key}`) };
}

export function decodeApplication(v: unknown, path = 'application'): Application {
  const o = object(v, path);
  return {
    id: str(o, 'applicationID', path),
    queue: str(o, 'queueName', path),
    state: optStr(o, 'applicationState', path) ?? 'New',
    user: optStr(o, 'user', path) ?? '',
    groups: optArray(o, 'groups', path).map((g, i) => {
      if (typeof g !== 'string') throw new Error(`${path}.groups[${i}]: expected a string`);
      return g;
    }),
    used: resource(o, 'usedResource', path),
    pending: resource(o, 'pendingResource', path),
    submittedAt: nanosToMillis(optNum(o, 'submissionTime', path)),
    finishedAt: nanosToMillis(optNum(o, 'finishedTime', path)),
    allocations: optArray(o, 'allocations', path).map((a, i) => {
      const p = `${path}.allocations[${i}]`;
      const x = object(a, p);
      return {
        key: str(x, 'allocationKey', p),
        nodeId: optStr(x, 'nodeId', p),
        resource: resource(x, 'resource', p),
        allocatedAt: nanosToMillis(optNum(x, 'allocationTime', p)),
        preempted: bool(x, 'preempted', p, false),
        placeholderUsed: bool(x, 'placeholderUsed', p, false),
        ...podKind(x, p),
      };
    }),
    requests: optArray(o, 'requests', path).map((a, i) => {
      const p = `${path}.requests[${i}]`;
      const x = object(a, p);
      return {
        key: str(x, 'allocationKey', p),
        resource: resource(x, 'resource', p),
        requestedAt: nanosToMillis(optNum(x, 'requestTime', p)),
        reason: decodeReason(x, 'pendingReason', p),
        preempting: bool(x, 'triggeredPreemption', p, false),
        ...podKind(x, p),
      };
    }),
    rejectedMessage: optStr(o, 'rejectedMessage', path),
    stateLog: optArray(o, 'stateLog', path).map((e, i) => {
      const p = `${path}.stateLog[${i}]`;
      const x = object(e, p);
      return { state: optStr(x, 'applicationState', p) ?? '', at: nanosToMillis(optNum(x, 'time', p)) };
    }),
    taskGroups: optArray(o, 'placeholderData', path).map((g, i) => {
      const p = `${path}.placeholderData[${i}]`;
      const x = object(g, p);
      return { name: optStr(x, 'taskGroupName', p) ?? '', members: optNum(x, 'count', p) ?? 0, minResource: resource(x, 'minResource', p), replaced: optNum(x, 'replaced', p) ?? 0, timedOut: optNum(x, 'timedout', p) ?? 0 };
    }),
  };
}

export const decodeApplications = (v: unknown): Application[] => array(v, 'applications').map((a, i) => decodeApplication(a, `applications[${i}]`));

export interface Node {
  readonly id: string;
  readonly hostName: string;
  readonly rackName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly capacity: Resource;
  readonly allocated: Resource;
  /** Used by pods of other schedulers. */
  readonly occupied: Resource;
  readonly available: Resource;
  /** Percent of capacity allocated, per type. */
  readonly utilized: Resource;
  readonly schedulable: boolean;
  readonly reserved: boolean;
  readonly allocationCount: number;
  readonly foreignCount: number;
}

export function decodeNode(v: unknown, path = 'node'): Node {
  const o = object(v, path);
  return {
    id: str(o, 'nodeID', path),
    hostName: optStr(o, 'hostName', path) ?? '',
    rackName: optStr(o, 'rackName', path) ?? '',
    attributes: strings(o, 'attributes', path),
    capacity: resource(o, 'capacity', path),
    allocated: resource(o, 'allocated', path),
    occupied: resource(o, 'occupied', path),
    available: resource(o, 'available', path),
    utilized: resource(o, 'utilized', path),
    schedulable: bool(o, 'schedulable', path),
    reserved: bool(o, 'isReserved', path, false),
    allocationCount: optArray(o, 'allocations', path).length,
    foreignCount: optArray(o, 'foreignAllocations', path).length,
  };
}

export const decodeNodes = (v: unknown): Node[] => array(v, 'nodes').map((n, i) => decodeNode(n, `nodes[${i}]`));

export interface PartitionSummary {
  readonly name: string;
  readonly capacity: Resource;
  readonly used: Resource;
  readonly totalNodes: number;
  readonly applications: Readonly<Record<string, number>>;
  readonly totalContainers: number;
}

export function decodePartitions(v: unknown): PartitionSummary[] {
  return array(v, 'partitions').map((x, i) => {
    const path = `partitions[${i}]`;
    const o = object(x, path);
    const cap = object(o['capacity'] ?? {}, `${path}.capacity`);
    return {
      name: str(o, 'name', path),
      capacity: resource(cap, 'capacity', `${path}.capacity`),
      used: resource(cap, 'usedCapacity', `${path}.capacity`),
      totalNodes: optNum(o, 'totalNodes', path) ?? 0,
      applications: counts(o, 'applications', path),
      totalContainers: optNum(o, 'totalContainers', path) ?? 0,
    };
  });
}

export interface HealthCheck {
  readonly name: string;
  readonly succeeded: boolean;
  readonly description: string;
  readonly diagnosis: string;
}

export interface Health {
  readonly healthy: boolean;
  readonly checks: readonly HealthCheck[];
}

export function decodeHealth(v: unknown): Health {
  const o = object(v, 'health');
  return {
    healthy: bool(o, 'Healthy', 'health'),
    checks: optArray(o, 'HealthChecks', 'health').map((c, i) => {
      const path = `health.HealthChecks[${i}]`;
      const x = object(c, path);
      return {
        name: str(x, 'Name', path),
        succeeded: bool(x, 'Succeeded', path),
        description: optStr(x, 'Description', path) ?? '',
        diagnosis: optStr(x, 'DiagnosisMessage', path) ?? '',
      };
    }),
  };
}

/** One waiting ask from drover's `/api/v1/partition/{p}/pending`. */
export interface PendingAsk {
  readonly allocationKey: string;
  readonly applicationId: string;
  readonly queue: string;
  readonly user: string;
  readonly resource: Resource;
  /** Unix milliseconds. */
  readonly requestedAt: number | undefined;
  /** Absent until an allocation cycle has looked at the ask. */
  readonly reason: PendingReason | undefined;
}

export interface PendingList {
  /** Waiting asks in the partition (all of them: the UI asks without a limit). */
  readonly total: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly asks: readonly PendingAsk[];
}

export function decodePending(v: unknown): PendingList {
  const o = object(v, 'pending');
  return {
    total: num(o, 'total', 'pending'),
    byReason: counts(o, 'byReason', 'pending'),
    asks: optArray(o, 'asks', 'pending').map((x, i) => {
      const path = `pending.asks[${i}]`;
      const a = object(x, path);
      return {
        allocationKey: str(a, 'allocationKey', path),
        applicationId: str(a, 'applicationId', path),
        queue: str(a, 'queue', path),
        user: optStr(a, 'user', path) ?? '',
        resource: resource(a, 'resource', path),
        requestedAt: nanosToMillis(optNum(a, 'requestTime', path)),
        reason: decodeReason(a, 'reason', path),
      };
    }),
  };
}

export interface UtilisationHistogram {
  readonly type: string;
  /** Ten buckets, 0-10% first. */
  readonly buckets: readonly { readonly name: string; readonly nodes: number }[];
}

/** drover's `/api/v1/partition/{p}/summary`: the dashboard in one answer. */
export interface ClusterSummary {
  readonly capacity: Resource;
  readonly used: Resource;
  readonly pending: Resource;
  readonly applications: Readonly<Record<string, number>>;
  readonly nodes: { readonly total: number; readonly schedulable: number; readonly unschedulable: number };
  readonly histograms: readonly UtilisationHistogram[];
  readonly queues: { readonly total: number; readonly overGuaranteed: number; readonly atMax: number; readonly draining: number };
  /** Waiting asks per reason code; `none`: not looked at yet. */
  readonly waiting: Readonly<Record<string, number>>;
  readonly allocations: number;
}

export function decodeSummary(v: unknown): ClusterSummary {
  const path = 'summary';
  const o = object(v, path);
  const cap = object(o['capacity'], `${path}.capacity`);
  const nodes = object(o['nodes'], `${path}.nodes`);
  const queues = object(o['queues'], `${path}.queues`);
  const pending = object(o['pending'], `${path}.pending`);
  return {
    capacity: resource(cap, 'capacity', `${path}.capacity`),
    used: resource(cap, 'used', `${path}.capacity`),
    pending: resource(cap, 'pending', `${path}.capacity`),
    applications: counts(o, 'applications', path),
    nodes: { total: num(nodes, 'total', `${path}.nodes`), schedulable: num(nodes, 'schedulable', `${path}.nodes`), unschedulable: num(nodes, 'unschedulable', `${path}.nodes`) },
    histograms: optArray(o, 'nodeUtilization', path).map((h, i) => {
      const hp = `${path}.nodeUtilization[${i}]`;
      const x = object(h, hp);
      return {
        type: str(x, 'type', hp),
        buckets: optArray(x, 'buckets', hp).map((b, j) => {
          const bp = `${hp}.buckets[${j}]`;
          const y = object(b, bp);
          return { name: str(y, 'bucketName', bp), nodes: num(y, 'numOfNodes', bp) };
        }),
      };
    }),
    queues: {
      total: num(queues, 'total', `${path}.queues`),
      overGuaranteed: num(queues, 'overGuaranteed', `${path}.queues`),
      atMax: num(queues, 'atMax', `${path}.queues`),
      draining: num(queues, 'draining', `${path}.queues`),
    },
    waiting: counts(pending, 'byReason', `${path}.pending`),
    allocations: num(o, 'allocations', path),
  };
}

export { EMPTY };

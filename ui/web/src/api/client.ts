/**
 * The REST endpoints the UI reads, as (url, decoder) pairs, and the one fetch they all go through.
 * An error answer in YuniKorn's shape (`{ status_code, message, description }`) becomes an ApiError
 * carrying its message, which the page shows as is.
 */
import { isObject } from './decode.js';
import type { Application, ClusterSummary, Health, Node, PartitionSummary, PendingList, Queue } from './model.js';
import { decodeApplication, decodeApplications, decodeHealth, decodeNodes, decodePartitions, decodePending, decodeQueue, decodeSummary } from './model.js';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Endpoint<T> {
  readonly url: string;
  readonly decode: (json: unknown) => T;
}

const seg = encodeURIComponent;

/** The three lists YuniKorn keeps applications in, by the states they hold. */
export const APPLICATION_GROUPS = {
  active: ['New', 'Accepted', 'Running', 'Completing', 'Failing', 'Resuming'],
  completed: ['Completed', 'Failed'],
  rejected: ['Rejected'],
} as const satisfies Record<string, readonly string[]>;
export type ApplicationGroup = keyof typeof APPLICATION_GROUPS;

export function groupOfState(state: string | undefined): ApplicationGroup {
  if (state === undefined) return 'active';
  for (const [group, states] of Object.entries(APPLICATION_GROUPS) as [ApplicationGroup, readonly string[]][]) {
    if (states.includes(state)) return group;
  }
  return 'active';
}

export const endpoints = {
  partitions: (): Endpoint<PartitionSummary[]> => ({ url: '/ws/v1/partitions', decode: decodePartitions }),
  queues: (p: string): Endpoint<Queue> => ({ url: `/ws/v1/partition/${seg(p)}/queues`, decode: decodeQueue }),
  applications: (p: string, group: ApplicationGroup): Endpoint<Application[]> => ({ url: `/ws/v1/partition/${seg(p)}/applications/${group}`, decode: decodeApplications }),
  application: (p: string, id: string): Endpoint<Application> => ({ url: `/ws/v1/partition/${seg(p)}/application/${seg(id)}`, decode: decodeApplication }),
  nodes: (p: string): Endpoint<Node[]> => ({ url: `/ws/v1/partition/${seg(p)}/nodes`, decode: decodeNodes }),
  health: (): Endpoint<Health> => ({ url: '/ws/v1/scheduler/healthcheck', decode: decodeHealth }),
  pending: (p: string): Endpoint<PendingList> => ({ url: `/api/v1/partition/${seg(p)}/pending`, decode: decodePending }),
  summary: (p: string): Endpoint<ClusterSummary> => ({ url: `/api/v1/partition/${seg(p)}/summary`, decode: decodeSummary }),
};

/** The server-sent events feed: `changed` with `{ version }` whenever the scheduler's state changed. */
export const STREAM_URL = '/api/v1/stream';

async function errorMessage(res: Response): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (isObject(body) && typeof body['message'] === 'string') return body['message'];
  } catch {
    // Not JSON: fall back to the status line.
  }
  return `${res.status} ${res.statusText}`;
}

export async function fetchJson<T>(endpoint: Endpoint<T>, signal: AbortSignal): Promise<T> {
  const res = await fetch(endpoint.url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  const body: unknown = await res.json();
  return endpoint.decode(body);
}

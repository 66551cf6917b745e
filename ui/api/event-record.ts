/**
 * YuniKorn's event record (si.EventRecord of the scheduler interface) as the REST API serialises it:
 * Go's encoding/json over the protobuf struct, so the enums are numbers and every field is omitted when
 * empty; a resource is `{ resources: { name: { value } } }`. The numbers below are the interface's.
 */
import type { Resource } from '../../core/resources/resource.js';
import { byteOrder } from '../../core/readmodel/json.js';

export const EVENT_TYPE = { REQUEST: 1, APP: 2, NODE: 3, QUEUE: 4, USERGROUP: 5 } as const;
export type EventType = keyof typeof EVENT_TYPE;

export const CHANGE_TYPE = { NONE: 0, SET: 1, ADD: 2, REMOVE: 3 } as const;
export type ChangeType = keyof typeof CHANGE_TYPE;

export const CHANGE_DETAIL = {
  DETAILS_NONE: 0,
  REQUEST_CANCEL: 100,
  REQUEST_ALLOC: 101,
  REQUEST_TIMEOUT: 102,
  APP_ALLOC: 200,
  APP_REQUEST: 201,
  APP_REJECT: 202,
  APP_NEW: 203,
  APP_ACCEPTED: 204,
  APP_RUNNING: 206,
  APP_COMPLETING: 207,
  APP_COMPLETED: 208,
  APP_FAILING: 209,
  APP_FAILED: 210,
  APP_RESUMING: 211,
  APP_EXPIRED: 212,
  APP_CANNOTRUN_QUEUE: 213,
  APP_CANNOTRUN_QUOTA: 214,
  APP_RUNNABLE_QUEUE: 215,
  APP_RUNNABLE_QUOTA: 216,
  NODE_DECOMISSION: 300,
  NODE_READY: 301,
  NODE_SCHEDULABLE: 302,
  NODE_ALLOC: 303,
  NODE_CAPACITY: 304,
  NODE_OCCUPIED: 305,
  NODE_RESERVATION: 306,
  QUEUE_CONFIG: 400,
  QUEUE_DYNAMIC: 401,
  QUEUE_TYPE: 402,
  QUEUE_MAX: 403,
  QUEUE_GUARANTEED: 404,
  QUEUE_APP: 405,
  QUEUE_ALLOC: 406,
  ALLOC_CANCEL: 500,
  ALLOC_PREEMPT: 501,
  ALLOC_TIMEOUT: 502,
  ALLOC_REPLACED: 503,
  ALLOC_NODEREMOVED: 504,
  UG_USER_LIMIT: 600,
  UG_GROUP_LIMIT: 601,
  UG_APP_LINK: 602,
  UG_USER_RESOURCE: 603,
  UG_GROUP_RESOURCE: 604,
} as const;
export type ChangeDetail = keyof typeof CHANGE_DETAIL;

/** si.Resource as JSON. */
export interface SiResource {
  readonly resources?: Readonly<Record<string, { readonly value?: number }>>;
}

/** si.EventRecord as JSON: every field omitted when empty (0, '', no resource). */
export interface EventRecord {
  readonly type?: number;
  readonly objectID?: string;
  readonly referenceID?: string;
  readonly message?: string;
  readonly timestampNano?: number;
  readonly eventChangeType?: number;
  readonly eventChangeDetail?: number;
  readonly resource?: SiResource;
}

export interface EventInput {
  readonly type: EventType;
  readonly objectId: string;
  readonly referenceId?: string;
  readonly message?: string;
  /** Unix nanoseconds. */
  readonly timestampNano: number;
  readonly change: ChangeType;
  readonly detail?: ChangeDetail;
  readonly resource?: Resource;
}

function siResource(r: Resource): SiResource {
  const resources: Record<string, { value?: number }> = {};
  // Quantity{value} omits a zero value, as protobuf's Go struct does.
  for (const k of Object.keys(r).sort(byteOrder)) resources[k] = r[k] === 0 ? {} : { value: r[k] ?? 0 };
  return Object.keys(resources).length === 0 ? {} : { resources };
}

/** The record as YuniKorn's REST API gives it. */
export function eventRecord(e: EventInput): EventRecord {
  const type = EVENT_TYPE[e.type];
  const change = CHANGE_TYPE[e.change];
  const detail = CHANGE_DETAIL[e.detail ?? 'DETAILS_NONE'];
  return {
    type,
    ...(e.objectId === '' ? {} : { objectID: e.objectId }),
    ...(e.referenceId === undefined || e.referenceId === '' ? {} : { referenceID: e.referenceId }),
    ...(e.message === undefined || e.message === '' ? {} : { message: e.message }),
    ...(e.timestampNano === 0 ? {} : { timestampNano: e.timestampNano }),
    ...(change === 0 ? {} : { eventChangeType: change }),
    ...(detail === 0 ? {} : { eventChangeDetail: detail }),
    ...(e.resource === undefined ? {} : { resource: siResource(e.resource) }),
  };
}

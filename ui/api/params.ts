/**
 * Checks on what a request names, before anything is looked up: queue paths against YuniKorn's queue
 * name rules (each part of the dotted path), user and group names against the names the configuration
 * accepts, and query values (given once, whole numbers where numbers are expected). Each check is a
 * value: the thing asked for, or the 400 to answer.
 */
import { GROUP_NAME, QUEUE_NAME, USER_NAME } from '../../core/config/names.js';
import type { Partition } from '../../core/scheduler/partition.js';
import type { Scheduler } from '../../core/scheduler/scheduler.js';
import { badRequest, notFound } from './http.js';
import type { ApiError } from './http.js';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

const good = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (error: ApiError): Checked<never> => ({ ok: false, error });

export const PARTITION_NOT_FOUND = 'Partition not found';
export const QUEUE_NOT_FOUND = 'Queue not found';
export const APPLICATION_NOT_FOUND = 'Application not found';
export const NODE_NOT_FOUND = 'Node not found';
export const USER_NOT_FOUND = 'User not found';
export const GROUP_NOT_FOUND = 'Group not found';

/** The partition named in the path; 404 when the scheduler has none of that name. */
export function partitionOf(s: Scheduler, name: string | undefined): Checked<Partition> {
  if (name === undefined || name === '') return bad(badRequest('Missing partition name'));
  const p = s.partition(name);
  return p === undefined ? bad(notFound(PARTITION_NOT_FOUND, `partition ${name} does not exist`)) : good(p);
}

/** A full queue path (`root.a.b`): every part a valid queue name (YuniKorn's validateQueue). */
export function queuePath(text: string | undefined): Checked<string> {
  if (text === undefined || text === '') return bad(badRequest('Missing queue name'));
  for (const part of text.split('.')) {
    if (!QUEUE_NAME.test(part)) {
      return bad(badRequest('Invalid queue name', `queue ${JSON.stringify(text)} contains the invalid queue name ${JSON.stringify(part)}: a queue name is 1 to 64 letters, digits and - _ : # / @`));
    }
  }
  return good(text);
}

export function userName(text: string | undefined): Checked<string> {
  if (text === undefined || text === '') return bad(badRequest('User name is missing'));
  return USER_NAME.test(text) ? good(text) : bad(badRequest('Invalid user name', `${JSON.stringify(text)} is not a valid user name`));
}

export function groupName(text: string | undefined): Checked<string> {
  if (text === undefined || text === '') return bad(badRequest('Group name is missing'));
  return GROUP_NAME.test(text) ? good(text) : bad(badRequest('Invalid group name', `${JSON.stringify(text)} is not a valid group name`));
}

/** A path parameter that only has to be present (application and node ids are free-form). */
export function present(what: string, text: string | undefined): Checked<string> {
  return text === undefined || text === '' ? bad(badRequest(`Missing ${what}`)) : good(text);
}

export type Query = Readonly<Record<string, unknown>>;

/** A query parameter given at most once; undefined when absent. */
export function queryValue(query: Query, key: string): Checked<string | undefined> {
  const v = query[key];
  if (v === undefined) return good(undefined);
  if (typeof v === 'string') return good(v);
  return bad(badRequest(`Invalid query parameter ${key}`, `the query parameter ${key} must be given once, as a plain value`));
}

/** Is the query flag present (`?subtree`, `?subtree=`, `?subtree=true`)? YuniKorn checks presence only. */
export function queryFlag(query: Query, key: string): boolean {
  return query[key] !== undefined;
}

/** A whole number from `min` to `max` (Number.MAX_SAFE_INTEGER by default); `fallback` when absent. */
export function queryInteger(query: Query, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): Checked<number> {
  const v = queryValue(query, key);
  if (!v.ok) return v;
  if (v.value === undefined) return good(fallback);
  const n = Number(v.value);
  if (!/^[0-9]{1,16}$/.test(v.value) || n < min || n > max) {
    return bad(badRequest(`Invalid query parameter ${key}`, `${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v.value)}`));
  }
  return good(n);
}

/** A path parameter as one string (express types a wildcard's as a list). */
export function pathParam(params: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The encoding rules YuniKorn's REST answers follow, in one place: Go's `omitempty` (false, 0, '', empty
 * lists and maps are left out), resource maps with keys sorted as Go sorts map keys, times in Unix
 * nanoseconds, usage percentages truncated as YuniKorn's CalculateAbsUsedCapacity truncates them, headroom
 * arithmetic, and Go's spelling of durations.
 */
import type { MutableResource, Resource } from '../resources/resource.js';
import type { ResourceMap } from './dao.js';

/** Go's int32 bounds: YuniKorn's MinPriority and MaxPriority. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** Empty in Go's `omitempty` sense. */
function isEmpty(v: unknown): boolean {
  if (v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length === 0;
  return false;
}

/** `{ [key]: value }`, or `{}` when the value is absent or empty: spread it into a DAO literal (Go's omitempty). */
export function omitEmpty<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  if (value === null || value === undefined || isEmpty(value)) return out;
  out[key] = value;
  return out;
}

/** A copy with keys in Go's order (byte-wise ascending), values untouched. */
export function sortedRecord<V>(r: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(r).sort(byteOrder)) out[k] = r[k] as V;
  return out;
}

/** Go compares strings byte-wise; for the ASCII names used here that is UTF-16 code unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A resource as YuniKorn's DAOMap gives it: every entry (zeros too), keys sorted; undefined when empty. */
export function daoMap(r: Resource | null | undefined): ResourceMap | undefined {
  if (r === null || r === undefined || Object.keys(r).length === 0) return undefined;
  return sortedRecord(r);
}

/**
 * A usage (allocated, pending, occupied) as YuniKorn gives it after pruning: zero entries dropped, keys
 * sorted; undefined when nothing is left. The core keeps zero entries on its hot path.
 */
export function usageMap(r: Resource | null | undefined): ResourceMap | undefined {
  if (r === null || r === undefined) return undefined;
  const out: MutableResource = {};
  for (const k of Object.keys(r).sort(byteOrder)) if (r[k] !== 0) out[k] = r[k] ?? 0;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Milliseconds (the core's clock) to Unix nanoseconds (YuniKorn's `UnixNano`). */
export function ns(ms: number): number {
  return Math.round(ms * 1_000_000);
}

/**
 * Percent of `capacity` used, per type, as YuniKorn's CalculateAbsUsedCapacity: only types present in both,
 * `trunc(used / capacity * 100)`. A type with zero capacity is left out (Go would divide by zero), and so
 * is a zero usage, which YuniKorn prunes from its usage maps before it gets here.
 */
export function absUsedCapacity(capacity: Resource | null, used: Resource): Resource {
  const out: MutableResource = {};
  if (capacity === null) return out;
  for (const [k, cap] of Object.entries(capacity)) {
    const u = used[k];
    if (u === undefined || u === 0 || cap <= 0) continue;
    out[k] = Math.trunc((u / cap) * 100);
  }
  return out;
}

/** `base - delta` for the types in `base` only (YuniKorn's SubOnlyExisting); may go negative. */
export function subOnlyExisting(base: Resource, delta: Resource): Resource {
  const out: MutableResource = {};
  for (const [k, v] of Object.entries(base)) out[k] = v - (delta[k] ?? 0);
  return out;
}

/** A resource or null when it has no entries (YuniKorn's nil resource: no limit). */
export function orNull(r: Resource): Resource | null {
  return Object.keys(r).length === 0 ? null : r;
}

/** Go's `time.Duration.String()` for a duration given in milliseconds: `30s`, `1m30s`, `2h0m0s`, `1.5s`, `300ms`. */
export function goDuration(ms: number): string {
  let n = Math.round(ms * 1_000_000);
  if (n === 0) return '0s';
  const sign = n < 0 ? '-' : '';
  n = Math.abs(n);
  if (n < 1_000) return `${sign}${n}ns`;
  if (n < 1_000_000) return `${sign}${fraction(n, 1_000)}µs`;
  if (n < 1_000_000_000) return `${sign}${fraction(n, 1_000_000)}ms`;
  const hours = Math.floor(n / 3_600_000_000_000);
  const minutes = Math.floor((n % 3_600_000_000_000) / 60_000_000_000);
  const seconds = fraction(n % 60_000_000_000, 1_000_000_000);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `n / unit` in decimal without trailing zeros (`1500, 1000` -> `1.5`). */
function fraction(n: number, unit: number): string {
  const whole = Math.floor(n / unit);
  const rest = n % unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

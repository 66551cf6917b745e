/**
 * Resources: sparse maps from a resource name to an integer quantity in base units, as YuniKorn keeps
 * them: `vcore` in millicores, `memory` in bytes, `pods` and extended resources (`nvidia.com/gpu`) as
 * counts.
 *
 * The one rule for absent entries: in a usage or a request an absent entry is zero; in a maximum it
 * is unlimited. Every function that reads a maximum says so in its name (`fitsInMax`, `minOfMax`).
 */
import { formatQuantity } from './quantity.js';

export type Resource = Readonly<Record<string, number>>;

export const EMPTY: Resource = Object.freeze({});

export function add(a: Resource, b: Resource): Resource {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** True when every entry is zero (an empty resource is zero). */
export function isZero(r: Resource): boolean {
  for (const k in r) if (r[k] !== 0) return false;
  return true;
}

/** Does `request` fit under `max`? Entries absent from `max` are unlimited. */
export function fitsInMax(request: Resource, max: Resource): boolean {
  for (const [k, v] of Object.entries(request)) {
    const limit = max[k];
    if (limit !== undefined && v > limit) return false;
  }
  return true;
}

/** The names whose request is over `max` (absent in `max` = unlimited). */
export function overMax(request: Resource, max: Resource): string[] {
  return Object.entries(request)
    .filter(([k, v]) => max[k] !== undefined && v > (max[k] ?? 0))
    .map(([k]) => k);
}

/** The tighter of two maximums, entry by entry; an entry absent from one is taken from the other. */
export function minOfMax(a: Resource, b: Resource): Resource {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = cur === undefined ? v : Math.min(cur, v);
  }
  return out;
}

/** `{memory: 4Gi, vcore: 2}`: keys sorted, quantities in the units queues.yaml uses. */
export function formatResource(r: Resource, only?: readonly string[]): string {
  const keys = (only ?? Object.keys(r)).filter((k) => r[k] !== undefined).sort();
  return `{${keys.map((k) => `${k}: ${formatQuantity(k, r[k] ?? 0)}`).join(', ')}}`;
}

/** A resource the owner updates in place (queue and node totals on the hot path). */
export type MutableResource = Record<string, number>;

export function addInPlace(target: MutableResource, r: Resource): void {
  for (const k in r) target[k] = (target[k] ?? 0) + (r[k] ?? 0);
}

/** Subtract in place; entries that reach zero stay (deleting them would slow every later access). */
export function subInPlace(target: MutableResource, r: Resource): void {
  for (const k in r) {
    const v = (target[k] ?? 0) - (r[k] ?? 0);
    target[k] = v;
  }
}

export function sub(a: Resource, b: Resource): Resource {
  const out: MutableResource = { ...a };
  subInPlace(out, b);
  return out;
}

/** Does `request` fit in `available`? Entries absent from `available` are zero. */
export function fitsIn(request: Resource, available: Resource): boolean {
  for (const k in request) {
    const v = request[k] ?? 0;
    if (v > 0 && v > (available[k] ?? 0)) return false;
  }
  return true;
}

/** Does `request` fit in `max - used`? Entries absent from `max` are unlimited. */
export function fitsUnder(request: Resource, used: Resource, max: Resource): boolean {
  for (const k in request) {
    const limit = max[k];
    if (limit === undefined) continue;
    const v = request[k] ?? 0;
    if (v > 0 && (used[k] ?? 0) + v > limit) return false;
  }
  return true;
}

/** The names for which `used + request` exceeds `max` (absent in `max` = unlimited). */
export function overUnder(request: Resource, used: Resource, max: Resource): string[] {
  const out: string[] = [];
  for (const k in request) {
    const limit = max[k];
    const v = request[k] ?? 0;
    if (limit !== undefined && v > 0 && (used[k] ?? 0) + v > limit) out.push(k);
  }
  return out;
}

/** The largest share `used[k] / base[k]` over the names in `base` with a positive value; 0 if none. */
export function dominantShare(used: Resource, base: Resource): number {
  let share = 0;
  for (const k in base) {
    const b = base[k] ?? 0;
    if (b <= 0) continue;
    const s = (used[k] ?? 0) / b;
    if (s > share) share = s;
  }
  return share;
}

/** Drop zero entries and sort the names (for output that must be byte-identical run to run). */
export function compact(r: Resource): Resource {
  const out: MutableResource = {};
  for (const k of Object.keys(r).sort()) if ((r[k] ?? 0) !== 0) out[k] = r[k] ?? 0;
  return out;
}

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
  for (const v of Object.values(r)) if (v !== 0) return false;
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

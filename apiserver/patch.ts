/**
 * Patches on stored objects, as `PATCH` with the three content types Kubernetes clients send:
 *   application/merge-patch+json      RFC 7386: objects merge, null deletes, anything else replaces;
 *   application/strategic-merge-patch+json
 *                                     a merge patch that merges the lists Kubernetes merges by key
 *                                     (the fields drover and kubectl patch: conditions by type,
 *                                     containers by name, taints by key and effect, ...) and honours
 *                                     `$patch: delete` on a list item;
 *   application/json-patch+json       RFC 6902 operations (fast-json-patch).
 */

import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** RFC 6902 operations, applied to a copy; a malformed or failing patch is a message, not an exception. */
export function jsonPatchOf(target: unknown, ops: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!Array.isArray(ops)) return { ok: false, message: 'a JSON patch is a list of operations' };
  try {
    const result = jsonPatch.applyPatch(jsonPatch.deepClone(target), ops as Operation[], true, false);
    return { ok: true, value: result.newDocument };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e) };
  }
}

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The lists strategic merge merges by key, by field name (as the Kubernetes types declare them). */
export const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  conditions: ['type'],
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  ports: ['containerPort', 'protocol'],
  volumeMounts: ['mountPath'],
  volumes: ['name'],
  taints: ['key', 'effect'],
  tolerations: ['key', 'operator', 'effect'],
  ownerReferences: ['uid'],
  webhooks: ['name'],
  finalizers: [],
};

function sameItem(a: unknown, b: unknown, keys: readonly string[]): boolean {
  if (!isObject(a) || !isObject(b)) return a === b;
  return keys.every((k) => a[k] === b[k]);
}

function mergeList(target: unknown, patch: readonly unknown[], keys: readonly string[]): unknown[] {
  const out = Array.isArray(target) ? [...(target as unknown[])] : [];
  for (const item of patch) {
    const i = out.findIndex((existing) => sameItem(existing, item, keys));
    if (isObject(item) && item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = keys.length === 0 ? item : strategicMergePatch(out[i], item);
    else out.push(item);
  }
  return out;
}

/** Strategic merge patch for the fields above; elsewhere it is a merge patch. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder')) continue;
    const keys = MERGE_KEYS[k];
    if (v === null) delete out[k];
    else if (Array.isArray(v) && keys !== undefined) out[k] = mergeList(out[k], v, keys);
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

export type { Json };

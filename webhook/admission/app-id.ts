/**
 * Application ids and queues on pods: where a pod names them (in the order the shim reads them),
 * how an id is generated for a pod that names none, and which labels a labelled namespace's pods
 * must carry (YuniKorn 1.6+: a generated id under both the canonical and the legacy label, and the
 * canonical id and queue copied to the legacy labels for shims older than 1.6).
 */
import type { ApplicationLabel } from './engines.js';
import { findEngineApplicationId } from './engines.js';
import { ANNOTATION, AUTO_GEN_APP_PREFIX, AUTO_GEN_APP_SUFFIX, LABEL, UNIQUE_AUTO_GEN_SUFFIX } from './keys.js';
import type { StringMap } from './object.js';
import { valueOf } from './object.js';

/**
 * Where an application id came from, in the shim's order of precedence (first wins). `engine-label`
 * is drover's: an analytics engine's own label (engines.ts), read only after all of YuniKorn's places.
 */
export const APP_ID_SOURCES = ['canonical-label', 'annotation', 'legacy-label', 'spark-label', 'engine-label', 'generated'] as const;
export type AppIdSource = (typeof APP_ID_SOURCES)[number];

export interface AppId {
  readonly id: string;
  readonly source: AppIdSource;
}

/**
 * The application id a pod names: label `yunikorn.apache.org/app-id`, then annotation
 * `yunikorn.apache.org/app-id`, then label `applicationId`, then label `spark-app-selector` (which the
 * Spark driver and all its executors share). Empty values do not count. Null when the pod names none.
 */
export function findApplicationId(labels: StringMap, annotations: StringMap): AppId | null {
  const candidates: readonly [string, AppIdSource][] = [
    [valueOf(labels, LABEL.appId), 'canonical-label'],
    [valueOf(annotations, ANNOTATION.appId), 'annotation'],
    [valueOf(labels, LABEL.legacyAppId), 'legacy-label'],
    [valueOf(labels, LABEL.sparkAppId), 'spark-label'],
  ];
  const hit = candidates.find(([id]) => id !== '');
  return hit === undefined ? null : { id: hit[0], source: hit[1] };
}

/** The queue a pod names: label `yunikorn.apache.org/queue`, then the annotation, then label `queue`. */
export function findQueue(labels: StringMap, annotations: StringMap): string | null {
  const hit = [valueOf(labels, LABEL.queue), valueOf(annotations, ANNOTATION.queue), valueOf(labels, LABEL.legacyQueue)].find((q) => q !== '');
  return hit ?? null;
}

const MAX_ID = 63;
const UNIQUE_NAMESPACE_PART = 26;

/**
 * Generate an application id, at most 63 characters (a label value's limit):
 *
 *   shared (default): `yunikorn-<namespace>-autogen`, one application per namespace
 *   unique, uid known: `<namespace, first 26 characters>-<pod uid>`
 *   unique, no uid yet: `<namespace, first 26 characters>-uniqueautogen` (the shim substitutes the uid)
 *
 * Truncation is by characters, as Go's `%.63s`. Unlike YuniKorn, drover then trims characters a label
 * value may not end with, so that a long namespace name cannot produce an id the API server rejects.
 */
export function generateApplicationId(namespace: string, unique: boolean, podUid: string): string {
  let id: string;
  if (!unique) id = `${AUTO_GEN_APP_PREFIX}-${namespace}-${AUTO_GEN_APP_SUFFIX}`;
  else {
    const ns = [...namespace].slice(0, UNIQUE_NAMESPACE_PART).join('');
    id = podUid === '' ? `${ns}${UNIQUE_AUTO_GEN_SUFFIX}` : `${ns}-${podUid}`;
  }
  return [...id].slice(0, MAX_ID).join('').replace(/[^a-zA-Z0-9]+$/, '');
}

export interface LabelPlan {
  /** The labels the pod must carry (some may already be there with that value). */
  readonly labels: ReadonlyMap<string, string>;
  /** The id drover generated, or null when the pod names its own. */
  readonly generated: string | null;
  /** The id drover derived from an engine's label (written like a generated one), or null. */
  readonly engine: string | null;
}

/**
 * The labels a pod of a labelled namespace must carry. A pod that names no id in YuniKorn's four places
 * but carries one of `applicationLabels` gets `<namespace>-<value>` under both id labels; a pod that
 * names none at all gets a generated one under both. A canonical id or queue label is copied to the
 * legacy label, replacing a different legacy value. Nothing else is written: an id named only by the
 * annotation, the legacy label or spark-app-selector is left where it is, as in YuniKorn.
 */
export function planLabels(
  labels: StringMap,
  annotations: StringMap,
  namespace: string,
  unique: boolean,
  podUid: string,
  applicationLabels: readonly ApplicationLabel[] = [],
): LabelPlan {
  const out = new Map<string, string>();
  let generated: string | null = null;
  let engine: string | null = null;
  const canonicalId = valueOf(labels, LABEL.appId);
  if (findApplicationId(labels, annotations) === null) {
    engine = findEngineApplicationId(labels, namespace, applicationLabels);
    if (engine === null) generated = generateApplicationId(namespace, unique, podUid);
    const id = engine ?? generated ?? '';
    out.set(LABEL.appId, id);
    out.set(LABEL.legacyAppId, id);
  } else if (canonicalId !== '') {
    out.set(LABEL.legacyAppId, canonicalId);
  }
  const canonicalQueue = valueOf(labels, LABEL.queue);
  if (canonicalQueue !== '') out.set(LABEL.legacyQueue, canonicalQueue);
  return { labels: out, generated, engine };
}

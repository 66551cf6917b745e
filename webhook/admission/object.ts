/**
 * The edge between untyped Kubernetes objects (pods and workloads as they arrive in an
 * AdmissionReview) and the typed views the decisions work on. Only the fields the decisions read are
 * checked; a field of the wrong type makes the object malformed (YuniKorn's decoder fails on the same
 * objects), an absent or null one reads as empty. Nothing here throws.
 */

/** A JSON object, as opposed to an array, null or a scalar. */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly path: string; readonly message: string };

/** Labels or annotations. Lookups go through the Map, so keys such as `__proto__` are plain keys. */
export type StringMap = ReadonlyMap<string, string>;

/** What the decisions read of a pod. Absent strings read as ''. */
export interface PodView {
  readonly labels: StringMap;
  readonly annotations: StringMap;
  /** metadata.namespace */
  readonly namespace: string;
  /** metadata.uid; usually '' on CREATE, since the API server assigns it after admission. */
  readonly uid: string;
  readonly schedulerName: string;
  readonly priorityClassName: string;
}

/** What the decisions read of a workload: the metadata of the pod template it stamps pods from. */
export interface TemplateView {
  readonly labels: StringMap;
  readonly annotations: StringMap;
}

const EMPTY: StringMap = new Map();

/** The member of an object at a key; undefined for non-objects and inherited members. */
export function member(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** An object, or null/absent (read as "none"); anything else is malformed. */
function readContainer(value: unknown, path: string): Read<JsonObject | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (isObject(value)) return { ok: true, value };
  return { ok: false, path, message: `${path} must be an object, not ${describe(value)}` };
}

function readString(value: unknown, path: string): Read<string> {
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value === 'string') return { ok: true, value };
  return { ok: false, path, message: `${path} must be a string, not ${describe(value)}` };
}

/** A map of strings to strings (labels, annotations); absent or null reads as empty. */
export function readStringMap(value: unknown, path: string): Read<StringMap> {
  const container = readContainer(value, path);
  if (!container.ok) return container;
  if (container.value === null) return { ok: true, value: EMPTY };
  const out = new Map<string, string>();
  for (const [key, v] of Object.entries(container.value)) {
    if (typeof v !== 'string') return { ok: false, path: `${path}.${key}`, message: `${path}.${key} must be a string, not ${describe(v)}` };
    out.set(key, v);
  }
  return { ok: true, value: out };
}

/** Read the parts of a pod the decisions need. */
export function readPod(pod: unknown, what = 'pod'): Read<PodView> {
  if (!isObject(pod)) return { ok: false, path: what, message: `the ${what} must be an object, not ${describe(pod)}` };
  const metadata = readContainer(member(pod, 'metadata'), 'metadata');
  if (!metadata.ok) return metadata;
  const spec = readContainer(member(pod, 'spec'), 'spec');
  if (!spec.ok) return spec;
  const labels = readStringMap(member(metadata.value, 'labels'), 'metadata.labels');
  if (!labels.ok) return labels;
  const annotations = readStringMap(member(metadata.value, 'annotations'), 'metadata.annotations');
  if (!annotations.ok) return annotations;
  const namespace = readString(member(metadata.value, 'namespace'), 'metadata.namespace');
  if (!namespace.ok) return namespace;
  const uid = readString(member(metadata.value, 'uid'), 'metadata.uid');
  if (!uid.ok) return uid;
  const schedulerName = readString(member(spec.value, 'schedulerName'), 'spec.schedulerName');
  if (!schedulerName.ok) return schedulerName;
  const priorityClassName = readString(member(spec.value, 'priorityClassName'), 'spec.priorityClassName');
  if (!priorityClassName.ok) return priorityClassName;
  return {
    ok: true,
    value: {
      labels: labels.value,
      annotations: annotations.value,
      namespace: namespace.value,
      uid: uid.value,
      schedulerName: schedulerName.value,
      priorityClassName: priorityClassName.value,
    },
  };
}

/**
 * Read the pod template of a workload at `templatePath` (e.g. spec.template, or
 * spec.jobTemplate.spec.template for a CronJob). Missing levels read as an empty template.
 */
export function readTemplate(workload: unknown, templatePath: readonly string[]): Read<TemplateView> {
  if (!isObject(workload)) return { ok: false, path: 'object', message: `the workload must be an object, not ${describe(workload)}` };
  let cursor: JsonObject | null = workload;
  const walked: string[] = [];
  for (const segment of [...templatePath, 'metadata']) {
    walked.push(segment);
    const next = readContainer(member(cursor, segment), walked.join('.'));
    if (!next.ok) return next;
    cursor = next.value;
    if (cursor === null) break;
  }
  const at = walked.join('.');
  const labels = readStringMap(member(cursor, 'labels'), `${at}.labels`);
  if (!labels.ok) return labels;
  const annotations = readStringMap(member(cursor, 'annotations'), `${at}.annotations`);
  if (!annotations.ok) return annotations;
  return { ok: true, value: { labels: labels.value, annotations: annotations.value } };
}

/** A map value, with '' for absent keys (Go's zero value, which YuniKorn's checks rely on). */
export function valueOf(map: StringMap, key: string): string {
  return map.get(key) ?? '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

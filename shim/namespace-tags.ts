/**
 * Namespace annotations into application tags, as YuniKorn's shim reads them: the parent queue for
 * placement (`yunikorn.apache.org/parentqueue`) and the quota, guarantee and maxApps of the namespace's
 * dynamic queue. Quotas travel as JSON in base units. Shared by the shim and the simulator; no
 * Kubernetes client here.
 */
import { APP_TAGS } from '../core/port.js';
import { kubeResources } from '../core/resources/kube-quantity.js';

/** What the tags are read from: a namespace's annotations. */
export interface NamespaceSpec {
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Namespace annotations the shim turns into application tags (YuniKorn's names). */
export const NAMESPACE_TAG_ANNOTATIONS = {
  parentQueue: 'yunikorn.apache.org/parentqueue',
  quota: 'yunikorn.apache.org/namespace.quota',
  guaranteed: 'yunikorn.apache.org/namespace.guaranteed',
  maxApps: 'yunikorn.apache.org/namespace.maxApps',
  legacyMaxCpu: 'yunikorn.apache.org/namespace.max.cpu',
  legacyMaxMemory: 'yunikorn.apache.org/namespace.max.memory',
} as const;

/** A namespace quota annotation (`{"cpu": "2", "memory": "4Gi"}`) as a tag in base units; null if unreadable. */
function quotaTag(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    return JSON.stringify(kubeResources(v as Record<string, unknown>).resources);
  } catch {
    return null;
  }
}

/** The application tags of a pod in `ns`: its namespace, and the namespace's parent queue and quotas. */
export function namespaceTags(namespace: string, ns: NamespaceSpec | null): Record<string, string> {
  const tags: Record<string, string> = { [APP_TAGS.namespace]: namespace };
  const a = ns?.annotations ?? {};
  const parent = a[NAMESPACE_TAG_ANNOTATIONS.parentQueue];
  if (parent !== undefined && parent !== '') tags[APP_TAGS.parentQueue] = parent;
  const legacy: Record<string, string> = {};
  if (a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxCpu] !== undefined) legacy.cpu = a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxCpu] ?? '';
  if (a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxMemory] !== undefined) legacy.memory = a[NAMESPACE_TAG_ANNOTATIONS.legacyMaxMemory] ?? '';
  const quota = quotaTag(a[NAMESPACE_TAG_ANNOTATIONS.quota]) ?? (Object.keys(legacy).length > 0 ? quotaTag(JSON.stringify(legacy)) : null);
  if (quota !== null) tags[APP_TAGS.quota] = quota;
  const guaranteed = quotaTag(a[NAMESPACE_TAG_ANNOTATIONS.guaranteed]);
  if (guaranteed !== null) tags[APP_TAGS.guaranteed] = guaranteed;
  const maxApps = a[NAMESPACE_TAG_ANNOTATIONS.maxApps];
  if (maxApps !== undefined && /^[0-9]+$/.test(maxApps)) tags[APP_TAGS.maxApps] = maxApps;
  return tags;
}

/**
 * Which namespaces drover processes (redirects pods to itself) and which it labels (gives pods without
 * an application id a generated one). Each answer is the namespace's own annotation when it has one,
 * and otherwise the regular-expression lists of the settings, in YuniKorn's order:
 *
 *   processed = enableYuniKorn annotation ?? (matches processNamespaces or it is empty) and not bypassNamespaces
 *   labelled  = generateAppId annotation  ?? (matches labelNamespaces or it is empty) and not noLabelNamespaces
 */
import { LABEL, NAMESPACE_ANNOTATION } from './keys.js';
import type { Read, StringMap } from './object.js';
import { isObject, member, valueOf } from './object.js';
import type { AdmissionSettings } from './settings.js';
import { matchesAny } from './settings.js';

/** A namespace annotation: absent, exactly "true", or anything else (which YuniKorn reads as false). */
export type TriState = 'unset' | 'true' | 'false';

/** The namespace as the caller knows it (from an informer cache, or the simulator's input). */
export interface NamespaceInput {
  readonly name: string;
  /** Not read: YuniKorn decides on the name and the annotations only. Accepted so a whole object can be passed. */
  readonly labels?: unknown;
  readonly annotations?: unknown;
}

export interface NamespaceInfo {
  readonly name: string;
  readonly enableYuniKorn: TriState;
  readonly generateAppId: TriState;
}

/** Kubernetes namespace names are DNS-1123 labels; the bound also keeps the filters' input small. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Resolve the namespace of a request. Without a namespace object (not in the cache), the pod's own
 * metadata.namespace names it and both annotations are unset; an empty name means `default`, as in
 * YuniKorn, which reads the request's namespace the same way.
 */
export function readNamespace(input: NamespaceInput | null, podNamespace: string): Read<NamespaceInfo> {
  const rawName: unknown = input === null ? podNamespace : input.name;
  if (typeof rawName !== 'string') return { ok: false, path: 'namespace.name', message: 'the namespace name must be a string' };
  const name = rawName === '' ? 'default' : rawName;
  if (!DNS_LABEL.test(name)) {
    const shown = name.length > 80 ? `${name.slice(0, 80)}...` : name;
    return { ok: false, path: 'namespace.name', message: `'${shown}' is not a namespace name (a DNS label of at most 63 characters)` };
  }
  const annotations = input === null ? undefined : input.annotations;
  return { ok: true, value: { name, enableYuniKorn: flag(annotations, NAMESPACE_ANNOTATION.enableYuniKorn), generateAppId: flag(annotations, NAMESPACE_ANNOTATION.generateAppId) } };
}

/** Read one tri-state annotation. Only the exact text "true" is true; a non-string value counts as set, not true. */
export function flag(annotations: unknown, key: string): TriState {
  if (!isObject(annotations) || !Object.hasOwn(annotations, key)) return 'unset';
  return member(annotations, key) === 'true' ? 'true' : 'false';
}

/** Are pods of this namespace redirected to drover? */
export function shouldProcessNamespace(ns: NamespaceInfo, settings: AdmissionSettings): boolean {
  if (ns.enableYuniKorn !== 'unset') return ns.enableYuniKorn === 'true';
  const listed = settings.processNamespaces.length === 0 || matchesAny(settings.processNamespaces, ns.name);
  return listed && !matchesAny(settings.bypassNamespaces, ns.name);
}

/** Do pods of this namespace without an application id get a generated one? */
export function shouldLabelNamespace(ns: NamespaceInfo, settings: AdmissionSettings): boolean {
  if (ns.generateAppId !== 'unset') return ns.generateAppId === 'true';
  const listed = settings.labelNamespaces.length === 0 || matchesAny(settings.labelNamespaces, ns.name);
  return listed && !matchesAny(settings.noLabelNamespaces, ns.name);
}

/**
 * Is an existing object (a workload's pod template, a pod on UPDATE) of drover's concern? Its namespace
 * must be processed, and either the namespace is labelled or the object names its application itself
 * by label (YuniKorn looks at the labels only here, not at the app-id annotation).
 */
export function inScope(ns: NamespaceInfo, labels: StringMap, settings: AdmissionSettings): boolean {
  if (!shouldProcessNamespace(ns, settings)) return false;
  const named = [LABEL.appId, LABEL.legacyAppId, LABEL.sparkAppId].some((key) => valueOf(labels, key) !== '');
  return named || shouldLabelNamespace(ns, settings);
}

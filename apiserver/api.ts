/**
 * The embedded API server's request handling, independent of HTTP: a request (method, path, query,
 * body) becomes a response (status and body) or a watch. Paths as the real API server serves them:
 *
 *   /api, /api/v1, /apis, /apis/<group>/<version>                         discovery
 *   /api/v1/<resource>[/<name>[/<subresource>]]                           cluster-scoped
 *   /api/v1/namespaces/<ns>/<resource>[/<name>[/<subresource>]]           namespaced
 *   /apis/<group>/<version>/... the same for named groups
 *   /openapi/v3[/<group-version>]                                         OpenAPI documents (openapi.ts)
 *
 * Semantics a scheduler relies on: pods are defaulted on create (scheduler name, phase); binding an
 * already bound pod fails with 409; the status subresource changes only status; eviction deletes;
 * a deleted namespace is Terminating for a moment, then goes with what it holds. Writes honour `fieldValidation` (Ignore, Warn the
 * default, Strict): a field the kind does not declare is a warning, or a 400 with Strict.
 */
import { openApiV3 } from './openapi.js';
import { jsonPatchOf, mergePatch, strategicMergePatch } from './patch.js';
import { apiGroupList, apiResourceList, apiVersionOf, apiVersions, findResource, RESOURCES, storeKey } from './resources.js';
import type { ResourceType } from './resources.js';
import { modelOf, unknownFields } from './schema.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { KubeObject } from './selectors.js';
import { ObjectStore } from './store.js';
import type { Result, StoreError, WatchEvent } from './store.js';
import type { AdmissionCall } from './admission.js';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

export type ApiResponse =
  /** `warnings` go out as `Warning: 299` headers, which kubectl prints. */
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly warnings?: readonly string[] }
  | { readonly kind: 'watch'; readonly start: (send: (e: WatchEvent) => void) => Result<() => void> };

interface Target {
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const json = (status: number, body: unknown, warnings: readonly string[] = []): ApiResponse => ({ kind: 'json', status, body, ...(warnings.length === 0 ? {} : { warnings }) });

export function statusBody(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const fail = (e: StoreError): ApiResponse => json(e.code, statusBody(e.code, e.reason, e.message));
const badRequest = (message: string): ApiResponse => json(400, statusBody(400, 'BadRequest', message));

/** How long a deleted namespace stays Terminating before it and what it holds are gone. */
export const NAMESPACE_FINALIZE_MS = 1_000;
const UNDELETABLE_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

export interface ApiServerOptions {
  /** The address discovery (`/api`) gives. */
  readonly address?: string;
  /** Runs the emptying of a deleted namespace later (tests call it by hand); default a timer. */
  readonly later?: (fn: () => void, ms: number) => void;
}

export class ApiServer {
  readonly store = new ObjectStore();
  private readonly address: string;
  private readonly later: (fn: () => void, ms: number) => void;

  constructor(options: ApiServerOptions = {}) {
    this.address = options.address ?? 'https://127.0.0.1';
    this.later = options.later ?? ((fn, ms) => void setTimeout(fn, ms).unref());
    for (const name of ['default', 'kube-system', 'kube-public']) {
      this.store.create('/namespaces', defaultNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    }
  }

  /**
   * A write as admission sees it: the object the request would store, without storing it; null for
   * requests admission does not look at (reads, deletes, binding, eviction, status).
   */
  candidate(req: ApiRequest): { readonly call: Omit<AdmissionCall, 'user'>; readonly commit: (admitted: KubeObject) => ApiResponse } | ApiResponse | null {
    const routed = this.route(req);
    if ('kind' in routed) return routed;
    const t = routed;
    const key = storeKey(t.resource);
    const write = (t.name === undefined && req.method === 'POST') || (t.name !== undefined && t.subresource === undefined && (req.method === 'PUT' || req.method === 'PATCH'));
    if (!write) return null;
    this.dry = true;
    let r: ApiResponse;
    try {
      r = t.name === undefined ? this.create(req, t, key) : req.method === 'PUT' ? this.replace(req, t, key, t.name) : this.patch(req, t, key, t.name);
    } finally {
      this.dry = false;
    }
    if (r.kind !== 'json' || r.status !== 0) return r;
    const object = r.body as KubeObject;
    const warnings = r.warnings ?? [];
    const old = t.name === undefined ? null : this.store.get(key, t.namespace, t.name);
    return {
      call: { operation: t.name === undefined ? 'CREATE' : 'UPDATE', resource: t.resource, namespace: t.namespace, object, oldObject: old !== null && old.ok ? old.value : null },
      commit: (admitted) => {
        if (t.name === undefined) {
          const c = this.store.create(key, this.typed(t.resource, admitted));
          return c.ok ? json(201, c.value, warnings) : fail(c.error);
        }
        const u = this.store.update(key, admitted);
        return u.ok ? json(200, u.value, warnings) : fail(u.error);
      },
    };
  }

  request(req: ApiRequest): ApiResponse {
    const routed = this.route(req);
    return 'kind' in routed ? routed : this.dispatch(req, routed);
  }

  private dry = false;

  /** Store a write, after its field validation; in a dry run (see `candidate`) status 0 marks "not stored". */
  private stored(req: ApiRequest, key: string, object: KubeObject, create: boolean, resource: ResourceType): ApiResponse {
    const checked = checkFields(req, resource, object);
    if (!checked.ok) return checked.refusal;
    if (this.dry) return json(0, object, checked.warnings);
    const r = create ? this.store.create(key, this.typed(resource, object)) : this.store.update(key, object);
    return r.ok ? json(create ? 201 : 200, r.value, checked.warnings) : fail(r.error);
  }

  private route(req: ApiRequest): Target | ApiResponse {
    const parts = req.path.split('/').filter((p) => p !== '');
    if (parts[0] === 'api' && parts.length === 1) return json(200, apiVersions(this.address));
    if (parts[0] === 'apis' && parts.length === 1) return json(200, apiGroupList());
    if (parts[0] === 'version' && parts.length === 1) return json(200, { major: '1', minor: '30', gitVersion: 'v1.30.0-drover', platform: 'linux/amd64' });
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      const doc = openApiV3(parts.slice(2));
      return doc === undefined ? json(404, statusBody(404, 'NotFound', `no OpenAPI document ${req.path}`)) : json(200, doc);
    }
    const [group, version, rest] = parts[0] === 'api' ? ['', parts[1] ?? '', parts.slice(2)] : parts[0] === 'apis' ? [parts[1] ?? '', parts[2] ?? '', parts.slice(3)] : ['', '', null];
    if (rest === null) return json(404, statusBody(404, 'NotFound', `the server could not find the requested resource (${req.path})`));
    if (rest.length === 0) {
      const list = apiResourceList(group, version);
      return list === undefined ? json(404, statusBody(404, 'NotFound', `no API group/version ${group}/${version}`)) : json(200, list);
    }
    let namespace: string | undefined;
    let i = 0;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      i = 2;
    }
    const resource = findResource(group, version, rest[i] ?? '');
    if (resource === undefined) return json(404, statusBody(404, 'NotFound', `the server could not find the requested resource (${req.path})`));
    if (namespace !== undefined && !resource.namespaced) return json(404, statusBody(404, 'NotFound', `${resource.name} is not namespaced`));
    return { resource, namespace, name: rest[i + 1], subresource: rest[i + 2] };
  }

  private dispatch(req: ApiRequest, t: Target): ApiResponse {
    const key = storeKey(t.resource);
    const name = t.name;
    if (name === undefined) {
      if (req.method === 'GET') return this.listOrWatch(req, t, key);
      if (req.method === 'POST') return this.create(req, t, key);
      return json(405, statusBody(405, 'MethodNotAllowed', `${req.method} is not allowed on a collection`));
    }
    if (t.subresource === 'binding' && req.method === 'POST') return this.bind(req, t, key, name);
    if (t.subresource === 'eviction' && req.method === 'POST') return this.evict(t, key, name);
    if (t.subresource !== undefined && t.subresource !== 'status') return json(404, statusBody(404, 'NotFound', `no subresource ${t.subresource}`));
    switch (req.method) {
      case 'GET': {
        const r = this.store.get(key, t.namespace, name);
        return r.ok ? json(200, this.typed(t.resource, r.value)) : fail(r.error);
      }
      case 'PUT':
        return this.replace(req, t, key, name);
      case 'PATCH':
        return this.patch(req, t, key, name);
      case 'DELETE': {
        if (t.resource.name === 'namespaces') return this.deleteNamespace(name);
        const precondition = readObject(req.body)?.preconditions;
        const rv = typeof precondition === 'object' && precondition !== null ? (precondition as { resourceVersion?: unknown }).resourceVersion : undefined;
        const r = this.store.delete(key, t.namespace, name, typeof rv === 'string' ? rv : undefined);
        return r.ok ? json(200, this.typed(t.resource, r.value)) : fail(r.error);
      }
      default:
        return json(405, statusBody(405, 'MethodNotAllowed', `${req.method} is not allowed`));
    }
  }

  /**
   * A deleted namespace turns Terminating (no new content; what it holds can still be read and
   * deleted, so `kubectl delete -f` of a namespace and its objects works), and NAMESPACE_FINALIZE_MS
   * later it goes with everything it holds, as the namespace controller does it.
   */
  private deleteNamespace(name: string): ApiResponse {
    if (UNDELETABLE_NAMESPACES.has(name)) return json(403, statusBody(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`));
    const current = this.store.get('/namespaces', undefined, name);
    if (!current.ok) return fail(current.error);
    if (current.value.metadata?.deletionTimestamp !== undefined) return json(200, current.value);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const r = this.store.update('/namespaces', { ...current.value, metadata: { ...current.value.metadata, deletionTimestamp: now, resourceVersion: '' }, status: { ...current.value.status, phase: 'Terminating' } });
    if (!r.ok) return fail(r.error);
    this.later(() => {
      for (const key of new Set(RESOURCES.filter((x) => x.namespaced).map(storeKey))) {
        for (const o of this.store.list(key, name).items) this.store.delete(key, name, o.metadata?.name ?? '');
      }
      this.store.delete('/namespaces', undefined, name);
    }, NAMESPACE_FINALIZE_MS);
    return json(200, r.value);
  }

  private typed(r: ResourceType, o: KubeObject): KubeObject {
    return { ...o, apiVersion: o.apiVersion ?? apiVersionOf(r), kind: o.kind ?? r.kind };
  }

  private listOrWatch(req: ApiRequest, t: Target, key: string): ApiResponse {
    const labels = parseLabelSelector(req.query.labelSelector);
    if (!labels.ok) return badRequest(labels.message);
    const fields = parseFieldSelector(req.query.fieldSelector, t.resource.name);
    if (!fields.ok) return badRequest(fields.message);
    const namespace = t.namespace ?? null;
    if (req.query.watch === 'true' || req.query.watch === '1') {
      const rv = req.query.resourceVersion;
      return {
        kind: 'watch',
        start: (send) =>
          this.store.watch(key, { namespace, labels: labels.selector, fields: fields.selector, bookmarks: req.query.allowWatchBookmarks === 'true', ...(rv === undefined ? {} : { resourceVersion: rv }) }, (e) =>
            send(e.type === 'BOOKMARK' ? e : { type: e.type, object: this.typed(t.resource, e.object) }),
          ),
      };
    }
    const list = this.store.list(key, namespace, labels.selector, fields.selector);
    return json(200, {
      kind: `${t.resource.kind}List`,
      apiVersion: apiVersionOf(t.resource),
      metadata: { resourceVersion: list.resourceVersion },
      items: list.items.map((o) => this.typed(t.resource, o)),
    });
  }

  private create(req: ApiRequest, t: Target, key: string): ApiResponse {
    const body = readObject(req.body);
    if (body === null) return badRequest('the request body must be a JSON object');
    const metadata = { ...(readObject(body.metadata) ?? {}) };
    if (t.namespace !== undefined) {
      if (metadata.namespace !== undefined && metadata.namespace !== t.namespace) return badRequest(`the namespace of the object does not match the namespace of the request (${t.namespace})`);
      metadata.namespace = t.namespace;
      const ns = this.store.get('/namespaces', undefined, t.namespace);
      if (!ns.ok) return json(404, statusBody(404, 'NotFound', `namespaces "${t.namespace}" not found`));
      if (ns.value.metadata?.deletionTimestamp !== undefined) {
        const name = typeof metadata.name === 'string' ? metadata.name : '';
        return json(403, statusBody(403, 'Forbidden', `${t.resource.name} "${name}" is forbidden: unable to create new content in namespace ${t.namespace} because it is being terminated`));
      }
    }
    if ((metadata.name === undefined || metadata.name === '') && typeof metadata.generateName === 'string') {
      metadata.name = `${metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    let object: KubeObject = { ...body, metadata };
    if (t.resource.name === 'pods') {
      const withPriority = this.resolvePriority(object);
      if (!withPriority.ok) return json(403, statusBody(403, 'Forbidden', withPriority.message));
      object = defaultPod(withPriority.value);
    }
    if (t.resource.name === 'namespaces') object = defaultNamespace(object);
    return this.stored(req, key, object, true, t.resource);
  }

  /**
   * The Priority admission plugin: a pod's priorityClassName resolves to its value and preemption
   * policy (an unknown class is refused); without one, the global default class's, else 0.
   */
  private resolvePriority(pod: KubeObject): { ok: true; value: KubeObject } | { ok: false; message: string } {
    const spec = { ...(pod.spec ?? {}) };
    const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
    const classes = this.store.list('scheduling.k8s.io/priorityclasses', null).items;
    const found = className === '' ? classes.find((c) => c.globalDefault === true) : classes.find((c) => c.metadata?.name === className);
    if (found === undefined) {
      if (className !== '') return { ok: false, message: `pods "${String(pod.metadata?.name ?? '')}" is forbidden: no PriorityClass with name ${className} was found` };
      return { ok: true, value: pod };
    }
    if (typeof found.value === 'number') {
      if (typeof spec.priority === 'number' && spec.priority !== found.value) return { ok: false, message: `pods "${String(pod.metadata?.name ?? '')}" is forbidden: the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${String(found.value)} from the given PriorityClass name` };
      spec.priority = found.value;
    }
    if (className === '' && typeof found.metadata?.name === 'string') spec.priorityClassName = found.metadata.name;
    if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = typeof found.preemptionPolicy === 'string' ? found.preemptionPolicy : 'PreemptLowerPriority';
    return { ok: true, value: { ...pod, spec } };
  }

  private replace(req: ApiRequest, t: Target, key: string, name: string): ApiResponse {
    const body = readObject(req.body);
    if (body === null) return badRequest('the request body must be a JSON object');
    const current = this.store.get(key, t.namespace, name);
    if (!current.ok) return fail(current.error);
    const incoming = body as KubeObject;
    const next: KubeObject = { ...incoming, metadata: { ...incoming.metadata, name, ...(t.namespace === undefined ? {} : { namespace: t.namespace }) } };
    if (t.subresource === 'status') {
      next.spec = current.value.spec ?? {};
      next.metadata = { ...current.value.metadata, resourceVersion: incoming.metadata?.resourceVersion ?? '' };
    } else if (incoming.status === undefined && current.value.status !== undefined) next.status = current.value.status;
    return this.stored(req, key, next, false, t.resource);
  }

  private patch(req: ApiRequest, t: Target, key: string, name: string): ApiResponse {
    const current = this.store.get(key, t.namespace, name);
    if (!current.ok) return fail(current.error);
    const type = req.contentType ?? '';
    let patched: unknown;
    if (type.startsWith('application/merge-patch+json')) patched = mergePatch(current.value, req.body);
    else if (type.startsWith('application/strategic-merge-patch+json')) patched = strategicMergePatch(current.value, req.body);
    else if (type.startsWith('application/json-patch+json')) {
      const r = jsonPatchOf(current.value, req.body);
      if (!r.ok) return json(422, statusBody(422, 'Invalid', `the JSON patch cannot be applied: ${r.message}`));
      patched = r.value;
    } else return json(415, statusBody(415, 'UnsupportedMediaType', `the patch content type '${type}' is not supported`));
    const next: KubeObject | null = readObject(patched);
    if (next === null) return badRequest('the patch does not produce an object');
    const merged: KubeObject = t.subresource === 'status' ? { ...current.value, status: next.status ?? {} } : next;
    const rv = readObject(readObject(req.body)?.metadata)?.resourceVersion;
    merged.metadata = { ...merged.metadata, resourceVersion: typeof rv === 'string' ? rv : (current.value.metadata?.resourceVersion ?? '') };
    return this.stored(req, key, merged, false, t.resource);
  }

  private bind(req: ApiRequest, t: Target, key: string, name: string): ApiResponse {
    const target = readObject(readObject(req.body)?.target);
    const nodeName = target?.name;
    if (typeof nodeName !== 'string' || nodeName === '') return badRequest('a Binding needs target.name (the node)');
    const pod = this.store.get(key, t.namespace, name);
    if (!pod.ok) return fail(pod.error);
    const bound = pod.value.spec?.nodeName;
    if (typeof bound === 'string' && bound !== '') {
      return json(409, statusBody(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${bound}"`));
    }
    const old: unknown = pod.value.status?.conditions;
    const conditions: unknown[] = Array.isArray(old) ? (old as unknown[]).filter((c) => readObject(c)?.type !== 'PodScheduled') : [];
    const next: KubeObject = {
      ...pod.value,
      spec: { ...pod.value.spec, nodeName },
      status: { ...pod.value.status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
    };
    const r = this.store.update(key, next);
    return r.ok ? json(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }) : fail(r.error);
  }

  private evict(t: Target, key: string, name: string): ApiResponse {
    const r = this.store.delete(key, t.namespace, name);
    return r.ok ? json(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }) : fail(r.error);
  }
}

function readObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** What the API server fills in on a new pod. */
function defaultPod(pod: KubeObject): KubeObject {
  const spec = { ...(pod.spec ?? {}) };
  if (typeof spec.schedulerName !== 'string' || spec.schedulerName === '') spec.schedulerName = 'default-scheduler';
  if (typeof spec.priority !== 'number') spec.priority = 0;
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Always';
  return { ...pod, spec, status: { phase: 'Pending', ...(pod.status ?? {}) } };
}

/** What the API server fills in on a new namespace: the name label namespace selectors rely on, Active. */
function defaultNamespace(ns: KubeObject): KubeObject {
  const name = ns.metadata?.name ?? '';
  return {
    ...ns,
    metadata: { ...ns.metadata, labels: { ...ns.metadata?.labels, 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'], ...(ns.spec ?? {}) },
    status: { phase: 'Active', ...(ns.status ?? {}) },
  };
}

const FIELD_VALIDATION = ['Ignore', 'Warn', 'Strict'] as const;

/**
 * `fieldValidation` as the real server applies it: the fields of the object its kind does not
 * declare are warnings (Warn, the default), a 400 (Strict), or nothing (Ignore). The warnings, or the
 * refusal.
 */
function checkFields(req: ApiRequest, resource: ResourceType, object: KubeObject): { readonly ok: true; readonly warnings: readonly string[] } | { readonly ok: false; readonly refusal: ApiResponse } {
  const mode = req.query.fieldValidation ?? 'Warn';
  if (!(FIELD_VALIDATION as readonly string[]).includes(mode)) return { ok: false, refusal: badRequest(`fieldValidation must be one of ${FIELD_VALIDATION.join(', ')}, not '${mode}'`) };
  if (mode === 'Ignore') return { ok: true, warnings: [] };
  const unknown = unknownFields(modelOf(resource), object).map((path) => `unknown field "${path}"`);
  if (unknown.length === 0 || mode === 'Warn') return { ok: true, warnings: unknown };
  return { ok: false, refusal: badRequest(`${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: strict decoding error: ${unknown.join(', ')}`) };
}

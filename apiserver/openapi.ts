/**
 * The OpenAPI v3 documents of the embedded API server (`/openapi/v3` and `/openapi/v3/<group-version>`),
 * what kubectl reads before `apply`, `create -f` and `replace -f`:
 *
 *   - field validation: kubectl (`--validate=strict`, its default) first asks whether the server
 *     validates fields itself, by looking for a `fieldValidation` query parameter on the PATCH
 *     operation of the object's kind (matched by `x-kubernetes-group-version-kind`). Yes here: the
 *     server honours `fieldValidation` (see `schema.ts`), so kubectl sends `fieldValidation=Strict` and
 *     validates nothing on its side. Without these documents it falls back to validating against the
 *     OpenAPI v2 document, and fails ("failed to download openapi") when there is none.
 *   - client-side apply: kubectl computes a strategic merge patch from the schema of the PATCH
 *     operation when that operation lists `application/strategic-merge-patch+json`. It is left out on
 *     purpose: client-node's models (the source of these schemas) do not carry the patch strategies
 *     and merge keys (`x-kubernetes-patch-merge-key`), and a patch computed without them would replace
 *     lists such as `containers` whole. Without it kubectl uses the strategies compiled into it for
 *     the built-in kinds, which are exactly Kubernetes', and still sends a strategic merge patch.
 *
 * `/openapi/v2` is not served (404): kubectl then carries on as above. The documents are built once
 * from `RESOURCES` and the schemas in `schema.ts`.
 */
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf } from './resources.js';
import type { ResourceType } from './resources.js';
import { modelOf, schemasFor } from './schema.js';

type Json = Record<string, unknown>;

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json'] as const;

const ref = (model: string): Json => ({ $ref: `#/components/schemas/${model}` });
const query = (name: string, type: 'string' | 'boolean' | 'integer'): Json => ({ name, in: 'query', schema: { type } });
const pathParam = (name: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const WRITE_PARAMS = [query('dryRun', 'string'), query('fieldManager', 'string'), query('fieldValidation', 'string')];
const LIST_PARAMS = ['labelSelector', 'fieldSelector', 'resourceVersion'].map((n) => query(n, 'string')).concat([query('watch', 'boolean'), query('allowWatchBookmarks', 'boolean'), query('timeoutSeconds', 'integer')]);

function gvkOf(r: ResourceType, kind = r.kind, group = r.group, version = r.version): Json {
  return { group, version, kind };
}

function body(schema: Json, types: readonly string[] = ['application/json']): Json {
  return { required: true, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
}

function answer(model: string, codes: readonly string[]): Json {
  return Object.fromEntries(codes.map((c) => [c, { description: c === '201' ? 'Created' : 'OK', content: { 'application/json': { schema: ref(model) } } }]));
}

function operation(id: string, action: string, gvk: Json, responses: Json, extra: Json = {}): Json {
  return { operationId: id, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, responses, ...extra };
}

/** The paths of one resource: its collection(s), its items, its subresources. */
function pathsOf(r: ResourceType): Record<string, Json> {
  const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const model = modelOf(r);
  const gvk = gvkOf(r);
  const scope = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = '') => `${verb}${scope}${r.kind}${suffix}`;
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.name}` : `${prefix}/${r.name}`;
  const params = r.namespaced ? [pathParam('namespace')] : [];
  const itemParams = [pathParam('name'), ...params];
  const out: Record<string, Json> = {
    [base]: {
      parameters: params,
      get: operation(id('list'), 'list', gvk, answer(`${model}List`, ['200']), { parameters: LIST_PARAMS }),
      post: operation(id('create'), 'post', gvk, answer(model, ['200', '201']), { parameters: WRITE_PARAMS, requestBody: body(ref(model)) }),
    },
    [`${base}/{name}`]: {
      parameters: itemParams,
      get: operation(id('read'), 'get', gvk, answer(model, ['200'])),
      put: operation(id('replace'), 'put', gvk, answer(model, ['200']), { parameters: WRITE_PARAMS, requestBody: body(ref(model)) }),
      patch: operation(id('patch'), 'patch', gvk, answer(model, ['200']), { parameters: [...WRITE_PARAMS, query('force', 'boolean')], requestBody: body({}, PATCH_TYPES) }),
      delete: operation(id('delete'), 'delete', gvk, answer(model, ['200']), { parameters: [query('dryRun', 'string')], requestBody: { content: { 'application/json': { schema: ref('V1DeleteOptions') } } } }),
    },
  };
  if (r.namespaced) out[`${prefix}/${r.name}`] = { get: operation(`list${r.kind}ForAllNamespaces`, 'list', gvk, answer(`${model}List`, ['200']), { parameters: LIST_PARAMS }) };
  for (const sub of r.subresources ?? []) {
    const path = `${base}/{name}/${sub}`;
    const suffix = sub.charAt(0).toUpperCase() + sub.slice(1);
    if (sub === 'status') {
      out[path] = {
        parameters: itemParams,
        get: operation(id('read', 'Status'), 'get', gvk, answer(model, ['200'])),
        put: operation(id('replace', 'Status'), 'put', gvk, answer(model, ['200']), { parameters: WRITE_PARAMS, requestBody: body(ref(model)) }),
        patch: operation(id('patch', 'Status'), 'patch', gvk, answer(model, ['200']), { parameters: [...WRITE_PARAMS, query('force', 'boolean')], requestBody: body({}, PATCH_TYPES) }),
      };
    } else {
      const [kind, group, version] = sub === 'binding' ? ['Binding', '', 'v1'] : ['Eviction', 'policy', 'v1'];
      out[path] = { parameters: itemParams, post: operation(id('create', suffix), 'post', gvkOf(r, kind, group, version), answer('V1Status', ['201']), { parameters: WRITE_PARAMS, requestBody: body(ref(`V1${kind}`)) }) };
    }
  }
  return out;
}

/** The group-version paths of the index: `api/v1`, `apis/<group>/<version>`. */
function groupVersions(): readonly string[] {
  return [...new Set(RESOURCES.map((r) => (r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`)))];
}

/** The served kinds a model stands for (`x-kubernetes-group-version-kind` of its schema). */
function kindsOf(model: string): readonly Json[] | undefined {
  if (model === 'V1Binding') return [{ group: '', version: 'v1', kind: 'Binding' }];
  if (model === 'V1Eviction') return [{ group: 'policy', version: 'v1', kind: 'Eviction' }];
  const served = RESOURCES.filter((r) => modelOf(r) === model || `${modelOf(r)}List` === model);
  return served.length === 0 ? undefined : served.map((r) => gvkOf(r, modelOf(r) === model ? r.kind : `${r.kind}List`));
}

function documentOf(groupVersion: string): Json {
  const served = RESOURCES.filter((r) => (r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`) === groupVersion);
  const roots = [...served.flatMap((r) => [modelOf(r), `${modelOf(r)}List`]), 'V1Status', 'V1DeleteOptions'];
  if (served.some((r) => r.subresources?.includes('binding') === true)) roots.push('V1Binding');
  if (served.some((r) => r.subresources?.includes('eviction') === true)) roots.push('V1Eviction');
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (drover embedded API server)', version: served[0] === undefined ? 'v1' : apiVersionOf(served[0]) },
    paths: Object.assign({}, ...served.map(pathsOf)) as Json,
    components: { schemas: schemasFor(roots, kindsOf) },
  };
}

interface Documents {
  readonly index: Json;
  readonly byPath: ReadonlyMap<string, Json>;
}

let documents: Documents | null = null;

/** Built on first use: the schemas take a few milliseconds, and most servers never serve them. */
function built(): Documents {
  if (documents !== null) return documents;
  const byPath = new Map(groupVersions().map((gv) => [gv, documentOf(gv)]));
  const paths = Object.fromEntries(
    [...byPath].map(([gv, doc]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase()}` }]),
  );
  documents = { index: { paths }, byPath };
  return documents;
}

/** `/openapi/v3` (the index) or `/openapi/v3/<group-version>`; undefined for any other path. */
export function openApiV3(path: readonly string[]): Json | undefined {
  if (path.length === 0) return built().index;
  return built().byPath.get(path.join('/'));
}

/**
 * A chart renderer for tests, doing what `helm template` does for one chart without dependencies:
 * load Chart.yaml, values.yaml, values.schema.json, templates/ and the other files; merge the given
 * values over the chart's (maps deep, null deletes, lists replaced); validate the result against the
 * schema with ajv before rendering, as Helm does; render every template with `.Values`, `.Release`,
 * `.Chart` and `.Files`; split the output into documents, drop empty ones, and sort them in Helm's
 * install order. NOTES.txt is rendered on its own. Bad values and template errors come back as issues
 * with a path, not as exceptions.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { TemplateError } from './template/lex.js';
import { parseTemplate } from './template/parse.js';
import { TemplateSet } from './template/exec.js';
import { isMap, struct } from './template/values.js';

export interface Chart {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly appVersion: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly schema: object | null;
  /** templates/..., by path relative to the chart, sorted. */
  readonly templates: ReadonlyMap<string, string>;
  /** The other files, for `.Files.Get`. */
  readonly files: ReadonlyMap<string, string>;
}

export interface Manifest {
  /** The template it came from, e.g. `drover/templates/scheduler/deployment.yaml`. */
  readonly source: string;
  readonly text: string;
  readonly object: Record<string, unknown> & { readonly kind: string; readonly apiVersion: string; readonly metadata: { readonly name: string; readonly namespace?: string } };
}

export interface RenderIssue {
  /** `schema-<ajv keyword>` for a value the schema refuses, `template` for a rendering error, `manifest` for output that is not one Kubernetes object. */
  readonly code: string;
  /** The value's path (`scheduler.replicas`) or the template's place (`templates/x.yaml:12`). */
  readonly path: string;
  readonly message: string;
}

export type RenderResult =
  | { readonly ok: true; readonly manifests: readonly Manifest[]; readonly notes: string; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly issues: readonly RenderIssue[] };

export interface Release {
  readonly name: string;
  readonly namespace: string;
}

/** Helm's releaseutil.InstallOrder; kinds not listed go last. */
export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret',
  'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList',
  'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
] as const;

const SPECIAL_FILES = new Set(['Chart.yaml', 'values.yaml', 'values.schema.json', '.helmignore']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function loadChart(dir: string): Chart {
  const meta = load(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
  if (!isMap(meta) || typeof meta.name !== 'string' || typeof meta.version !== 'string') throw new Error(`${dir}/Chart.yaml: name and version are required`);
  const values = load(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {};
  if (!isMap(values)) throw new Error(`${dir}/values.yaml is not a map`);
  let schema: object | null = null;
  try {
    schema = JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as object;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  const templates = new Map<string, string>();
  const files = new Map<string, string>();
  for (const path of walk(dir).sort()) {
    const rel = relative(dir, path).split(sep).join('/');
    if (rel.startsWith('templates/')) templates.set(rel, readFileSync(path, 'utf8'));
    else if (!SPECIAL_FILES.has(rel) && !rel.startsWith('charts/')) files.set(rel, readFileSync(path, 'utf8'));
  }
  return { dir, name: meta.name, version: meta.version, appVersion: typeof meta.appVersion === 'string' ? meta.appVersion : '', values, schema, templates, files };
}

/** Helm's coalescing of user values over the chart's: maps merge, null deletes, anything else replaces. */
export function mergeValues(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(b)) out[k] = mergeValues(b, v);
    else out[k] = v;
  }
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

function schemaIssues(schema: object, values: unknown): RenderIssue[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(values)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => {
    const parts = e.instancePath.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const extra = params.missingProperty ?? params.additionalProperty;
    if (extra !== undefined) parts.push(extra);
    return { code: `schema-${e.keyword}`, path: parts.join('.'), message: e.message ?? e.keyword };
  });
}

/** Render `chart` as `helm template --namespace NS NAME CHART -f values` would. */
export function renderChart(chart: Chart, release: Release, overrides: Readonly<Record<string, unknown>> = {}): RenderResult {
  const values = mergeValues(chart.values, overrides);
  if (chart.schema !== null) {
    const issues = schemaIssues(chart.schema, values);
    if (issues.length > 0) return { ok: false, issues };
  }
  const top = {
    Values: values,
    Release: struct('chartutil.Release', { Name: release.name, Namespace: release.namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1n }),
    Chart: struct('chart.Metadata', { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion }),
    Files: struct('chart.Files', { Get: (path: unknown) => (typeof path === 'string' ? (chart.files.get(path) ?? '') : '') }),
  };
  try {
    const parsed = [...chart.templates].map(([path, src]) => parseTemplate(`${chart.name}/${path}`, src));
    const set = new TemplateSet(parsed);
    const manifests: Manifest[] = [];
    const issues: RenderIssue[] = [];
    let notes = '';
    for (const t of parsed) {
      const base = t.file.split('/').at(-1) ?? '';
      if (base.startsWith('_')) continue;
      const text = set.render(t, top);
      if (base === 'NOTES.txt') {
        notes = text;
        continue;
      }
      for (const doc of text.split(/^---[ \t]*(?:#.*)?$/m)) {
        // Helm drops documents with nothing but whitespace and comments.
        if (doc.replace(/^[ \t]*#.*$/gm, '').trim() === '') continue;
        let object: unknown;
        try {
          object = load(doc);
        } catch (e) {
          issues.push({ code: 'manifest', path: t.file, message: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (object === null || object === undefined) continue;
        const m = object as Manifest['object'];
        if (!isMap(object) || typeof m.kind !== 'string' || typeof m.apiVersion !== 'string' || !isMap(m.metadata) || typeof m.metadata.name !== 'string') {
          issues.push({ code: 'manifest', path: t.file, message: 'a document that is not a Kubernetes object with apiVersion, kind and metadata.name' });
          continue;
        }
        manifests.push({ source: t.file, text: doc.trim(), object: m });
      }
    }
    if (issues.length > 0) return { ok: false, issues };
    const rank = (kind: string) => {
      const i = (INSTALL_ORDER as readonly string[]).indexOf(kind);
      return i < 0 ? INSTALL_ORDER.length : i;
    };
    manifests.sort((a, b) => rank(a.object.kind) - rank(b.object.kind) || (rank(a.object.kind) === INSTALL_ORDER.length ? a.object.kind.localeCompare(b.object.kind) : 0));
    return { ok: true, manifests, notes, values };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, issues: [{ code: 'template', path: `${e.file}:${e.line}`, message: e.detail }] };
    throw e;
  }
}

/** The manifests as one multi-document YAML stream, as `helm template` prints it. */
export function toStream(manifests: readonly Manifest[]): string {
  return manifests.map((m) => `---\n# Source: ${m.source}\n${m.text}\n`).join('');
}

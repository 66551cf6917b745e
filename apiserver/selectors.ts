/**
 * Label and field selectors, as the Kubernetes API server reads them from `?labelSelector=` and
 * `?fieldSelector=`. A selector that cannot be parsed is a typed error (the server answers 400 with
 * the message), never an exception.
 *
 * Label selector grammar (k8s.io/apimachinery/pkg/labels):
 *   selector    ::= requirement ("," requirement)*
 *   requirement ::= key ("=" | "==" | "!=") value | key ("in" | "notin") "(" values ")" | key | "!" key
 * Field selectors support `=`, `==` and `!=` on the fields each resource lists (FIELDS below).
 */

export type Requirement =
  | { readonly key: string; readonly op: 'in'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' }
  | { readonly key: string; readonly op: '!exists' };

export type Selector = readonly Requirement[];

export type SelectorResult = { readonly ok: true; readonly selector: Selector } | { readonly ok: false; readonly message: string };

const KEY = /^([a-z0-9A-Z]([a-z0-9A-Z._-]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([a-z0-9A-Z._-]*[a-z0-9A-Z])?$/;
/** A label value: empty, or alphanumerics with - _ . inside. */
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Split on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function requirement(raw: string): Requirement | string {
  const part = raw.trim();
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set !== null) {
    const [, key = '', op = 'in', list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    if (!KEY.test(key)) return `invalid label key '${key}'`;
    const bad = values.find((v) => !VALUE.test(v));
    if (bad !== undefined) return `invalid label value '${bad}'`;
    return op === 'in' ? { key, op: 'in', values } : { key, op: 'notin', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (eq !== null) {
    const [, key = '', op = '=', value = ''] = eq;
    if (!KEY.test(key)) return `invalid label key '${key}'`;
    if (!VALUE.test(value)) return `invalid label value '${value}'`;
    return op === '!=' ? { key, op: 'notin', values: [value] } : { key, op: 'in', values: [value] };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    return KEY.test(key) ? { key, op: '!exists' } : `invalid label key '${key}'`;
  }
  return KEY.test(part) ? { key: part, op: 'exists' } : `unable to parse requirement '${part}'`;
}

export function parseLabelSelector(text: string | undefined): SelectorResult {
  if (text === undefined || text.trim() === '') return { ok: true, selector: [] };
  const reqs: Requirement[] = [];
  for (const raw of splitTop(text)) {
    const r = requirement(raw);
    if (typeof r === 'string') return { ok: false, message: `labelSelector '${text}': ${r}` };
    reqs.push(r);
  }
  return { ok: true, selector: reqs };
}

export function matches(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case 'in':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && r.values.includes(value)) return false;
        break;
    }
  }
  return true;
}

/** The fields each resource may be selected on, and how to read them from an object. */
export const FIELDS: Readonly<Record<string, Readonly<Record<string, (o: KubeObject) => string>>>> = {
  '*': {
    'metadata.name': (o) => o.metadata?.name ?? '',
    'metadata.namespace': (o) => o.metadata?.namespace ?? '',
  },
  pods: {
    'spec.nodeName': (o) => str(o.spec?.nodeName),
    'spec.schedulerName': (o) => str(o.spec?.schedulerName),
    'status.phase': (o) => str(o.status?.phase),
  },
  // The fields the real server selects events on (kubectl describe asks for name, namespace and uid).
  events: {
    ...Object.fromEntries(
      ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [`involvedObject.${f}`, (o: KubeObject) => str(record(o.involvedObject)[f])]),
    ),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(record(o.source).component),
    type: (o) => str(o.type),
  },
};

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

export type FieldSelector = readonly { readonly read: (o: KubeObject) => string; readonly equal: boolean; readonly value: string }[];

export type FieldSelectorResult = { readonly ok: true; readonly selector: FieldSelector } | { readonly ok: false; readonly message: string };

export function parseFieldSelector(text: string | undefined, resource: string): FieldSelectorResult {
  if (text === undefined || text.trim() === '') return { ok: true, selector: [] };
  const out: { read: (o: KubeObject) => string; equal: boolean; value: string }[] = [];
  for (const raw of text.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (m === null) return { ok: false, message: `fieldSelector '${text}': unable to parse '${raw}'` };
    const [, field = '', op = '=', value = ''] = m;
    const read = FIELDS['*']?.[field] ?? FIELDS[resource]?.[field];
    if (read === undefined) return { ok: false, message: `field label not supported: ${field}` };
    out.push({ read, equal: op !== '!=', value });
  }
  return { ok: true, selector: out };
}

export function matchesFields(selector: FieldSelector, o: KubeObject): boolean {
  return selector.every((f) => (f.read(o) === f.value) === f.equal);
}

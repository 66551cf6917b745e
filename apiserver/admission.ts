/**
 * Admission for the embedded API server: on create and update, the registered mutating webhooks,
 * then the validating ones, are called over HTTPS with AdmissionReview v1, as the real API server
 * calls them: rules (operations, groups, versions, resources, scope), namespace and object selectors
 * (matchLabels), the caBundle as the only trusted CA, timeoutSeconds, and failurePolicy (Fail, the
 * default, refuses the request when a webhook cannot be reached; Ignore goes on). A mutating
 * webhook's JSONPatch is applied before the next one is called. Only `clientConfig.url` is reachable
 * here; a service reference is called at https://localhost:<service.port><service.path>.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { jsonPatchOf } from './patch.js';
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import type { KubeObject } from './selectors.js';
import type { ObjectStore } from './store.js';

export interface AdmissionCall {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  readonly object: KubeObject;
  readonly oldObject: KubeObject | null;
  readonly user: { readonly username: string; readonly groups: readonly string[] };
}

/** The admitted object with the webhooks' warnings (returned to the client as Warning headers), or the refusal. */
export type AdmissionResult = { readonly ok: true; readonly object: KubeObject; readonly warnings: readonly string[] } | { readonly ok: false; readonly code: number; readonly message: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

function ruleMatches(rule: Obj, call: AdmissionCall): boolean {
  const any = (values: string[], value: string) => values.includes('*') || values.includes(value);
  if (!any(strings(rule.operations), call.operation)) return false;
  if (!any(strings(rule.apiGroups), call.resource.group)) return false;
  if (!any(strings(rule.apiVersions), call.resource.version)) return false;
  if (!any(strings(rule.resources), call.resource.name)) return false;
  const scope = typeof rule.scope === 'string' ? rule.scope : '*';
  return scope === '*' || (scope === 'Namespaced') === call.resource.namespaced;
}

function labelsMatch(selector: unknown, labels: Readonly<Record<string, string>> | undefined): boolean {
  const s = obj(selector);
  for (const [k, v] of Object.entries(obj(s.matchLabels))) if (labels?.[k] !== v) return false;
  for (const e of list(s.matchExpressions)) {
    const { key, operator, values } = obj(e);
    const value = typeof key === 'string' ? labels?.[key] : undefined;
    const vs = strings(values);
    if (operator === 'In' && (value === undefined || !vs.includes(value))) return false;
    if (operator === 'NotIn' && value !== undefined && vs.includes(value)) return false;
    if (operator === 'Exists' && value === undefined) return false;
    if (operator === 'DoesNotExist' && value !== undefined) return false;
  }
  return true;
}

function urlOf(clientConfig: Obj): string | null {
  if (typeof clientConfig.url === 'string') return clientConfig.url;
  const service = obj(clientConfig.service);
  if (typeof service.name !== 'string') return null;
  const port = typeof service.port === 'number' ? service.port : 443;
  return `https://localhost:${port}${typeof service.path === 'string' ? service.path : '/'}`;
}

function post(url: string, caPem: string | undefined, body: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }, ...(caPem === undefined ? {} : { ca: caPem }), timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) {
          reject(new Error(`the webhook answered HTTP ${res.statusCode ?? 0}`));
          return;
        }
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('the webhook did not answer JSON'));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`the webhook did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Run the webhooks of `kind` (mutating or validating) that match `call`. */
async function runKind(store: ObjectStore, kind: 'mutating' | 'validating', call: AdmissionCall, object: KubeObject): Promise<AdmissionResult> {
  const configs = store.list(`admissionregistration.k8s.io/${kind}webhookconfigurations`, null).items;
  const namespace = call.namespace === undefined ? undefined : store.get('/namespaces', undefined, call.namespace);
  const nsLabels = namespace?.ok === true ? namespace.value.metadata?.labels : undefined;
  let current = object;
  const warnings: string[] = [];
  for (const config of configs) {
    for (const hook of list(config.webhooks).map(obj)) {
      if (!list(hook.rules).some((r) => ruleMatches(obj(r), call))) continue;
      if (hook.namespaceSelector !== undefined && call.resource.namespaced && !labelsMatch(hook.namespaceSelector, nsLabels)) continue;
      if (hook.objectSelector !== undefined && !labelsMatch(hook.objectSelector, current.metadata?.labels)) continue;
      const name = typeof hook.name === 'string' ? hook.name : '(unnamed)';
      const clientConfig = obj(hook.clientConfig);
      const url = urlOf(clientConfig);
      const ca = typeof clientConfig.caBundle === 'string' ? Buffer.from(clientConfig.caBundle, 'base64').toString('utf8') : undefined;
      const timeoutMs = (typeof hook.timeoutSeconds === 'number' ? hook.timeoutSeconds : 10) * 1000;
      const ignore = hook.failurePolicy === 'Ignore';
      const uid = randomUUID();
      const review = {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid,
          kind: { group: call.resource.group, version: call.resource.version, kind: call.resource.kind },
          resource: { group: call.resource.group, version: call.resource.version, resource: call.resource.name },
          requestKind: { group: call.resource.group, version: call.resource.version, kind: call.resource.kind },
          name: current.metadata?.name ?? '',
          ...(call.namespace === undefined ? {} : { namespace: call.namespace }),
          operation: call.operation,
          userInfo: { username: call.user.username, groups: [...call.user.groups] },
          object: { ...current, apiVersion: apiVersionOf(call.resource), kind: call.resource.kind },
          oldObject: call.oldObject,
          dryRun: false,
        },
      };
      let answer: Obj;
      try {
        if (url === null) throw new Error('the webhook has no url or service');
        answer = obj(obj(await post(url, ca, review, timeoutMs)).response);
      } catch (e) {
        if (ignore) continue;
        return { ok: false, code: 500, message: `Internal error occurred: failed calling webhook "${name}": ${e instanceof Error ? e.message : String(e)}` };
      }
      if (answer.uid !== uid) {
        if (ignore) continue;
        return { ok: false, code: 500, message: `Internal error occurred: webhook "${name}" answered for another request` };
      }
      warnings.push(...strings(answer.warnings));
      if (answer.allowed !== true) {
        const status = obj(answer.status);
        const code = typeof status.code === 'number' ? status.code : 400;
        return { ok: false, code, message: `admission webhook "${name}" denied the request: ${typeof status.message === 'string' ? status.message : 'denied'}` };
      }
      if (kind === 'mutating' && typeof answer.patch === 'string') {
        const ops: unknown = JSON.parse(Buffer.from(answer.patch, 'base64').toString('utf8'));
        const patched = jsonPatchOf(current, ops);
        if (!patched.ok) return { ok: false, code: 500, message: `Internal error occurred: the patch of webhook "${name}" cannot be applied: ${patched.message}` };
        current = obj(patched.value);
      }
    }
  }
  return { ok: true, object: current, warnings };
}

/** Mutating webhooks, then validating ones; the object as admitted, or the refusal. */
export async function admit(store: ObjectStore, call: AdmissionCall): Promise<AdmissionResult> {
  const mutated = await runKind(store, 'mutating', call, call.object);
  if (!mutated.ok) return mutated;
  const validated = await runKind(store, 'validating', call, mutated.object);
  return validated.ok ? { ...validated, warnings: [...mutated.warnings, ...validated.warnings] } : validated;
}

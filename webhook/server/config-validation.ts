/**
 * `/validate-conf`: refuse an edit of one of the scheduler's ConfigMaps whose `queues.yaml` would not
 * load, with every issue, its path and its line, using the same loader as `drover validate` and the
 * scheduler, in-process (YuniKorn's webhook asks the running scheduler instead, so its check fails
 * open while the scheduler is down).
 *
 * Merging defaults and user ConfigMaps: the scheduler reads `<name>-defaults`, then `<name>-configs`
 * over it, key by key; `queues.yaml` is one key, taken whole from the user ConfigMap when it has one
 * and from the defaults otherwise. So the text of the edited ConfigMap is exactly the text the
 * scheduler loads whenever it is the one in force, and validating it alone is what the merge would
 * validate. The one case the edited ConfigMap cannot decide alone, an edit that leaves no
 * `queues.yaml` (the other ConfigMap's, or the built-in default, then applies), is allowed with a
 * warning: reading the other ConfigMap needs the Kubernetes API, which comes with the shim.
 *
 * Warnings (configuration warnings, admission settings the webhook would not apply) are returned as
 * AdmissionReview warnings, which kubectl prints.
 */
import { loadConfig } from '../../core/config/index.js';
import type { ConfigIssue } from '../../core/config/index.js';
import { admissionSettings } from '../admission/index.js';
import type { AdmissionRequest, ReviewAnswer } from './review.js';
import { describe } from './review.js';

export const QUEUES_KEY = 'queues.yaml';

/** drover's ConfigMaps and YuniKorn's, so that a cluster migrating from YuniKorn is covered too. */
export const DEFAULT_CONFIG_MAP_NAMES: readonly string[] = ['drover-configs', 'drover-defaults', 'yunikorn-configs', 'yunikorn-defaults'];

/** The answer, and what the log records about it. */
export interface ValidationResult {
  readonly answer: ReviewAnswer;
  readonly code: 'valid' | 'invalid' | 'not-watched' | 'no-queues' | 'malformed-object' | 'operation-not-handled';
  readonly configMap: string;
  readonly issues: readonly ConfigIssue[];
}

/** At most this many issues are listed in a refusal (the API server shows the message to a person). */
const MAX_LISTED = 20;

type Obj = { readonly [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export function validateConfigMap(request: AdmissionRequest, names: ReadonlySet<string>): ValidationResult {
  const result = (code: ValidationResult['code'], answer: ReviewAnswer, configMap = request.name, issues: readonly ConfigIssue[] = []): ValidationResult => ({ answer, code, configMap, issues });
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return result('operation-not-handled', { allowed: true });
  if (request.kind.group !== '' || request.kind.kind !== 'ConfigMap') return result('not-watched', { allowed: true });
  const object = request.object;
  if (!isObj(object)) return result('malformed-object', { allowed: false, statusCode: 400, message: `the ConfigMap must be an object, not ${describe(object)}` });
  const metadata = own(object, 'metadata');
  const name = isObj(metadata) ? own(metadata, 'name') : undefined;
  const configMap = typeof name === 'string' && name !== '' ? name : request.name;
  if (!names.has(configMap)) return result('not-watched', { allowed: true }, configMap);
  const data = own(object, 'data');
  if (data !== undefined && data !== null && !isObj(data)) return result('malformed-object', { allowed: false, statusCode: 400, message: `ConfigMap ${configMap}: data must be an object, not ${describe(data)}` }, configMap);
  const entries: Obj = isObj(data) ? data : {};
  const settingsWarnings = admissionSettings(entries).problems.map((p) => `ConfigMap ${configMap}: ${p.message}`);
  const text = own(entries, QUEUES_KEY);
  if (text === undefined || text === null) {
    const warning = `ConfigMap ${configMap} has no data["${QUEUES_KEY}"]: the scheduler uses the one of the other ConfigMap of the pair, or the built-in default`;
    return result('no-queues', { allowed: true, warnings: [warning, ...settingsWarnings] }, configMap);
  }
  if (typeof text !== 'string') {
    return result('malformed-object', { allowed: false, statusCode: 400, message: `ConfigMap ${configMap}: data["${QUEUES_KEY}"] must be a string, not ${describe(text)}` }, configMap);
  }
  const loaded = loadConfig(text);
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  const warnings = [...loaded.issues.filter((i) => i.severity === 'warning').map((i) => `ConfigMap ${configMap}: ${formatIssue(i)}`), ...settingsWarnings];
  if (loaded.ok) return result('valid', { allowed: true, warnings }, configMap, loaded.issues);
  const listed = errors.slice(0, MAX_LISTED).map((i) => `  ${formatIssue(i)}`);
  const more = errors.length > MAX_LISTED ? [`  ... and ${errors.length - MAX_LISTED} more (run 'drover validate' on the manifest for all of them)`] : [];
  const message = [`ConfigMap ${configMap}: data["${QUEUES_KEY}"] is not a valid configuration (${errors.length} error${errors.length === 1 ? '' : 's'}):`, ...listed, ...more].join('\n');
  return result('invalid', { allowed: false, statusCode: 422, message, warnings }, configMap, loaded.issues);
}

/** `queues.yaml:12:19: guaranteed-above-max at partitions[0]...: message`, as `drover validate` prints it. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line === null ? QUEUES_KEY : `${QUEUES_KEY}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.code} at ${i.path === '' ? '(document)' : i.path}: ${i.message}`;
}

/**
 * `/validate-conf`: refuse an edit of one of the scheduler's ConfigMaps when the configuration the
 * scheduler would load after it is not valid, with every issue, its path and its line, using the same
 * loader as `drover validate` and the scheduler, in-process (YuniKorn's webhook asks the running
 * scheduler instead, so its check fails open while the scheduler is down).
 *
 * The scheduler merges the defaults ConfigMap and the user ConfigMap key by key, the user's winning
 * (`config-maps.ts`); `queues.yaml` is one key. With a view of the namespace (`MergeContext`, from the
 * cluster), an edit is checked merged with the other ConfigMap of the pair as it is now: an edit of
 * the user ConfigMap that removes its queues.yaml is refused when the defaults' queues.yaml is
 * invalid, and an edit of the defaults whose queues.yaml is shadowed by the user's is allowed with a
 * warning. Without a view (no cluster), the edited ConfigMap is checked alone, and an edit that
 * leaves no queues.yaml is allowed with a warning.
 *
 * Warnings (configuration warnings, admission settings the webhook would not apply) are returned as
 * AdmissionReview warnings, which kubectl prints.
 */
import { loadConfig } from '../../core/config/index.js';
import type { ConfigIssue } from '../../core/config/index.js';
import { admissionSettings } from '../admission/index.js';
import { mergeData, pairWithEdit, roleOf, sourceOf } from './config-maps.js';
import type { ConfigMapNames, ConfigMapView, Pair } from './config-maps.js';
import type { AdmissionRequest, ReviewAnswer } from './review.js';
import { describe } from './review.js';

export const QUEUES_KEY = 'queues.yaml';

/** drover's ConfigMaps and YuniKorn's, so that a cluster migrating from YuniKorn is covered too. */
export const DEFAULT_CONFIG_MAP_NAMES: readonly string[] = ['drover-configs', 'drover-defaults', 'yunikorn-configs', 'yunikorn-defaults'];

/** The roles of the ConfigMaps and what the namespace holds now, for checking an edit merged. */
export interface MergeContext {
  readonly names: ConfigMapNames;
  readonly view: ConfigMapView;
}

/** The answer, and what the log records about it. */
export interface ValidationResult {
  readonly answer: ReviewAnswer;
  readonly code: 'valid' | 'invalid' | 'not-watched' | 'no-queues' | 'malformed-object' | 'operation-not-handled';
  readonly configMap: string;
  /** The ConfigMap whose queues.yaml was checked (the edited one, or the other of the pair). */
  readonly queuesFrom: string | null;
  readonly issues: readonly ConfigIssue[];
}

/** At most this many issues are listed in a refusal (the API server shows the message to a person). */
const MAX_LISTED = 20;

type Obj = { readonly [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export function validateConfigMap(request: AdmissionRequest, names: ReadonlySet<string>, merge?: MergeContext): ValidationResult {
  const result = (code: ValidationResult['code'], answer: ReviewAnswer, configMap = request.name, issues: readonly ConfigIssue[] = [], queuesFrom: string | null = null): ValidationResult => ({ answer, code, configMap, queuesFrom, issues });
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
  const edited = { name: configMap, data: isObj(data) ? data : {} };
  const ownQueues = own(edited.data, QUEUES_KEY);
  if (ownQueues !== undefined && ownQueues !== null && typeof ownQueues !== 'string') {
    return result('malformed-object', { allowed: false, statusCode: 400, message: `ConfigMap ${configMap}: data["${QUEUES_KEY}"] must be a string, not ${describe(ownQueues)}` }, configMap);
  }
  // In the namespace the view covers, the edit is checked merged with the other ConfigMap of its pair.
  const role = merge !== undefined && request.namespace === merge.view.namespace ? roleOf(merge.names, configMap) : null;
  const pair: Pair = merge !== undefined && role !== null ? pairWithEdit(merge.names, merge.view, role, edited) : { user: edited, defaults: null };
  const merged = mergeData(pair);
  const partner = role === null ? null : (role === 'user' ? pair.defaults : pair.user)?.name ?? null;
  const settingsWarnings = admissionSettings(merged).problems.map((p) => `ConfigMap ${configMap}${partner === null ? '' : ` (merged with ${partner})`}: ${p.message}`);
  const source = sourceOf(pair, QUEUES_KEY);
  const text = source === null ? undefined : merged[QUEUES_KEY];
  if (source === null || typeof text !== 'string') {
    const warning = role === null
      ? `ConfigMap ${configMap} has no data["${QUEUES_KEY}"]: the scheduler uses the one of the other ConfigMap of the pair, or the built-in default`
      : `neither ConfigMap ${configMap}${partner === null ? '' : ` nor ${partner}`} has data["${QUEUES_KEY}"]: the scheduler uses its built-in default`;
    return result('no-queues', { allowed: true, warnings: [warning, ...settingsWarnings] }, configMap);
  }
  const loaded = loadConfig(text);
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  const warnings = [...loaded.issues.filter((i) => i.severity === 'warning').map((i) => `ConfigMap ${source}: ${formatIssue(i)}`), ...shadowed(configMap, source, ownQueues), ...settingsWarnings];
  if (loaded.ok) return result('valid', { allowed: true, warnings }, configMap, loaded.issues, source);
  const listed = errors.slice(0, MAX_LISTED).map((i) => `  ${formatIssue(i)}`);
  const more = errors.length > MAX_LISTED ? [`  ... and ${errors.length - MAX_LISTED} more (run 'drover validate' on the manifest for all of them)`] : [];
  const whose = source === configMap ? `ConfigMap ${configMap}: data["${QUEUES_KEY}"]` : `ConfigMap ${configMap} leaves data["${QUEUES_KEY}"] to ConfigMap ${source}, whose`;
  const message = [`${whose} is not a valid configuration (${errors.length} error${errors.length === 1 ? '' : 's'}):`, ...listed, ...more].join('\n');
  return result('invalid', { allowed: false, statusCode: 422, message, warnings }, configMap, loaded.issues, source);
}

/** An edited queues.yaml that the other ConfigMap's overrides: not in force, but worth knowing about. */
function shadowed(configMap: string, source: string, ownQueues: unknown): string[] {
  if (source === configMap || typeof ownQueues !== 'string') return [];
  const errors = loadConfig(ownQueues).issues.filter((i) => i.severity === 'error');
  const state = errors.length === 0 ? 'is valid' : `has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: ${errors[0] === undefined ? '' : formatIssue(errors[0])})`;
  return [`ConfigMap ${configMap}: data["${QUEUES_KEY}"] is not in force while ConfigMap ${source} has its own; it ${state}`];
}

/** `queues.yaml:12:19: guaranteed-above-max at partitions[0]...: message`, as `drover validate` prints it. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line === null ? QUEUES_KEY : `${QUEUES_KEY}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.code} at ${i.path === '' ? '(document)' : i.path}: ${i.message}`;
}

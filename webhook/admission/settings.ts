/**
 * Admission settings: read from YuniKorn's ConfigMap keys (`admissionController.filtering.*`,
 * `admissionController.accessControl.*`) or from the simulator's short keys, into one frozen, typed
 * value. Reading never fails: an unreadable value is reported as a problem naming its key and the
 * setting keeps its default, as YuniKorn's admission controller does.
 */
import { compileRe2 } from '../../core/config/check-placement.js';
import type { ApplicationLabel } from './engines.js';
import { DEFAULT_APPLICATION_LABELS, formatApplicationLabel } from './engines.js';
import { DEFAULT_SCHEDULER_NAME } from './keys.js';

/** A namespace, user or group filter entry: the text as written and the expression it compiles to. */
export interface Pattern {
  readonly text: string;
  readonly regex: RegExp;
}

/** Filters are lists of unanchored regular expressions; a value matches if any entry matches it. */
export type Patterns = readonly Pattern[];

export interface AdmissionSettings {
  /** Written to `spec.schedulerName` of every managed pod (default `drover`). */
  readonly schedulerName: string;
  /** Only these namespaces are processed; empty = all (default empty). */
  readonly processNamespaces: Patterns;
  /** Never processed, even if in processNamespaces (default `^kube-system$`). */
  readonly bypassNamespaces: Patterns;
  /** Only pods of these namespaces get a generated application id; empty = all (default empty). */
  readonly labelNamespaces: Patterns;
  /** Never get a generated application id, even if in labelNamespaces (default empty). */
  readonly noLabelNamespaces: Patterns;
  /** Generate one application id per pod (`<namespace>-<uid>`) instead of one per namespace. */
  readonly generateUniqueAppId: boolean;
  /** Do not read, write or check the user info annotation at all (default false). */
  readonly bypassAuth: boolean;
  /** Let the users matching systemUsers set the user info annotation themselves (default true). */
  readonly trustControllers: boolean;
  /** The controllers' users (default `^system:serviceaccount:kube-system:`). */
  readonly systemUsers: Patterns;
  /** Other users allowed to set the user info annotation themselves (default none). */
  readonly externalUsers: Patterns;
  /** Groups whose members may set the user info annotation themselves (default none). */
  readonly externalGroups: Patterns;
  /**
   * drover's own: the label keys that name an application when the pod names none of YuniKorn's
   * (which keep precedence), each optionally guarded by another label's value. The first that
   * matches wins. Default: the engines' keys (engines.ts).
   */
  readonly applicationLabels: readonly ApplicationLabel[];
}

type KeyType = 'patterns' | 'bool' | 'schedulerName' | 'applicationLabels';
interface KeySpec {
  /** The key in YuniKorn's ConfigMap; null for a setting that is drover's own. */
  readonly yunikorn: string | null;
  readonly type: KeyType;
  /** The default, as text in the same syntax as a configured value. */
  readonly fallback: string;
}

const FILTERING = 'admissionController.filtering.';
const ACCESS = 'admissionController.accessControl.';

/** Every setting: its YuniKorn key, its type and its default. The short key is the setting's name. */
export const ADMISSION_KEYS = {
  schedulerName: { yunikorn: null, type: 'schedulerName', fallback: DEFAULT_SCHEDULER_NAME },
  processNamespaces: { yunikorn: `${FILTERING}processNamespaces`, type: 'patterns', fallback: '' },
  bypassNamespaces: { yunikorn: `${FILTERING}bypassNamespaces`, type: 'patterns', fallback: '^kube-system$' },
  labelNamespaces: { yunikorn: `${FILTERING}labelNamespaces`, type: 'patterns', fallback: '' },
  noLabelNamespaces: { yunikorn: `${FILTERING}noLabelNamespaces`, type: 'patterns', fallback: '' },
  generateUniqueAppId: { yunikorn: `${FILTERING}generateUniqueAppId`, type: 'bool', fallback: 'false' },
  bypassAuth: { yunikorn: `${ACCESS}bypassAuth`, type: 'bool', fallback: 'false' },
  trustControllers: { yunikorn: `${ACCESS}trustControllers`, type: 'bool', fallback: 'true' },
  systemUsers: { yunikorn: `${ACCESS}systemUsers`, type: 'patterns', fallback: '^system:serviceaccount:kube-system:' },
  externalUsers: { yunikorn: `${ACCESS}externalUsers`, type: 'patterns', fallback: '' },
  externalGroups: { yunikorn: `${ACCESS}externalGroups`, type: 'patterns', fallback: '' },
  applicationLabels: { yunikorn: null, type: 'applicationLabels', fallback: DEFAULT_APPLICATION_LABELS.map(formatApplicationLabel).join(',') },
} as const satisfies Record<keyof AdmissionSettings, KeySpec>;

/** Keys older YuniKorn releases read and current ones do not: reported, never applied. */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  [`${FILTERING}defaultQueue`]:
    'YuniKorn 1.5 stopped writing a default queue label; the placement rules of queues.yaml choose the queue of a pod without one',
};

export const SETTINGS_PROBLEM_CODES = {
  'regex-invalid': 'an entry of a filter list is not a regular expression; the whole list keeps its default',
  'bool-invalid': 'not a boolean as Go reads one (true, false, 1, 0, t, f in any of their cases); the default is kept',
  'name-invalid': 'the scheduler name is not a DNS subdomain as Kubernetes requires; the default is kept',
  'label-invalid': 'an entry of applicationLabels is not `key` or `key@guardKey=guardValue` with valid label keys and value; the whole list keeps its default',
  'value-not-text': 'a value that is not a string; the default is kept',
  'key-conflict': 'both the YuniKorn key and the short key are set, to different values; the YuniKorn key wins',
  'key-removed': 'a key YuniKorn no longer reads; it is ignored',
  'key-unknown': 'an admission controller key that does not exist; it is ignored',
} as const;
export type SettingsProblemCode = keyof typeof SETTINGS_PROBLEM_CODES;

export interface SettingsProblem {
  readonly code: SettingsProblemCode;
  /** The key as it was written in the input. */
  readonly key: string;
  readonly message: string;
}

export interface SettingsResult {
  readonly settings: AdmissionSettings;
  readonly problems: readonly SettingsProblem[];
}

const GO_BOOL: Readonly<Record<string, boolean>> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};
/** Kubernetes validates spec.schedulerName as a DNS-1123 subdomain. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Read admission settings from ConfigMap data. Keys other than the admission keys (queues.yaml,
 * log levels, ...) are ignored, so the whole `yunikorn-configs` data can be passed in.
 */
export function admissionSettings(raw: Readonly<Record<string, unknown>>): SettingsResult {
  const problems: SettingsProblem[] = [];
  const text = (name: keyof AdmissionSettings): { key: string; value: string } | null => lookup(raw, name, problems);

  const patterns = (name: keyof AdmissionSettings): Patterns => {
    const fallback = ADMISSION_KEYS[name].fallback;
    const found = text(name);
    if (found === null) return mustCompile(fallback);
    const parsed = compilePatterns(found.value);
    if (parsed.ok) return parsed.patterns;
    problems.push({ code: 'regex-invalid', key: found.key, message: `${found.key}: '${parsed.entry}' is not a regular expression (${parsed.message}); the default '${fallback}' is used` });
    return mustCompile(fallback);
  };
  const bool = (name: keyof AdmissionSettings): boolean => {
    const fallback = GO_BOOL[ADMISSION_KEYS[name].fallback] === true;
    const found = text(name);
    if (found === null) return fallback;
    const value = Object.hasOwn(GO_BOOL, found.value) ? GO_BOOL[found.value] : undefined;
    if (value !== undefined) return value;
    problems.push({ code: 'bool-invalid', key: found.key, message: `${found.key}: '${found.value}' is not true or false; the default ${String(fallback)} is used` });
    return fallback;
  };
  const schedulerName = (): string => {
    const found = text('schedulerName');
    if (found === null) return DEFAULT_SCHEDULER_NAME;
    if (found.value.length <= 253 && DNS_SUBDOMAIN.test(found.value)) return found.value;
    problems.push({ code: 'name-invalid', key: found.key, message: `${found.key}: '${found.value}' is not a valid scheduler name (lower-case letters, digits, '-' and '.'); '${DEFAULT_SCHEDULER_NAME}' is used` });
    return DEFAULT_SCHEDULER_NAME;
  };
  const applicationLabels = (): readonly ApplicationLabel[] => {
    const found = text('applicationLabels');
    if (found === null) return DEFAULT_APPLICATION_LABELS;
    const parsed = parseApplicationLabels(found.value);
    if (parsed.ok) return parsed.labels;
    problems.push({ code: 'label-invalid', key: found.key, message: `${found.key}: '${parsed.entry}' ${parsed.message}; the default '${ADMISSION_KEYS.applicationLabels.fallback}' is used` });
    return DEFAULT_APPLICATION_LABELS;
  };

  const settings: AdmissionSettings = Object.freeze({
    schedulerName: schedulerName(),
    processNamespaces: patterns('processNamespaces'),
    bypassNamespaces: patterns('bypassNamespaces'),
    labelNamespaces: patterns('labelNamespaces'),
    noLabelNamespaces: patterns('noLabelNamespaces'),
    generateUniqueAppId: bool('generateUniqueAppId'),
    bypassAuth: bool('bypassAuth'),
    trustControllers: bool('trustControllers'),
    systemUsers: patterns('systemUsers'),
    externalUsers: patterns('externalUsers'),
    externalGroups: patterns('externalGroups'),
    applicationLabels: applicationLabels(),
  });
  reportStrayKeys(raw, problems);
  return { settings, problems };
}

/** The settings YuniKorn's admission controller uses with an empty ConfigMap, and drover's scheduler name. */
export const DEFAULT_ADMISSION_SETTINGS: AdmissionSettings = admissionSettings({}).settings;

/** Does any pattern match the text? Matching is unanchored, as Go's MatchString. */
export function matchesAny(patterns: Patterns, text: string): boolean {
  return patterns.some((p) => p.regex.test(text));
}

type Compiled = { readonly ok: true; readonly patterns: Patterns } | { readonly ok: false; readonly entry: string; readonly message: string };

/** A comma-separated list, each entry trimmed, empty entries skipped; one bad entry fails the list (as in YuniKorn). */
export function compilePatterns(list: string): Compiled {
  const patterns: Pattern[] = [];
  for (const part of list.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const re = compileRe2(entry);
    if (!re.ok) return { ok: false, entry, message: re.message };
    patterns.push(Object.freeze({ text: entry, regex: new RegExp(re.pattern, re.flags) }));
  }
  return { ok: true, patterns: Object.freeze(patterns) };
}

type ParsedLabels = { readonly ok: true; readonly labels: readonly ApplicationLabel[] } | { readonly ok: false; readonly entry: string; readonly message: string };

/** Kubernetes label keys: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? null : key.slice(0, slash);
  if (prefix !== null && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}
const isLabelValue = (value: string): boolean => value.length <= 63 && (value === '' || LABEL_NAME.test(value));

/**
 * `applicationLabels`: a comma-separated list of `key` or `key@guardKey=guardValue`, entries trimmed,
 * empty entries skipped (an empty list turns engine labels off); one bad entry fails the list.
 */
export function parseApplicationLabels(list: string): ParsedLabels {
  const labels: ApplicationLabel[] = [];
  for (const part of list.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const at = entry.indexOf('@');
    const key = at < 0 ? entry : entry.slice(0, at);
    if (!isLabelKey(key)) return { ok: false, entry, message: `does not start with a label key ('${key}')` };
    if (at < 0) {
      labels.push(Object.freeze({ key, guard: null }));
      continue;
    }
    const guardText = entry.slice(at + 1);
    const eq = guardText.indexOf('=');
    const guardKey = eq < 0 ? guardText : guardText.slice(0, eq);
    const guardValue = eq < 0 ? '' : guardText.slice(eq + 1);
    if (eq < 0 || !isLabelKey(guardKey)) return { ok: false, entry, message: `has a guard that is not guardKey=guardValue ('${guardText}')` };
    if (guardValue === '' || !isLabelValue(guardValue)) return { ok: false, entry, message: `has a guard value that is not a label value ('${guardValue}')` };
    labels.push(Object.freeze({ key, guard: Object.freeze({ key: guardKey, value: guardValue }) }));
  }
  return { ok: true, labels: Object.freeze(labels) };
}

function mustCompile(list: string): Patterns {
  const compiled = compilePatterns(list);
  if (!compiled.ok) throw new Error(`bug: the default '${list}' does not compile`);
  return compiled.patterns;
}

/** The value of a setting, from its YuniKorn key or else its short key; null when neither is usable. */
function lookup(raw: Readonly<Record<string, unknown>>, name: keyof AdmissionSettings, problems: SettingsProblem[]): { key: string; value: string } | null {
  const long: string | null = ADMISSION_KEYS[name].yunikorn;
  const candidates = (long === null ? [name] : [long, name]).filter((k) => Object.hasOwn(raw, k));
  const usable: { key: string; value: string }[] = [];
  for (const key of candidates) {
    const value = raw[key];
    if (typeof value === 'string') usable.push({ key, value });
    else problems.push({ code: 'value-not-text', key, message: `${key}: the value is ${value === null ? 'null' : typeof value}, not a string; it is ignored` });
  }
  const [first, second] = usable;
  if (first !== undefined && second !== undefined && first.value !== second.value) {
    problems.push({ code: 'key-conflict', key: second.key, message: `${second.key} ('${second.value}') disagrees with ${first.key} ('${first.value}'); ${first.key} is used` });
  }
  return first ?? null;
}

function reportStrayKeys(raw: Readonly<Record<string, unknown>>, problems: SettingsProblem[]): void {
  const known = new Set<string>(Object.values(ADMISSION_KEYS).flatMap((s) => (s.yunikorn === null ? [] : [s.yunikorn])));
  for (const key of Object.keys(raw)) {
    const removed = REMOVED_KEYS[key];
    if (Object.hasOwn(REMOVED_KEYS, key) && removed !== undefined) {
      problems.push({ code: 'key-removed', key, message: `${key} is ignored: ${removed}` });
    } else if ((key.startsWith(FILTERING) || key.startsWith(ACCESS)) && !known.has(key)) {
      const near = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = near === undefined ? '' : ` (keys are case-sensitive: '${near}')`;
      problems.push({ code: 'key-unknown', key, message: `${key} is not an admission controller setting${hint}; it is ignored` });
    }
  }
}

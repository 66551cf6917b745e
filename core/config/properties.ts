/**
 * Queue properties: a free map of strings in queues.yaml, of which YuniKorn reads a known few. Each
 * known property has one typed reader here; an unreadable value falls back to the default, as in
 * YuniKorn, and the reader says so, so that the loader can warn instead of staying silent.
 */
import { editDistance } from './schema.js';

export const SORT_POLICIES = ['fifo', 'fair'] as const;
export type SortPolicy = (typeof SORT_POLICIES)[number];
export const PRIORITY_POLICIES = ['default', 'fence'] as const;
export type PriorityPolicy = (typeof PRIORITY_POLICIES)[number];
export const PREEMPTION_POLICIES = ['default', 'fence', 'disabled'] as const;
export type PreemptionPolicy = (typeof PREEMPTION_POLICIES)[number];

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly value: T; readonly message: string };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T, caseInsensitive: boolean) {
  return (text: string): Read<T> => {
    const probe = caseInsensitive ? text.toLowerCase() : text;
    if (probe === '') return { ok: true, value: fallback };
    const hit = allowed.find((a) => a === probe);
    if (hit !== undefined) return { ok: true, value: hit };
    const near = allowed.find((a) => a === text.toLowerCase());
    const hint = near !== undefined ? ` (values are lower-case: '${near}')` : '';
    return { ok: false, value: fallback, message: `${key}: '${text}' is not one of ${allowed.join(', ')}${hint}; the queue uses '${fallback}'` };
  };
}

/** Readers for the properties YuniKorn knows, keyed by property name. */
export const PROPERTY_READERS = {
  'application.sort.policy': (text: string): Read<SortPolicy> => {
    if (text === 'stateaware') {
      return { ok: false, value: 'fifo', message: "application.sort.policy: 'stateaware' was removed from YuniKorn; the queue uses 'fifo'" };
    }
    return oneOf('application.sort.policy', SORT_POLICIES, 'fifo', false)(text);
  },
  'application.sort.priority': oneOf('application.sort.priority', ['enabled', 'disabled'] as const, 'enabled', false),
  'priority.policy': oneOf('priority.policy', PRIORITY_POLICIES, 'default', true),
  'priority.offset': (text: string): Read<number> => {
    const t = text.trim();
    if (t === '') return { ok: true, value: 0 };
    const n = /^[+-]?[0-9]+$/.test(t) ? Number(t) : NaN;
    if (Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX) return { ok: true, value: n };
    return { ok: false, value: 0, message: `priority.offset: '${text}' is not a whole number between ${INT32_MIN} and ${INT32_MAX}; the queue uses 0` };
  },
  'preemption.policy': oneOf('preemption.policy', PREEMPTION_POLICIES, 'default', true),
  'preemption.delay': (text: string): Read<number> => {
    const ms = parseGoDuration(text);
    if (ms !== undefined && ms > 0) return { ok: true, value: ms };
    return { ok: false, value: 30_000, message: `preemption.delay: '${text}' is not a positive duration such as 30s or 2m; the queue uses 30s` };
  },
  'quota.preemption.delay': (text: string): Read<number> => {
    const ms = parseGoDuration(text);
    if (ms !== undefined && ms >= 0) return { ok: true, value: ms };
    return { ok: false, value: 0, message: `quota.preemption.delay: '${text}' is not a duration such as 15m or 2s; quota preemption stays off for the queue` };
  },
} as const;

export type KnownProperty = keyof typeof PROPERTY_READERS;
export const KNOWN_PROPERTIES = Object.keys(PROPERTY_READERS) as KnownProperty[];

export function isKnownProperty(key: string): key is KnownProperty {
  return Object.hasOwn(PROPERTY_READERS, key);
}

/** A known property that an unknown key is probably a misspelling of. */
export function misspeltProperty(key: string): KnownProperty | undefined {
  if (isKnownProperty(key)) return undefined;
  const lower = key.toLowerCase();
  return KNOWN_PROPERTIES.find((k) => k === lower || editDistance(lower, k) <= 2);
}

const DURATION = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration (`1h30m`, `300ms`, `1.5s`, `0`), in milliseconds; undefined if unreadable. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text.trim();
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const m = DURATION.exec(rest);
    if (m === null) return undefined;
    const [whole, num = '', unit = ''] = m;
    if (num === '' || num === '.') return undefined;
    total += Number(num) * (UNIT_MS[unit] ?? 0);
    rest = rest.slice(whole.length);
  }
  return sign * total;
}

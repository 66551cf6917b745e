/**
 * What the scheduler reads from drover's two ConfigMaps (which take part and how they merge is shared
 * with the webhook: webhook/server/config-maps.ts): `queues.yaml` carries the queues; the service
 * settings are read here.
 */
import { DEFAULT_QUEUES_YAML } from '../core/config/index.js';
import { DEFAULT_PLACEHOLDER_IMAGE } from './gang/placeholders.js';
import type { ConfigData } from '../webhook/server/config-maps.js';

export type { ConfigData, ConfigMapNames } from '../webhook/server/config-maps.js';

/** The service settings drover reads from the ConfigMaps (YuniKorn's keys). */
export interface ServiceSettings {
  /** `service.schedulingInterval`, a Go duration (`100ms`, `1s`): how often the cycle runs. */
  readonly schedulingIntervalMs: number;
  /** `kubernetes.qps` and `kubernetes.burst`: the pace of the calls to the API server. */
  readonly qps: number;
  readonly burst: number;
}

export const DEFAULT_SERVICE: ServiceSettings = { schedulingIntervalMs: 100, qps: 1000, burst: 1000 };

export interface SettingProblem {
  readonly key: string;
  readonly message: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1s`, `100ms`, `1m30s`) in ms; null if it is not one. */
export function durationMs(text: string): number | null {
  let rest = text.trim();
  if (rest === '') return null;
  let total = 0;
  while (rest !== '') {
    const m = /^([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (m === null) return null;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * The service settings of the merged data; a value that cannot be read is a problem naming its key,
 * and the default stands for it. Keys drover does not use are left alone (YuniKorn's other settings).
 */
export function serviceSettings(data: ConfigData): { readonly settings: ServiceSettings; readonly problems: readonly SettingProblem[] } {
  const problems: SettingProblem[] = [];
  let { schedulingIntervalMs, qps, burst } = DEFAULT_SERVICE;
  const interval = data['service.schedulingInterval'];
  if (interval !== undefined) {
    const ms = durationMs(interval);
    if (ms === null || ms < 1 || ms > 60_000) {
      problems.push({ key: 'service.schedulingInterval', message: `"${interval}" is not a duration between 1ms and 1m (for example 100ms or 1s)` });
    } else schedulingIntervalMs = ms;
  }
  const positive = (key: string, fallback: number): number => {
    const v = data[key];
    if (v === undefined) return fallback;
    if (!/^[0-9]+$/.test(v.trim()) || Number(v) < 1) {
      problems.push({ key, message: `"${v}" is not a positive whole number` });
      return fallback;
    }
    return Number(v);
  };
  qps = positive('kubernetes.qps', qps);
  burst = positive('kubernetes.burst', burst);
  return { settings: { schedulingIntervalMs, qps, burst }, problems };
}

/**
 * `service.placeholderImage` (YuniKorn's key): the image of gang placeholder pods; k8shim's default
 * when absent or blank. Read apart from the service settings: it changes no pace and needs no check
 * (a bad image shows as placeholders that do not start).
 */
export function placeholderImage(data: ConfigData): string {
  const v = data['service.placeholderImage']?.trim();
  return v === undefined || v === '' ? DEFAULT_PLACEHOLDER_IMAGE : v;
}

/** The queues.yaml of the merged data; the built-in default when neither ConfigMap has one. */
export function queuesText(data: ConfigData): string {
  return data['queues.yaml'] ?? DEFAULT_QUEUES_YAML;
}

/**
 * The shim's side of the configuration ConfigMaps: it keeps the ones that take part, merges them on
 * every change (defaults, then the user's overrides), and applies the result. An invalid queues.yaml
 * is refused whole: the running configuration stays, and the problem is logged and published as a
 * Warning event on the ConfigMap, where the person who edited it looks. Service settings that cannot
 * be read keep their previous values, with the same warning.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { Logger } from '../core/port.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { DEFAULT_CONFIG_MAPS, mergeData, pairInForce, roleOf } from '../webhook/server/config-maps.js';
import type { ConfigData, ConfigMapNames } from '../webhook/server/config-maps.js';
import { placeholderImage, queuesText, serviceSettings } from './config-source.js';
import { DEFAULT_PLACEHOLDER_IMAGE } from './gang/placeholders.js';
import type { ServiceSettings } from './config-source.js';
import type { Change } from './informer.js';
import { admissionSettings, DEFAULT_APPLICATION_LABELS } from '../webhook/admission/index.js';
import type { ApplicationLabel } from '../webhook/admission/engines.js';
import type { Reporter } from './reporter.js';

export interface ConfigSourceOptions {
  readonly logger: Logger;
  readonly configNamespace?: string;
  readonly configMapNames?: ConfigMapNames;
  /** Service settings before any ConfigMap says otherwise. */
  readonly intervalMs?: number;
  readonly qps?: number;
  readonly burst?: number;
}

export class ConfigSource {
  private readonly names: ConfigMapNames;
  private readonly present = new Map<string, ConfigData>();
  private readonly listeners: ((s: ServiceSettings) => void)[] = [];
  private appliedQueues: string | null = null;
  private labels: readonly ApplicationLabel[] = DEFAULT_APPLICATION_LABELS;
  private image = DEFAULT_PLACEHOLDER_IMAGE;
  private current: ServiceSettings;
  private readonly initial: ServiceSettings;

  constructor(
    private readonly o: ConfigSourceOptions,
    private readonly scheduler: Scheduler,
    private readonly reporter: Reporter,
  ) {
    this.names = o.configMapNames ?? DEFAULT_CONFIG_MAPS;
    this.initial = { schedulingIntervalMs: o.intervalMs ?? 100, qps: o.qps ?? 1000, burst: o.burst ?? 1000 };
    this.current = this.initial;
  }

  get service(): ServiceSettings {
    return this.current;
  }

  /**
   * The label keys that name an application (the admission setting `applicationLabels`, as the
   * webhook reads it), so that a pod whose webhook was bypassed is grouped as admission would.
   */
  get applicationLabels(): readonly ApplicationLabel[] {
    return this.labels;
  }

  /** The image of gang placeholder pods (`service.placeholderImage`). */
  get placeholderImage(): string {
    return this.image;
  }

  onService(listener: (s: ServiceSettings) => void): void {
    this.listeners.push(listener);
  }

  change(c: Change<V1ConfigMap>): void {
    const name = c.object.metadata?.name ?? '';
    if (roleOf(this.names, name) === null) return;
    if (c.type === 'delete') this.present.delete(name);
    else this.present.set(name, c.object.data ?? {});
    const pair = pairInForce(this.names, { namespace: this.o.configNamespace ?? '', get: (n) => this.present.get(n) ?? null });
    // Neither left: the running configuration stays (deleting a ConfigMap is no reason to reset queues).
    if (pair.defaults === null && pair.user === null) return;
    const data: ConfigData = Object.fromEntries(Object.entries(mergeData(pair)).filter((e): e is [string, string] => typeof e[1] === 'string'));
    this.applyQueues(data, name);
    this.applyService(data, name);
    this.image = placeholderImage(data);
    const admission = admissionSettings(data);
    if (!admission.problems.some((p) => p.code === 'label-invalid')) this.labels = admission.settings.applicationLabels;
  }

  private applyQueues(data: ConfigData, changed: string): void {
    const text = queuesText(data);
    if (text === this.appliedQueues) return;
    const r = this.scheduler.updateConfig(text);
    if (r.ok) {
      this.appliedQueues = text;
      this.o.logger.info({ configMap: changed, checksum: this.scheduler.config().checksum }, 'configuration reloaded');
      return;
    }
    this.o.logger.warn({ configMap: changed, issues: r.message }, 'configuration update refused; the running configuration stays');
    this.warn(changed, 'ConfigurationRefused', `queues.yaml was refused and the running configuration stays: ${r.message}`);
  }

  private applyService(data: ConfigData, changed: string): void {
    const { settings, problems } = serviceSettings(data);
    if (problems.length > 0) {
      const text = problems.map((p) => `${p.key}: ${p.message}`).join('; ');
      this.o.logger.warn({ configMap: changed, problems: text }, 'service settings refused; the previous values stay');
      this.warn(changed, 'ServiceSettingsRefused', `${text}; the previous values stay`);
    }
    // A key left out takes its value from the command line again; one that cannot be read keeps the last.
    const pick = <K extends keyof ServiceSettings>(field: K, key: string): ServiceSettings[K] =>
      problems.some((p) => p.key === key) ? this.current[field] : data[key] === undefined ? this.initial[field] : settings[field];
    const next: ServiceSettings = { schedulingIntervalMs: pick('schedulingIntervalMs', 'service.schedulingInterval'), qps: pick('qps', 'kubernetes.qps'), burst: pick('burst', 'kubernetes.burst') };
    if (next.schedulingIntervalMs === this.current.schedulingIntervalMs && next.qps === this.current.qps && next.burst === this.current.burst) return;
    this.current = next;
    this.o.logger.info({ ...next }, 'service settings applied');
    for (const l of this.listeners) l(next);
  }

  private warn(name: string, reason: string, message: string): void {
    if (this.o.configNamespace !== undefined) this.reporter.configMapEvent(this.o.configNamespace, name, 'Warning', reason, message);
  }
}

/**
 * The admission settings from the scheduler's ConfigMaps in the webhook's namespace, hot-reloaded:
 * the defaults ConfigMap and the user ConfigMap merged key by key (`server/config-maps.ts`), then the
 * command line's settings (`--settings`, `--set`) over them. A change that leaves a setting
 * unreadable (a bad regular expression, a boolean that is not one, ...) is refused whole: it is
 * logged with each problem and its key, and the settings in force stay. Keys that are merely ignored
 * (unknown, removed, a short key disagreeing with YuniKorn's) are applied with a warning.
 *
 * The same watch keeps the ConfigMaps' contents for `/validate-conf`, which checks an edit merged
 * with the other ConfigMap of its pair.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { admissionSettings } from '../admission/index.js';
import type { AdmissionSettings, SettingsProblem, SettingsProblemCode } from '../admission/index.js';
import { allNames, mergeData, pairInForce } from '../server/config-maps.js';
import type { ConfigData, ConfigMapNames, ConfigMapView, Pair } from '../server/config-maps.js';
import { keepWatching } from './watch.js';

/** Problems that make a setting unreadable; the others only mean a key is ignored. */
const REFUSING: ReadonlySet<SettingsProblemCode> = new Set(['regex-invalid', 'bool-invalid', 'name-invalid', 'value-not-text']);

export type Reload =
  | { readonly kind: 'applied'; readonly settings: AdmissionSettings; readonly warnings: readonly SettingsProblem[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly problems: readonly SettingsProblem[] };

/** The settings a pair of ConfigMaps and the overrides make, judged against those in force. Pure. */
export function reloadSettings(current: AdmissionSettings, pair: Pair, overrides: Readonly<Record<string, unknown>>): Reload {
  const { settings, problems } = admissionSettings({ ...mergeData(pair), ...overrides });
  // A bad value given on the command line is in force already (its default applies, and it was
  // reported at start); only the ConfigMaps' own bad values refuse a reload.
  const refusing = problems.filter((p) => REFUSING.has(p.code) && !Object.hasOwn(overrides, p.key));
  if (refusing.length > 0) return { kind: 'refused', problems: refusing };
  if (JSON.stringify(settings) === JSON.stringify(current)) return { kind: 'unchanged' };
  return { kind: 'applied', settings, warnings: problems };
}

export interface ConfigSourceOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly names: ConfigMapNames;
  /** Settings from the command line, which win over the ConfigMaps. */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The settings before any ConfigMap is read. */
  readonly initial: AdmissionSettings;
  readonly logger: Logger;
}

export interface ConfigSource {
  readonly settings: () => AdmissionSettings;
  readonly view: ConfigMapView;
  /** Settles after the first attempt to list the ConfigMaps. */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

export function watchConfigMaps(o: ConfigSourceOptions): ConfigSource {
  const { namespace, names, logger } = o;
  const watched = new Set(allNames(names));
  const maps = new Map<string, ConfigData>();
  const view: ConfigMapView = { namespace, get: (name) => maps.get(name) ?? null };
  let settings = o.initial;
  const reload = () => {
    const pair = pairInForce(names, view);
    const configMaps = [pair.defaults?.name, pair.user?.name].filter((n) => n !== undefined);
    const r = reloadSettings(settings, pair, o.overrides);
    switch (r.kind) {
      case 'refused':
        logger.warn({ namespace, configMaps, problems: r.problems.map(({ code, key, message }) => ({ code, key, message })) }, 'admission settings refused; the settings in force stay');
        return;
      case 'unchanged':
        return;
      case 'applied':
        settings = r.settings;
        for (const p of r.warnings) logger.warn({ namespace, configMaps, code: p.code, key: p.key }, p.message);
        logger.info({ namespace, configMaps, schedulerName: settings.schedulerName }, 'admission settings reloaded');
    }
  };
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const watch = keepWatching<V1ConfigMap>({
    kubeConfig: o.kubeConfig,
    logger,
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    list: () => core.listNamespacedConfigMap({ namespace }),
    handle: (c) => {
      const name = c.object.metadata?.name;
      if (name === undefined || !watched.has(name)) return;
      if (c.type === 'delete') maps.delete(name);
      else maps.set(name, { ...c.object.data });
      reload();
    },
  });
  return { settings: () => settings, view, started: watch.started, stop: () => watch.stop() };
}

/**
 * Which ConfigMaps carry drover's configuration, and how they merge, as YuniKorn does it: a defaults
 * ConfigMap (the chart's) and a user ConfigMap, merged key by key with the user's value winning.
 * `queues.yaml` is one key, so it is taken whole from the user ConfigMap when it has one. Each role
 * lists names in order of precedence, the first present taking part: drover's, then YuniKorn's, so a
 * team switching from YuniKorn keeps its ConfigMaps. Pure: the caller passes what the namespace holds.
 */

export type ConfigData = Readonly<Record<string, string>>;

export const CONFIG_MAP_ROLES = ['defaults', 'user'] as const;
export type ConfigMapRole = (typeof CONFIG_MAP_ROLES)[number];

/** The names of each role, in order of precedence. */
export type ConfigMapNames = Readonly<Record<ConfigMapRole, readonly string[]>>;

export const DEFAULT_CONFIG_MAPS: ConfigMapNames = Object.freeze({ defaults: ['drover-defaults', 'yunikorn-defaults'], user: ['drover-configs', 'yunikorn-configs'] });

/** The ConfigMaps of one namespace as the webhook last saw them. */
export interface ConfigMapView {
  readonly namespace: string;
  /** The data of a ConfigMap, or null when there is none of that name. */
  readonly get: (name: string) => ConfigData | null;
}

export interface NamedData {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The ConfigMaps that take part, one per role (null: none of that role exists). */
export type Pair = Readonly<Record<ConfigMapRole, NamedData | null>>;

export function roleOf(names: ConfigMapNames, name: string): ConfigMapRole | null {
  return CONFIG_MAP_ROLES.find((role) => names[role].includes(name)) ?? null;
}

export function allNames(names: ConfigMapNames): string[] {
  return [...names.user, ...names.defaults];
}

/** The first present ConfigMap of a role. */
export function present(names: ConfigMapNames, role: ConfigMapRole, view: ConfigMapView): NamedData | null {
  for (const name of names[role]) {
    const data = view.get(name);
    if (data !== null) return { name, data };
  }
  return null;
}

export function pairInForce(names: ConfigMapNames, view: ConfigMapView): Pair {
  return { defaults: present(names, 'defaults', view), user: present(names, 'user', view) };
}

/**
 * The pair an edit of `edited` would make, judged as if the edited ConfigMap were the one of its role
 * in force (it is, unless a ConfigMap earlier in its list exists; then it is checked for the day it is).
 */
export function pairWithEdit(names: ConfigMapNames, view: ConfigMapView, role: ConfigMapRole, edited: NamedData): Pair {
  const other = present(names, role === 'user' ? 'defaults' : 'user', view);
  return role === 'user' ? { user: edited, defaults: other } : { defaults: edited, user: other };
}

/** Defaults, overridden key by key by the user's. */
export function mergeData(pair: Pair): Readonly<Record<string, unknown>> {
  return { ...pair.defaults?.data, ...pair.user?.data };
}

/** The ConfigMap whose `key` is in force, or null when neither has it. */
export function sourceOf(pair: Pair, key: string): string | null {
  if (pair.user !== null && Object.hasOwn(pair.user.data, key)) return pair.user.name;
  if (pair.defaults !== null && Object.hasOwn(pair.defaults.data, key)) return pair.defaults.name;
  return null;
}

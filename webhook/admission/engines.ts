/**
 * The analytics engines drover knows out of the box, by the labels each one puts on the pods it
 * creates: which label names the application (a job or a cluster), how to read a pod's role in it,
 * and the guard label a generic key needs (Flink's `app` counts only on a pod that also carries
 * `type: flink-native-kubernetes`). Spelt as the engines set them:
 *
 *   Spark on Kubernetes  spark-submit labels the driver and every executor with `spark-app-selector`
 *                        (YuniKorn's own key, read before any of these) and `spark-role`.
 *   Spark operator       `sparkoperator.k8s.io/app-name` (the SparkApplication) and
 *                        `sparkoperator.k8s.io/launched-by-spark-operator: "true"`; roles as spark-submit.
 *   Flink                native Kubernetes mode and the Flink operator (which uses it): `app: <cluster id>`,
 *                        `type: flink-native-kubernetes`, `component: jobmanager | taskmanager`; the
 *                        operator's standalone mode: the same with `type: flink-standalone-kubernetes`.
 *   KubeRay              `ray.io/cluster`, `ray.io/node-type: head | worker`, `ray.io/group` (worker group).
 *   Dask operator        `dask.org/cluster-name`, `dask.org/component: scheduler | worker | job-runner`.
 *   Dask Helm chart      `app: dask` (the chart's name), `release: <release>`, `component: scheduler | worker`.
 */
import type { StringMap } from './object.js';
import { valueOf } from './object.js';

/**
 * The roles drover knows, shown in the REST API and the UI. Preemption takes the roles whose loss ends
 * their application (driver, head, jobmanager, scheduler, job-runner: the core's DRIVER_ROLES) last.
 */
export const ROLES = ['driver', 'executor', 'head', 'worker', 'jobmanager', 'taskmanager', 'scheduler', 'job-runner'] as const;
export type Role = (typeof ROLES)[number];

/** A label that must carry this value for another (generic) label of the pod to count. */
export interface Guard {
  readonly key: string;
  readonly value: string;
}

/** A label key that names an application, counted only when its guard (if any) holds. */
export interface ApplicationLabel {
  readonly key: string;
  readonly guard: Guard | null;
}

const FLINK_GUARD = { key: 'type', value: 'flink-native-kubernetes' } as const;
const FLINK_STANDALONE_GUARD = { key: 'type', value: 'flink-standalone-kubernetes' } as const;
/** The Dask Helm chart labels its pods `app: <chart name>`; `dask` unless the release overrides the name. */
const DASK_CHART_GUARD = { key: 'app', value: 'dask' } as const;

/**
 * The engines. `application` is null for Spark on Kubernetes: `spark-app-selector` is one of
 * YuniKorn's own places (see app-id.ts) and keeps its place there. `role.values` maps a label value to
 * a role; `group` names the label of a sub-group within an application, where the engine has one.
 */
export const ENGINES = {
  spark: {
    name: 'Spark on Kubernetes (spark-submit)',
    application: null,
    role: { key: 'spark-role', guard: null, values: { driver: 'driver', executor: 'executor' } },
    group: null,
  },
  sparkOperator: {
    name: 'Spark operator (SparkApplication)',
    application: { key: 'sparkoperator.k8s.io/app-name', guard: null },
    role: { key: 'spark-role', guard: null, values: { driver: 'driver', executor: 'executor' } },
    group: null,
  },
  flink: {
    name: 'Flink (native Kubernetes, Flink operator)',
    application: { key: 'app', guard: FLINK_GUARD },
    role: { key: 'component', guard: FLINK_GUARD, values: { jobmanager: 'jobmanager', taskmanager: 'taskmanager' } },
    group: null,
  },
  flinkStandalone: {
    name: 'Flink operator, standalone mode',
    application: { key: 'app', guard: FLINK_STANDALONE_GUARD },
    role: { key: 'component', guard: FLINK_STANDALONE_GUARD, values: { jobmanager: 'jobmanager', taskmanager: 'taskmanager' } },
    group: null,
  },
  ray: {
    name: 'KubeRay (RayCluster, RayJob, RayService)',
    application: { key: 'ray.io/cluster', guard: null },
    role: { key: 'ray.io/node-type', guard: null, values: { head: 'head', worker: 'worker' } },
    group: 'ray.io/group',
  },
  dask: {
    name: 'Dask operator (DaskCluster)',
    application: { key: 'dask.org/cluster-name', guard: null },
    role: { key: 'dask.org/component', guard: null, values: { scheduler: 'scheduler', worker: 'worker', 'job-runner': 'job-runner' } },
    group: 'dask.org/workergroup-name',
  },
  daskChart: {
    name: 'Dask Helm chart (dask/dask)',
    application: { key: 'release', guard: DASK_CHART_GUARD },
    role: { key: 'component', guard: DASK_CHART_GUARD, values: { scheduler: 'scheduler', worker: 'worker' } },
    group: null,
  },
} as const satisfies Record<
  string,
  {
    readonly name: string;
    readonly application: ApplicationLabel | null;
    readonly role: { readonly key: string; readonly guard: Guard | null; readonly values: Readonly<Record<string, Role>> };
    readonly group: string | null;
  }
>;
export type Engine = keyof typeof ENGINES;

/** The application labels of the engines, in the order of the table: the default of `applicationLabels`. */
export const DEFAULT_APPLICATION_LABELS: readonly ApplicationLabel[] = Object.freeze(
  Object.values(ENGINES).flatMap((e): ApplicationLabel[] => (e.application === null ? [] : [e.application])),
);

/** `key` or `key@guardKey=guardValue`, the syntax of the `applicationLabels` setting. */
export function formatApplicationLabel(label: ApplicationLabel): string {
  return label.guard === null ? label.key : `${label.key}@${label.guard.key}=${label.guard.value}`;
}

const guardHolds = (labels: StringMap, guard: Guard | null): boolean => guard === null || valueOf(labels, guard.key) === guard.value;

const MAX_ID = 63;

/**
 * The application a pod names by an engine's label: `<namespace>-<value>` of the first label of the
 * list the pod carries (non-empty, guard holding), since engines name clusters uniquely only within a
 * namespace. At most 63 characters and trimmed of a trailing non-alphanumeric, as generated ids are.
 * Null when no label of the list matches.
 */
export function findEngineApplicationId(labels: StringMap, namespace: string, list: readonly ApplicationLabel[]): string | null {
  for (const label of list) {
    const value = valueOf(labels, label.key);
    if (value !== '' && guardHolds(labels, label.guard)) return engineApplicationId(namespace, engineTag(label), value);
  }
  return null;
}

/**
 * A short name of the engine behind a label, so that a Ray and a Dask cluster of the same name in one
 * namespace stay two applications: the first word of the key's domain (`ray.io/cluster` -> `ray`,
 * `sparkoperator.k8s.io/app-name` -> `sparkoperator`), else of the guard's value (Flink's `app` with
 * `type: flink-native-kubernetes` -> `flink`), else the key itself.
 */
export function engineTag(label: ApplicationLabel): string {
  const slash = label.key.indexOf('/');
  const word = slash > 0 ? label.key.slice(0, slash).split('.')[0] : label.guard === null ? label.key : label.guard.value.split(/[-.]/)[0];
  return (word ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'app';
}

/** `<namespace>-<engine>-<value>`, at most 63 characters (a label value's limit), as generated ids. */
export function engineApplicationId(namespace: string, tag: string, value: string): string {
  return [...`${namespace}-${tag}-${value}`].slice(0, MAX_ID).join('').replace(/[^a-zA-Z0-9]+$/, '');
}

/** The role of a pod from its engine's labels, or null when no engine's role label (with its guard) says. */
export function roleOf(labels: StringMap): Role | null {
  for (const engine of Object.values(ENGINES)) {
    const { key, guard, values } = engine.role;
    const value = valueOf(labels, key);
    if (value === '' || !guardHolds(labels, guard) || !Object.hasOwn(values, value)) continue;
    const role = (values as Readonly<Record<string, Role>>)[value];
    if (role !== undefined) return role;
  }
  return null;
}


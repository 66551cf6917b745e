/**
 * The demo workload as a pure, seeded plan: when the next Spark-like applications arrive, from which
 * team, how many executors and how long they run, and the pods that stand for them. Same seed, same
 * workload; `runner.ts` turns the plan into pods on a cluster.
 *
 * Arrivals are a Poisson process (exponential gaps around `meanArrivalMs`); with `burstChance` an
 * arrival is a burst of several applications of one team at once, more than its queue's guarantee,
 * so that queues are seen waiting. The pods are what Spark on Kubernetes creates: a driver, then
 * executors, grouped by `spark-app-selector` (which YuniKorn and drover take as the application id).
 * They name no scheduler: drover's admission webhook sets `schedulerName: drover`, and that is what
 * the demo shows working.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { RUN_SECONDS_ANNOTATION } from '../apiserver/kubelets.js';
import type { PodSize, Team } from './teams.js';
import { seededRandom } from '../core/random.js';

/** On every demo pod, so the runner finds its own pods (and nobody else's). */
export const DEMO_LABEL = 'drover.dev/demo';

export interface WorkloadShape {
  /** Mean gap between two arrivals. */
  readonly meanArrivalMs: number;
  /** Chance that an arrival is a burst of one team's applications. */
  readonly burstChance: number;
  /** Applications in a burst, from..to inclusive. */
  readonly burstApps: readonly [number, number];
  /** How long executors run, from..to inclusive. */
  readonly runSeconds: readonly [number, number];
  /** A driver runs this much longer than its executors: start-up and the final stage. */
  readonly driverExtraSeconds: number;
}

export const DEFAULT_SHAPE: WorkloadShape = { meanArrivalMs: 4_000, burstChance: 0.1, burstApps: [3, 6], runSeconds: [20, 90], driverExtraSeconds: 5 };

export interface SparkApp {
  /** `spark-<32 hex>`, as Spark names its applications: the `spark-app-selector` label. */
  readonly id: string;
  readonly team: Team;
  /** The job (`spark-app-name`) and the prefix of its pod names. */
  readonly name: string;
  readonly executors: number;
  /** How long its executors run; its driver runs `driverSeconds`. */
  readonly runSeconds: number;
  readonly driverSeconds: number;
}

export interface Arrival {
  /** Time since the previous arrival. */
  readonly afterMs: number;
  readonly apps: readonly SparkApp[];
}


export interface Workload {
  next(): Arrival;
}

export function createWorkload(teams: readonly Team[], shape: WorkloadShape, seed: number): Workload {
  if (teams.length === 0) throw new Error('bug: a workload needs at least one team');
  const random = seededRandom(seed);
  const between = ([from, to]: readonly [number, number]) => from + Math.floor(random() * (to - from + 1));
  const pick = <T>(list: readonly T[]): T => {
    const chosen = list[Math.floor(random() * list.length)];
    if (chosen === undefined) throw new Error('bug: a choice from an empty list');
    return chosen;
  };
  const totalWeight = teams.reduce((sum, t) => sum + t.weight, 0);
  /** A team with probability weight / totalWeight. */
  const team = (): Team => {
    let x = random() * totalWeight;
    for (const t of teams) {
      x -= t.weight;
      if (x < 0) return t;
    }
    return pick(teams);
  };
  let sequence = 0;
  const runTimes = (runSeconds: number) => ({ runSeconds, driverSeconds: runSeconds + shape.driverExtraSeconds });
  const app = (t: Team): SparkApp => {
    sequence += 1;
    const id = `spark-${Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('')}`;
    return { id, team: t, name: `${pick(t.jobs)}-${sequence.toString(36).padStart(4, '0')}`, executors: between(t.executors), ...runTimes(between(shape.runSeconds)) };
  };
  return {
    next: () => {
      // exponential gap: -mean * ln(1 - u), u in [0, 1)
      const afterMs = Math.round(-shape.meanArrivalMs * Math.log(1 - random()));
      const t = team();
      const count = random() < shape.burstChance ? between(shape.burstApps) : 1;
      return { afterMs, apps: Array.from({ length: count }, () => app(t)) };
    },
  };
}

/** The task groups of a gang application, as Spark users write them on the driver (and the Spark operator does). */
export const TASK_GROUPS = 'yunikorn.apache.org/task-groups';
export const TASK_GROUP_NAME = 'yunikorn.apache.org/task-group-name';
export const SCHEDULING_POLICY = 'yunikorn.apache.org/schedulingPolicyParameters';

function gangAnnotations(app: SparkApp, role: 'driver' | 'executor'): Record<string, string> {
  if (app.team.gang !== true) return {};
  const group = role === 'driver' ? 'spark-driver' : 'spark-executor';
  if (role === 'executor') return { [TASK_GROUP_NAME]: group };
  const groups = [
    { name: 'spark-driver', minMember: 1, minResource: { cpu: app.team.driver.cpu, memory: app.team.driver.memory } },
    { name: 'spark-executor', minMember: app.executors, minResource: { cpu: app.team.executor.cpu, memory: app.team.executor.memory } },
  ];
  return { [TASK_GROUP_NAME]: group, [TASK_GROUPS]: JSON.stringify(groups), [SCHEDULING_POLICY]: 'placeholderTimeoutInSeconds=120 gangSchedulingStyle=Soft' };
}

function pod(app: SparkApp, role: 'driver' | 'executor', name: string, size: PodSize, runSeconds: number, extraLabels: Readonly<Record<string, string>> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: app.team.name,
      labels: { 'spark-app-selector': app.id, 'spark-app-name': app.name, 'spark-role': role, [DEMO_LABEL]: 'true', ...extraLabels },
      annotations: { [RUN_SECONDS_ANNOTATION]: String(runSeconds), ...gangAnnotations(app, role) },
    },
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: `spark-kubernetes-${role}`,
          image: 'apache/spark:3.5.3',
          args: [role],
          resources: { requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memory } },
        },
      ],
    },
  };
}

export function driverPod(app: SparkApp): V1Pod {
  return pod(app, 'driver', `${app.name}-driver`, app.team.driver, app.driverSeconds);
}

/** Executor `index` (from 1, as Spark counts them). */
export function executorPod(app: SparkApp, index: number): V1Pod {
  return pod(app, 'executor', `${app.name}-exec-${index}`, app.team.executor, app.runSeconds, { 'spark-exec-id': String(index) });
}


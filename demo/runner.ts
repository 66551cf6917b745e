/**
 * The demo workload on a cluster, through the Kubernetes API as any client would (client-node): the
 * teams' namespaces and, when asked, a queues.yaml ConfigMap; then applications arriving as
 * `workload.ts` plans them. A driver pod first; its executors once the driver runs (Spark's driver
 * asks for them); when the driver ends, the executors it leaves are deleted (Spark's driver ends
 * them), and `keepFinishedMs` later the whole application goes, so the cluster does not fill up with
 * finished pods. Events older than `eventTtlMs` in the teams' namespaces go too, as the real API server
 * expires them. Time is injected: the runner only acts on its timers.
 */
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import type { CoreV1Event, KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Timers } from '../apiserver/kubelets.js';
import type { Logger } from '../core/port.js';
import { TEAMS } from './teams.js';
import type { Team } from './teams.js';
import { createWorkload, DEFAULT_SHAPE, DEMO_LABEL, driverPod, executorPod } from './workload.js';
import type { SparkApp, WorkloadShape } from './workload.js';

export interface DemoTuning {
  readonly seed: number;
  readonly shape: WorkloadShape;
  /** How often the runner looks at its pods (starts executors, ends and removes applications). */
  readonly tickMs: number;
  /** How long a finished application's pods stay, to be seen, before they are deleted. */
  readonly keepFinishedMs: number;
  /** Events in the teams' namespaces last seen longer ago than this are deleted. */
  readonly eventTtlMs: number;
  /** Applications at most at once; arrivals beyond it are dropped, so a slow cluster is not buried. */
  readonly maxApps: number;
}

export const DEFAULT_TUNING: DemoTuning = { seed: 1, shape: DEFAULT_SHAPE, tickMs: 1_000, keepFinishedMs: 30_000, eventTtlMs: 600_000, maxApps: 40 };

export interface DemoDeps {
  readonly kubeConfig: KubeConfig;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly teams?: readonly Team[];
}

export interface RunningDemo {
  /** Stop arriving and tidying; resolves when the calls in flight are done. */
  stop(): Promise<void>;
}

const notFound = (e: unknown) => e instanceof ApiException && e.code === 404;
const alreadyExists = (e: unknown) => e instanceof ApiException && e.code === 409;
const FINISHED: ReadonlySet<string> = new Set(['Succeeded', 'Failed']);

/** The teams' namespaces, and the ConfigMap carrying the demo's queues.yaml when `queues` is given. */
export async function prepareDemo(kubeConfig: KubeConfig, queues: { readonly namespace: string; readonly name: string; readonly yaml: string } | null, teams: readonly Team[] = TEAMS): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const created = <T>(p: Promise<T>) => p.then(() => undefined, (e: unknown) => (alreadyExists(e) ? undefined : Promise.reject(e instanceof Error ? e : new Error(String(e)))));
  for (const t of teams) await created(core.createNamespace({ body: { metadata: { name: t.name, labels: { 'drover.dev/team': t.name } } } }));
  if (queues !== null) await created(core.createNamespacedConfigMap({ namespace: queues.namespace, body: { metadata: { name: queues.name }, data: { 'queues.yaml': queues.yaml } } }));
}

interface Tracked {
  readonly app: SparkApp;
  readonly createdAt: number;
  executorsStarted: boolean;
  finishedAt: number | null;
}

export function startDemo(deps: DemoDeps, tuning: DemoTuning = DEFAULT_TUNING): RunningDemo {
  const { timers, logger } = deps;
  const teams = deps.teams ?? TEAMS;
  const core = deps.kubeConfig.makeApiClient(CoreV1Api);
  const workload = createWorkload(teams, tuning.shape, tuning.seed);
  const apps = new Map<string, Tracked>();
  const inFlight = new Set<Promise<void>>();
  const handles = new Set<unknown>();
  let stopped = false;
  let ticks = 0;

  /** Every call the runner makes is awaited by `stop`, and its failure logged, never thrown. */
  const call = (what: string, p: Promise<unknown>, ignore: (e: unknown) => boolean = () => false): void => {
    const done: Promise<void> = p.then(
      () => undefined,
      (e: unknown) => {
        if (!ignore(e)) logger.warn({ error: String(e) }, `demo: could not ${what}`);
      },
    );
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const later = (fn: () => void, ms: number) => {
    if (stopped) return;
    const h = timers.setTimeout(() => {
      handles.delete(h);
      if (!stopped) fn();
    }, ms);
    handles.add(h);
  };
  const create = (pod: V1Pod) => call('create a pod', core.createNamespacedPod({ namespace: pod.metadata?.namespace ?? 'default', body: pod }));
  const remove = (pod: V1Pod) => call('delete a pod', core.deleteNamespacedPod({ namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '' }), notFound);

  const arrive = (): void => {
    const next = workload.next();
    later(() => {
      for (const app of next.apps) {
        if (apps.size >= tuning.maxApps) break;
        apps.set(app.id, { app, createdAt: timers.now().getTime(), executorsStarted: false, finishedAt: null });
        create(driverPod(app));
      }
      logger.debug({ apps: next.apps.map((a) => a.id), queuePath: `root.${next.apps[0]?.team.name ?? ''}` }, 'demo: applications arrived');
      arrive();
    }, next.afterMs);
  };

  /** One look at the demo's pods: what each application needs next. */
  const tick = async (): Promise<void> => {
    const pods = (await core.listPodForAllNamespaces({ labelSelector: `${DEMO_LABEL}=true` })).items;
    const now = timers.now().getTime();
    const byApp = new Map<string, V1Pod[]>();
    for (const p of pods) {
      const id = p.metadata?.labels?.['spark-app-selector'] ?? '';
      byApp.set(id, [...(byApp.get(id) ?? []), p]);
    }
    for (const [id, t] of apps) {
      const own = byApp.get(id) ?? [];
      const driver = own.find((p) => p.metadata?.labels?.['spark-role'] === 'driver');
      const phase = driver?.status?.phase ?? '';
      if (driver === undefined) {
        // not listed yet, or deleted by someone: after a while, the application is over
        if (now - t.createdAt >= tuning.keepFinishedMs) {
          own.forEach(remove);
          apps.delete(id);
        }
      } else if (phase === 'Running' && !t.executorsStarted) {
        t.executorsStarted = true;
        for (let i = 1; i <= t.app.executors; i++) create(executorPod(t.app, i));
      } else if (FINISHED.has(phase) && t.finishedAt === null) {
        t.finishedAt = now;
        own.filter((p) => p !== driver && !FINISHED.has(p.status?.phase ?? '')).forEach(remove);
      } else if (t.finishedAt !== null && now - t.finishedAt >= tuning.keepFinishedMs) {
        own.forEach(remove);
        apps.delete(id);
      }
    }
    ticks += 1;
    if (ticks % 10 === 0) await expireEvents(now);
  };

  const expireEvents = async (now: number): Promise<void> => {
    const seen = (e: CoreV1Event) => (e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)?.getTime() ?? now;
    for (const team of teams) {
      const events = (await core.listNamespacedEvent({ namespace: team.name })).items;
      for (const e of events) {
        if (now - seen(e) > tuning.eventTtlMs) call('delete an event', core.deleteNamespacedEvent({ namespace: team.name, name: e.metadata.name ?? '' }), notFound);
      }
    }
  };

  const loop = (): void => later(() => call('look at the demo pods', tick().finally(loop)), tuning.tickMs);

  arrive();
  loop();
  return {
    stop: async () => {
      stopped = true;
      for (const h of handles) timers.clearTimeout(h);
      handles.clear();
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

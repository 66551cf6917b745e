/**
 * `drover scheduler`: schedule the pods of a Kubernetes cluster (in-cluster, or `--kubeconfig`) whose
 * scheduler name is drover's, with the queues of `--config` (default: the built-in configuration),
 * hot-reloaded from drover's ConfigMaps. With `--leader-elect`, replicas share a Lease and only the
 * leader schedules. Serves /livez, /healthz and /readyz, and the REST API and UI (`--rest-port`, 9080).
 * Runs until SIGINT or SIGTERM, then lets the bindings already decided finish and releases the Lease.
 * Exit 2 on a usage error, 1 on an invalid configuration.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { Logger } from '../core/port.js';
import { createHealthChecks, gate, PASSED, startHealthServer } from '../shim/health.js';
import type { RunningHealthServer } from '../shim/health.js';
import { LEADER_ELECTION_DEFAULTS, startLeaderElection } from '../shim/leader.js';
import type { LeaderElector } from '../shim/leader.js';
import { durationMs } from '../shim/config-source.js';
import { startShim } from '../shim/shim.js';
import type { RunningShim } from '../shim/shim.js';
import { coreHealth } from '../ui/api/health.js';
import type { Health } from '../ui/api/health.js';
import { createSchedulerMetrics } from '../ui/metrics/index.js';
import type { SchedulerMetrics } from '../ui/metrics/index.js';
import { startUiServer } from '../ui/server.js';
import type { RunningUiServer } from '../ui/server.js';
import type { CliIo } from './io.js';
import { readQueues } from './queues.js';
import { stopSignal } from './signals.js';
import { REDACT } from '../tls/redact.js';

/** The health port by default (the REST API and UI keep 9080, as YuniKorn's). */
export const DEFAULT_HEALTH_PORT = 9081;
/** The REST API and UI, as YuniKorn's. */
export const DEFAULT_REST_PORT = 9080;

const HELP = `usage: drover scheduler [flags]

Schedule the pods whose spec.schedulerName is drover's.

  --kubeconfig PATH          the cluster (default: in-cluster, else $KUBECONFIG or ~/.kube/config)
  --config FILE              queues.yaml to start with (default: the built-in configuration)
  --config-namespace NS      hot-reload queues.yaml and service settings from the ConfigMaps
                             drover-defaults and drover-configs (or YuniKorn's names) there
                             (default $POD_NAMESPACE); an invalid update is refused, the running one stays
  --scheduler-name NAME      the spec.schedulerName drover takes (default drover)
  --qps N, --burst N         pace of calls to the API server (default 1000/1000, as YuniKorn;
                             kubernetes.qps and kubernetes.burst in the ConfigMaps override them)
  --leader-elect             replicas share a Lease; only the leader schedules and binds
  --lease-namespace NS       where the Lease lives (default $POD_NAMESPACE, else default)
  --lease-name NAME          the Lease (default ${LEADER_ELECTION_DEFAULTS.name})
  --lease-duration D         how long followers wait before taking an unrenewed Lease (default 15s)
  --renew-deadline D         how long the leader retries renewing before it stops (default 10s)
  --retry-period D           how often replicas try the Lease (default 2s)
  --health-port PORT         /livez, /healthz, /readyz (default ${DEFAULT_HEALTH_PORT}; 0 picks a free port)
  --no-health                serve no health endpoints
  --rest-port PORT           the REST API (YuniKorn's /ws/v1) and the UI (default ${DEFAULT_REST_PORT}; 0 picks a free port)
  --rest-token-file PATH     require this bearer token (the file's first line) for the REST API and the UI
  -h, --help                 show this help
`;

const OPTIONS = {
  kubeconfig: { type: 'string' },
  config: { type: 'string' },
  'config-namespace': { type: 'string' },
  'scheduler-name': { type: 'string' },
  qps: { type: 'string' },
  burst: { type: 'string' },
  'leader-elect': { type: 'boolean' },
  'lease-namespace': { type: 'string' },
  'lease-name': { type: 'string' },
  'lease-duration': { type: 'string' },
  'renew-deadline': { type: 'string' },
  'retry-period': { type: 'string' },
  'health-port': { type: 'string' },
  'no-health': { type: 'boolean' },
  'rest-port': { type: 'string' },
  'rest-token-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const whole = (text: string | undefined, fallback: number, min: number, max: number): number | null => {
  if (text === undefined) return fallback;
  const n = Number(text);
  return /^[0-9]+$/.test(text) && n >= min && n <= max ? n : null;
};

/** Lease timings from Go durations; client-go's rule: duration > deadline > 1.2 x retry period. */
function leaseTiming(duration: string | undefined, deadline: string | undefined, retry: string | undefined): { ok: true; value: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number } } | { ok: false; message: string } {
  const read = (flag: string, text: string | undefined, fallback: number): number | string => {
    if (text === undefined) return fallback;
    const ms = durationMs(text);
    return ms === null || ms <= 0 ? `--${flag} takes a duration such as 15s or 500ms, not "${text}"` : ms;
  };
  const d = read('lease-duration', duration, LEADER_ELECTION_DEFAULTS.leaseDurationMs);
  const r = read('renew-deadline', deadline, LEADER_ELECTION_DEFAULTS.renewDeadlineMs);
  const p = read('retry-period', retry, LEADER_ELECTION_DEFAULTS.retryPeriodMs);
  if (typeof d === 'string') return { ok: false, message: d };
  if (typeof r === 'string') return { ok: false, message: r };
  if (typeof p === 'string') return { ok: false, message: p };
  if (!(d > r && r > 1.2 * p)) return { ok: false, message: `the lease duration (${d} ms) must exceed the renew deadline (${r} ms), which must exceed 1.2 x the retry period (${p} ms)` };
  return { ok: true, value: { leaseDurationMs: d, renewDeadlineMs: r, retryPeriodMs: p } };
}

/** `/ws/v1/scheduler/healthcheck` of a shim: the core's consistency checks, and whether the informers have listed the cluster. */
export function restHealth(shim: RunningShim): Health {
  const core = coreHealth(shim.scheduler);
  const synced = shim.ready();
  const informers = { name: 'Informers synced', succeeded: synced, description: 'Check that the informers have listed the cluster', diagnosisMessage: synced ? '' : 'the informers have not listed the cluster yet' };
  return { healthy: core.healthy && synced, checks: [...core.checks, informers] };
}

export async function runScheduler(args: readonly string[], io: CliIo, until: Promise<unknown> = stopSignal()): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: [...args], options: OPTIONS }).values;
  } catch (e) {
    io.err(`drover scheduler: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.help === true) {
    io.out(HELP);
    return 0;
  }
  const qps = whole(values.qps, 1000, 1, 1_000_000);
  const burst = whole(values.burst, 1000, 1, 1_000_000);
  const healthPort = whole(values['health-port'], DEFAULT_HEALTH_PORT, 0, 65535);
  const restPort = whole(values['rest-port'], DEFAULT_REST_PORT, 0, 65535);
  if (qps === null || burst === null || healthPort === null || restPort === null) {
    io.err(`drover scheduler: --qps and --burst take positive whole numbers, --health-port and --rest-port a port\n\n${HELP}`);
    return 2;
  }
  const timing = leaseTiming(values['lease-duration'], values['renew-deadline'], values['retry-period']);
  if (!timing.ok) {
    io.err(`drover scheduler: ${timing.message}\n\n${HELP}`);
    return 2;
  }
  let token: string | undefined;
  if (values['rest-token-file'] !== undefined) {
    const read = await io.readFile(values['rest-token-file']).then(
      (text) => text.split('\n')[0]?.trim() ?? '',
      () => null,
    );
    if (read === null || read.length < 16) {
      io.err(`drover scheduler: --rest-token-file ${values['rest-token-file']}: ${read === null ? 'cannot be read' : 'the token must be at least 16 characters'}\n`);
      return 2;
    }
    token = read;
  }
  const loaded = await readQueues('scheduler', io, values.config);
  if (!loaded.ok) return loaded.exit;
  const kc = new KubeConfig();
  if (values.kubeconfig !== undefined) kc.loadFromFile(values.kubeconfig);
  else kc.loadFromDefault();
  const base = pino({ level: 'info', redact: { ...REDACT, paths: [...REDACT.paths] } }, pino.destination(2));
  const logger: Logger = { debug: (f, m) => base.debug(f, m), info: (f, m) => base.info(f, m), warn: (f, m) => base.warn(f, m) };
  const podNamespace = process.env.POD_NAMESPACE;
  const configNamespace = values['config-namespace'] ?? podNamespace;

  const checks = createHealthChecks();
  const synced = gate('informers have not listed the cluster yet');
  checks.addReadiness('informer-sync', synced.check);
  let health: RunningHealthServer | null = null;
  if (values['no-health'] !== true) {
    try {
      health = await startHealthServer({ checks, port: healthPort, logger });
    } catch (e) {
      io.err(`drover scheduler: cannot serve health on port ${healthPort}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }

  let elector: LeaderElector | null = null;
  let leading = values['leader-elect'] !== true;
  if (values['leader-elect'] === true) {
    elector = startLeaderElection({
      kubeConfig: kc,
      namespace: values['lease-namespace'] ?? (podNamespace === undefined || podNamespace === '' ? 'default' : podNamespace),
      name: values['lease-name'] ?? LEADER_ELECTION_DEFAULTS.name,
      ...timing.value,
      logger,
      onStartedLeading: () => {
        leading = true;
        logger.info({}, 'leading: this replica schedules');
      },
      onStoppedLeading: () => {
        leading = false;
        logger.warn({}, 'not leading: this replica stops scheduling and keeps watching');
      },
    });
    checks.addReadiness('leader-election', () => PASSED);
  }
  // The metrics read the scheduler, which exists once the shim has started: the observer forwards.
  let metrics: SchedulerMetrics | null = null;
  const shim = await startShim({
    kubeConfig: kc,
    config: loaded.config,
    logger,
    qps,
    burst,
    observe: { cycle: (seconds, made) => metrics?.observeCycle(seconds, made), bind: (seconds, outcome) => metrics?.observeBind(seconds, outcome) },
    leading: () => leading && (elector === null || elector.isLeader()),
    ...(values['scheduler-name'] === undefined ? {} : { schedulerName: values['scheduler-name'] }),
    ...(configNamespace === undefined || configNamespace === '' ? {} : { configNamespace }),
  });
  metrics = createSchedulerMetrics({ scheduler: shim.scheduler });
  synced.open();
  let rest: RunningUiServer;
  try {
    rest = await startUiServer({ port: restPort, scheduler: shim.scheduler, logger, metrics, health: () => restHealth(shim), ...(token === undefined ? {} : { token }) });
  } catch (e) {
    io.err(`drover scheduler: cannot serve the REST API on port ${restPort}: ${e instanceof Error ? e.message : String(e)}\n`);
    await shim.stop();
    await elector?.stop();
    await health?.close();
    return 2;
  }
  logger.info({ checksum: loaded.config.checksum, healthPort: health?.port ?? null, restPort: rest.port, restAuth: token !== undefined, leaderElection: elector !== null }, 'scheduling');
  await until;
  // Not ready, no new cycles, the decided bindings finish; then the Lease goes to the next replica.
  synced.close();
  await rest.close();
  await shim.stop();
  await elector?.stop();
  await health?.close();
  return 0;
}

/**
 * `drover dev` (what `npm start` runs): the system against an embedded cluster, as far as it exists.
 * The embedded Kubernetes API server on HTTPS with a fleet of simulated nodes and a kubeconfig for
 * kubectl and client libraries; drover's admission webhook, registered in that API server through the
 * API as a cluster's would be (so a pod created anywhere but kube-system is drover's without naming
 * it); the scheduler (the shim and the core); and, unless `--no-demo`, a demo workload of Spark-like
 * applications in a few team namespaces, with a queues.yaml for them when no `--config` is given;
 * and the REST API and UI of the scheduler on 127.0.0.1 (`--rest-port`, 9080).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AdmissionregistrationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { pino } from 'pino';
import { startApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets, realTimers } from '../apiserver/kubelets.js';
import type { Timers } from '../apiserver/kubelets.js';
import { loadConfig } from '../core/config/index.js';
import { NO_LOGGER } from '../core/port.js';
import { DEFAULT_TUNING, prepareDemo, startDemo } from '../demo/runner.js';
import type { DemoTuning } from '../demo/runner.js';
import { demoQueuesYaml, TEAMS } from '../demo/teams.js';
import { startShim } from '../shim/shim.js';
import { generateCertificates } from '../tls/certificates.js';
import { createSchedulerMetrics } from '../ui/metrics/index.js';
import type { SchedulerMetrics } from '../ui/metrics/index.js';
import { startUiServer } from '../ui/server.js';
import { admissionSettings } from '../webhook/admission/index.js';
import { watchLookups } from '../webhook/cluster/lookups.js';
import { caBundle, createWebhookApp, listen } from '../webhook/server/index.js';
import type { RunningServer } from '../webhook/server/index.js';
import type { CliIo } from './io.js';
import { readQueues } from './queues.js';
import { DEFAULT_REST_PORT, restHealth } from './scheduler.js';
import { stopSignal } from './signals.js';
import { DEFAULT_WEBHOOK_PORT } from './webhook.js';
import { REDACT } from '../tls/redact.js';

/** Where drover's ConfigMaps live in the embedded cluster. */
const CONFIG_NAMESPACE = 'default';
/** The ConfigMaps the validating webhook checks (the shim reads drover-defaults, then drover-configs). */
const CONFIG_MAPS = ['drover-configs', 'drover-defaults'] as const;

const HELP = `usage: drover dev [--nodes N] [--api-port PORT] [--webhook-port PORT] [--rest-port PORT] [--kubeconfig-out PATH] [--config QUEUES.yaml] [--no-demo]

Start drover against an embedded Kubernetes API server with simulated nodes: the API server, drover's
admission webhook (registered in it), the scheduler with its REST API and UI, and a demo workload.

  --nodes N              simulated nodes (8 cores, 32Gi, 110 pods each; default 10)
  --api-port PORT        the API server's port (default 6443; 0 picks a free one)
  --webhook-port PORT    the admission webhook's port (default ${DEFAULT_WEBHOOK_PORT}; 0 picks a free one)
  --rest-port PORT       the REST API and UI, on 127.0.0.1 (default ${DEFAULT_REST_PORT}; 0 picks a free one)
  --kubeconfig-out PATH  where to write the kubeconfig (default .drover/kubeconfig)
  --config FILE          queues.yaml for the scheduler (default: the demo's, or
                         with --no-demo the built-in default)
  --no-demo              no demo workload: no team namespaces, no demo queues, no pods
  -h, --help             show this help

The demo: Spark-like applications (a driver, then executors) arrive at random in the
namespaces ${TEAMS.map((t) => t.name).join(', ')}, run for a while and finish; bursts go over their queue's
guarantee. Its pods name no scheduler: the webhook makes them drover's.

Stop with Ctrl-C.
`;

/** What tests change: the demo's pace and its timers. */
export interface DevHooks {
  readonly demo?: Partial<DemoTuning>;
  readonly demoTimers?: Timers;
}

/**
 * drover's webhook registrations, pointing at `url`: pods and workloads outside kube-system to
 * `/mutate`, drover's ConfigMaps in the configuration namespace to `/validate-conf`. Both fail open
 * (failurePolicy Ignore), as YuniKorn registers them: a webhook that is down must not stop the cluster.
 */
export function webhookConfigurations(url: string, caPem: string, configNamespace: string): { mutating: V1MutatingWebhookConfiguration; validating: V1ValidatingWebhookConfiguration } {
  const clientConfig = (path: string) => ({ url: `${url}${path}`, caBundle: caBundle(caPem) });
  const common = { admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', timeoutSeconds: 10 };
  const rule = (apiGroups: string[], resources: string[]) => ({ operations: ['CREATE', 'UPDATE'], apiGroups, apiVersions: ['v1'], resources, scope: 'Namespaced' });
  return {
    mutating: {
      metadata: { name: 'drover-admission' },
      webhooks: [
        {
          ...common,
          name: 'admission.drover.dev',
          clientConfig: clientConfig('/mutate'),
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
          rules: [rule([''], ['pods']), rule(['apps'], ['deployments', 'statefulsets', 'daemonsets', 'replicasets']), rule(['batch'], ['jobs', 'cronjobs'])],
        },
      ],
    },
    validating: {
      metadata: { name: 'drover-configs' },
      webhooks: [
        {
          ...common,
          name: 'configs.drover.dev',
          clientConfig: clientConfig('/validate-conf'),
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': configNamespace } },
          rules: [rule([''], ['configmaps'])],
        },
      ],
    },
  };
}

type Values = { nodes?: string | undefined; 'api-port'?: string | undefined; 'webhook-port'?: string | undefined; 'rest-port'?: string | undefined; 'kubeconfig-out'?: string | undefined; config?: string | undefined; 'no-demo'?: boolean | undefined; help?: boolean | undefined };

const port = (text: string): number | null => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : null);

export async function runDev(args: readonly string[], io: CliIo, until: Promise<unknown> = stopSignal(), hooks: DevHooks = {}): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        nodes: { type: 'string' },
        'api-port': { type: 'string' },
        'webhook-port': { type: 'string' },
        'rest-port': { type: 'string' },
        'kubeconfig-out': { type: 'string' },
        config: { type: 'string' },
        'no-demo': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    io.err(`drover dev: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.help === true) {
    io.out(HELP);
    return 0;
  }
  const nodes = Number(values.nodes ?? '10');
  const apiPort = port(values['api-port'] ?? '6443');
  const webhookPort = port(values['webhook-port'] ?? String(DEFAULT_WEBHOOK_PORT));
  const restPort = port(values['rest-port'] ?? String(DEFAULT_REST_PORT));
  if (!Number.isInteger(nodes) || nodes < 0 || apiPort === null || webhookPort === null || restPort === null) {
    io.err(`drover dev: --nodes, --api-port, --webhook-port and --rest-port take whole numbers (ports up to 65535)\n\n${HELP}`);
    return 2;
  }
  const demo = values['no-demo'] !== true;
  const demoQueues = demo && values.config === undefined ? demoQueuesYaml() : null;
  let loaded;
  if (demoQueues === null) {
    const read = await readQueues('dev', io, values.config);
    if (!read.ok) return read.exit;
    loaded = read.config;
  } else {
    const read = loadConfig(demoQueues);
    if (!read.ok) throw new Error(`bug: the demo queues.yaml does not load: ${read.issues.map((i) => i.message).join('; ')}`);
    loaded = read.config;
  }

  // What has started is stopped in reverse order, however the command ends.
  const started: (() => Promise<void> | void)[] = [];
  const step = async <T>(what: string, start: () => Promise<T>): Promise<T> => {
    try {
      return await start();
    } catch (e) {
      throw new Error(`cannot start ${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  try {
    const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 30 });
    const token = randomBytes(24).toString('hex');
    const server = await step(`the API server on port ${apiPort}`, () => startApiServer({ certificate, port: apiPort, token }));
    started.push(() => server.close());
    const kubelets = new Kubelets(server.api.store);
    kubelets.addNodes(Array.from({ length: nodes }, (_, i) => ({ name: `node-${String(i + 1).padStart(3, '0')}`, cpu: '8', memory: '32Gi' })));
    kubelets.start();
    started.push(() => kubelets.shutdown());
    const path = resolve(values['kubeconfig-out'] ?? '.drover/kubeconfig');
    await mkdir(dirname(path), { recursive: true });
    const config = kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token });
    await writeFile(path, config, { mode: 0o600 });
    const kc = new KubeConfig();
    kc.loadFromString(config);

    const webhook = await step(`the admission webhook on port ${webhookPort} (--webhook-port 0 picks a free one)`, () => startWebhook(kc, webhookPort, io));
    started.push(() => webhook.close());
    if (demo) await step('the demo', () => prepareDemo(kc, demoQueues === null ? null : { namespace: CONFIG_NAMESPACE, name: 'drover-configs', yaml: demoQueues }));
    let metrics: SchedulerMetrics | null = null;
    const observe = { cycle: (seconds: number, made: number) => metrics?.observeCycle(seconds, made), bind: (seconds: number, outcome: 'success' | 'failure' | 'conflict') => metrics?.observeBind(seconds, outcome) };
    const shim = await step('the scheduler', () => startShim({ kubeConfig: kc, config: loaded, logger: NO_LOGGER, configNamespace: CONFIG_NAMESPACE, observe }));
    metrics = createSchedulerMetrics({ scheduler: shim.scheduler });
    const scraped = metrics;
    started.push(() => shim.stop());
    const ui = await step(`the REST API and UI on port ${restPort} (--rest-port 0 picks a free one)`, () => startUiServer({ port: restPort, host: '127.0.0.1', scheduler: shim.scheduler, logger: NO_LOGGER, metrics: scraped, health: () => restHealth(shim) }));
    started.push(() => ui.close());
    if (demo) {
      const workload = startDemo({ kubeConfig: kc, timers: hooks.demoTimers ?? realTimers, logger: NO_LOGGER }, { ...DEFAULT_TUNING, ...hooks.demo });
      started.push(() => workload.stop());
    }

    const teams = TEAMS.map((t) => t.name);
    io.out(
      [
        `drover dev: the embedded API server listens on ${server.url} with ${nodes} simulated nodes`,
        `kubeconfig: ${path}    (kubectl --kubeconfig ${path} get pods -A)`,
        `webhook: https://127.0.0.1:${webhook.port} gives drover the pods of every namespace but kube-system (kubectl run x --image=busybox is scheduled by drover)`,
        `ui: http://127.0.0.1:${ui.port}/    (the queues, applications and why they wait; YuniKorn's REST API at http://127.0.0.1:${ui.port}/ws/v1/)`,
        demo
          ? `demo: Spark-like applications arrive in namespaces ${teams.join(', ')}${demoQueues === null ? ` (queues from ${values.config ?? ''})` : `, queues root.${teams.join(', root.')} (kubectl get configmap drover-configs -o yaml)`}; --no-demo turns it off`
          : 'demo: off',
        'Queues: kubectl apply a ConfigMap drover-configs with a queues.yaml (hot-reloaded; the webhook refuses an invalid one).',
        '',
      ].join('\n'),
    );
    await until;
    return 0;
  } catch (e) {
    io.err(`drover dev: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  } finally {
    for (const stop of started.reverse()) await stop();
  }
}

/** drover's webhook on 127.0.0.1 with a certificate made for it, registered through the API. */
async function startWebhook(kc: KubeConfig, port: number, io: CliIo): Promise<RunningServer> {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 30 });
  const logger = pino({ level: 'warn', base: { component: 'webhook' }, redact: { ...REDACT, paths: [...REDACT.paths] } }, { write: (line: string) => io.err(line) });
  // Namespace annotations (enableYuniKorn, generateAppId) and PriorityClasses, from the cluster.
  const cluster = watchLookups(kc, logger);
  await cluster.started;
  const app = createWebhookApp({ settings: admissionSettings({}).settings, configMapNames: new Set(CONFIG_MAPS), logger, lookups: cluster.lookups });
  let listening: RunningServer;
  try {
    listening = await listen(app, { port, host: '127.0.0.1', certificate });
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  const running: RunningServer = {
    ...listening,
    close: async () => {
      await listening.close();
      await cluster.stop();
    },
  };
  const { mutating, validating } = webhookConfigurations(`https://127.0.0.1:${running.port}`, certificate.caPem ?? '', CONFIG_NAMESPACE);
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  try {
    await admission.createMutatingWebhookConfiguration({ body: mutating });
    await admission.createValidatingWebhookConfiguration({ body: validating });
  } catch (e) {
    await running.close();
    throw e;
  }
  return running;
}

/**
 * `drover scheduler`: schedule the pods of a Kubernetes cluster (in-cluster, or `--kubeconfig`) whose
 * scheduler name is drover's, with the queues of `--config` (default: the built-in configuration).
 * Runs until SIGINT or SIGTERM. Exit 2 on a usage error, 1 on an invalid configuration.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { Logger } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import type { CliIo } from './io.js';
import { readQueues } from './queues.js';
import { stopSignal } from './signals.js';

const HELP = `usage: drover scheduler [--kubeconfig PATH] [--config QUEUES.yaml] [--config-namespace NS] [--scheduler-name NAME]

Schedule the pods whose spec.schedulerName is drover's. Without --kubeconfig: in-cluster, else $KUBECONFIG or ~/.kube/config.
--config-namespace (default $POD_NAMESPACE): hot-reload queues.yaml from the ConfigMap drover-configs
(or yunikorn-configs) there; an invalid update is refused and the running configuration stays.
`;

export async function runScheduler(args: readonly string[], io: CliIo, until: Promise<unknown> = stopSignal()): Promise<number> {
  let values: { kubeconfig?: string | undefined; config?: string | undefined; 'config-namespace'?: string | undefined; 'scheduler-name'?: string | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({ args: [...args], options: { kubeconfig: { type: 'string' }, config: { type: 'string' }, 'config-namespace': { type: 'string' }, 'scheduler-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    io.err(`drover scheduler: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.help === true) {
    io.out(HELP);
    return 0;
  }
  const loaded = await readQueues('scheduler', io, values.config);
  if (!loaded.ok) return loaded.exit;
  const kc = new KubeConfig();
  if (values.kubeconfig !== undefined) kc.loadFromFile(values.kubeconfig);
  else kc.loadFromDefault();
  const base = pino({ level: 'info' }, pino.destination(2));
  const logger: Logger = { debug: (f, m) => base.debug(f, m), info: (f, m) => base.info(f, m), warn: (f, m) => base.warn(f, m) };
  const configNamespace = values['config-namespace'] ?? process.env.POD_NAMESPACE;
  const shim = await startShim({
    kubeConfig: kc,
    config: loaded.config,
    logger,
    ...(values['scheduler-name'] === undefined ? {} : { schedulerName: values['scheduler-name'] }),
    ...(configNamespace === undefined || configNamespace === '' ? {} : { configNamespace }),
  });
  logger.info({ checksum: loaded.config.checksum }, 'scheduling');
  await until;
  await shim.stop();
  return 0;
}

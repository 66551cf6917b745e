/**
 * `drover dev` (what `npm start` runs): the system against an embedded cluster, as far as it exists.
 * Today: the embedded Kubernetes API server on HTTPS with a fleet of simulated nodes, a kubeconfig for
 * kubectl and client libraries, and the scheduler (the shim and the core) scheduling the pods that
 * name drover as their scheduler. The webhook registration, the UI and the demo workload join it as
 * they are built.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets } from '../apiserver/kubelets.js';
import { KubeConfig } from '@kubernetes/client-node';
import { NO_LOGGER } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import { generateCertificates } from '../tls/certificates.js';
import type { CliIo } from './io.js';
import { readQueues } from './queues.js';
import { stopSignal } from './signals.js';

const HELP = `usage: drover dev [--nodes N] [--api-port PORT] [--kubeconfig-out PATH] [--config QUEUES.yaml]

Start drover against an embedded Kubernetes API server with simulated nodes.

  --nodes N              simulated nodes (8 cores, 32Gi, 110 pods each; default 10)
  --api-port PORT        the API server's port (default 6443; 0 picks a free one)
  --kubeconfig-out PATH  where to write the kubeconfig (default .drover/kubeconfig)
  --config FILE          queues.yaml for the scheduler (default: the built-in default)
  -h, --help             show this help

Stop with Ctrl-C.
`;

export async function runDev(args: readonly string[], io: CliIo, until: Promise<unknown> = stopSignal()): Promise<number> {
  let values: { nodes?: string | undefined; 'api-port'?: string | undefined; 'kubeconfig-out'?: string | undefined; config?: string | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({
      args: [...args],
      options: { nodes: { type: 'string' }, 'api-port': { type: 'string' }, 'kubeconfig-out': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  const port = Number(values['api-port'] ?? '6443');
  if (!Number.isInteger(nodes) || nodes < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`drover dev: --nodes and --api-port take whole numbers\n\n${HELP}`);
    return 2;
  }
  const loaded = await readQueues('dev', io, values.config);
  if (!loaded.ok) return loaded.exit;
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 30 });
  const token = randomBytes(24).toString('hex');
  const server = await startApiServer({ certificate, port, token });
  const kubelets = new Kubelets(server.api.store);
  kubelets.addNodes(Array.from({ length: nodes }, (_, i) => ({ name: `node-${String(i + 1).padStart(3, '0')}`, cpu: '8', memory: '32Gi' })));
  kubelets.start();
  const path = resolve(values['kubeconfig-out'] ?? '.drover/kubeconfig');
  await mkdir(dirname(path), { recursive: true });
  const config = kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token });
  await writeFile(path, config, { mode: 0o600 });
  const kc = new KubeConfig();
  kc.loadFromString(config);
  const shim = await startShim({ kubeConfig: kc, config: loaded.config, logger: NO_LOGGER, configNamespace: 'default' });
  io.out(
    [
      `drover dev: the embedded API server listens on ${server.url} with ${nodes} simulated nodes`,
      `kubeconfig: ${path}    (kubectl --kubeconfig ${path} get nodes)`,
      "drover schedules the pods whose spec.schedulerName is 'drover' (the webhook registration, the UI and the demo workload come later).",
      'Queues: kubectl create configmap drover-configs --from-file=queues.yaml (hot-reloaded; an invalid one is refused and the running one stays).',
      '',
    ].join('\n'),
  );
  await until;
  await shim.stop();
  kubelets.shutdown();
  await server.close();
  return 0;
}

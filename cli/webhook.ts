/**
 * `drover webhook`: the admission webhook over HTTPS (POST /mutate, POST /validate-conf, GET /health).
 * With a cluster (`--kubeconfig`, or in a pod) it watches namespaces, PriorityClasses and the
 * settings ConfigMaps, and keeps its certificate in a Secret and its CA in the webhook configurations;
 * without one it serves with the settings of `--settings` and `--set` and a certificate generated in
 * memory. Mounted certificates (`--tls-cert-file`) work either way. Logs JSON lines with pino and runs
 * until SIGTERM or SIGINT. Exit 0 after a clean stop, 2 on a usage error or when it cannot start.
 */
import { parseArgs } from 'node:util';
import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import { pino } from 'pino';
import { connect } from '../webhook/cluster/connect.js';
import { caBundle, DEFAULT_CONFIG_MAPS } from '../webhook/server/index.js';
import type { ConfigMapNames } from '../webhook/server/index.js';
import { startWebhook } from '../webhook/start.js';
import type { CertificateSource } from '../webhook/start.js';
import type { CliIo } from './io.js';
import { stopSignal } from './signals.js';
import { REDACT } from '../tls/redact.js';

export const DEFAULT_WEBHOOK_PORT = 9089;
export const DEFAULT_CERTS_SECRET = 'drover-admission-certs';
export const DEFAULT_MUTATING_CONFIGURATION = 'drover-admission-mutating';
export const DEFAULT_VALIDATING_CONFIGURATION = 'drover-admission-validating';

const HELP = `usage: drover webhook [OPTIONS]

Serve the admission webhook over HTTPS (TLS 1.2 or newer):
  POST /mutate          pods and workloads (AdmissionReview v1 -> JSONPatch)
  POST /validate-conf   ConfigMaps carrying queues.yaml (refused when the merged result is invalid)
  GET  /health

  --port N                 listen port (default ${DEFAULT_WEBHOOK_PORT}; 0 picks a free one)
  --host ADDRESS           listen address (default: all)
  --kubeconfig PATH        the cluster to read (default: in-cluster when running in a pod)
  --no-cluster             read no cluster: names only, settings from the flags
  --namespace NS           the webhook's namespace: its ConfigMaps, Secret and Service
                           (default $POD_NAMESPACE, else drover)
  --service NAME           the Service the API server calls (default drover-webhook)
  --user-config-maps A,..  user ConfigMaps, first present wins (default ${DEFAULT_CONFIG_MAPS.user.join(',')})
  --defaults-config-maps A,..  defaults ConfigMaps (default ${DEFAULT_CONFIG_MAPS.defaults.join(',')})
  --settings FILE          admission settings: a ConfigMap manifest (its data) or a flat YAML
                           map, YuniKorn's keys or the short ones; wins over the ConfigMaps
  --set KEY=VALUE          one setting; repeatable; wins over --settings
Certificates (one of):
  --tls-cert-file FILE --tls-key-file FILE   mounted (cert-manager); reloaded when they change
  with a cluster (default): kept in a Secret, the CA written into the webhook configurations
  --certs-secret NAME      (default ${DEFAULT_CERTS_SECRET})
  --mutating-webhook-configuration NAME    (default ${DEFAULT_MUTATING_CONFIGURATION})
  --validating-webhook-configuration NAME  (default ${DEFAULT_VALIDATING_CONFIGURATION})
  without a cluster: generated in memory
  --ca-bundle-file FILE    where to write the CA (PEM); default a new temporary file
  --print-ca-bundle        also print the CA as a caBundle value (base64) on stderr

  --log-level LEVEL        trace, debug, info (default), warn, error
  -h, --help               show this help
`;

export interface WebhookOptions {
  readonly port: number;
  readonly host: string | null;
  readonly kubeconfig: string | null;
  readonly noCluster: boolean;
  readonly certFile: string | null;
  readonly keyFile: string | null;
  readonly service: string;
  readonly namespace: string;
  readonly certsSecret: string;
  readonly mutatingConfiguration: string;
  readonly validatingConfiguration: string;
  readonly caBundleFile: string | null;
  readonly printCaBundle: boolean;
  readonly settingsFile: string | null;
  readonly set: readonly (readonly [string, string])[];
  readonly configMaps: ConfigMapNames;
  readonly logLevel: string;
}

export type ParsedArgs = { readonly ok: true; readonly options: WebhookOptions } | { readonly ok: true; readonly help: true } | { readonly ok: false; readonly message: string };

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const list = (text: string | undefined, fallback: readonly string[]) => (text === undefined ? fallback : text.split(',').map((s) => s.trim()).filter((s) => s !== ''));

export function parseWebhookArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  let values;
  try {
    const text = { type: 'string' } as const;
    values = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: {
        port: text, host: text, kubeconfig: text, 'no-cluster': { type: 'boolean' }, 'tls-cert-file': text, 'tls-key-file': text, service: text, namespace: text,
        'certs-secret': text, 'mutating-webhook-configuration': text, 'validating-webhook-configuration': text, 'ca-bundle-file': text, 'print-ca-bundle': { type: 'boolean' },
        settings: text, set: { type: 'string', multiple: true }, 'user-config-maps': text, 'defaults-config-maps': text, 'log-level': text, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  if (values.help === true) return { ok: true, help: true };
  const portText = values.port ?? String(DEFAULT_WEBHOOK_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) return { ok: false, message: `--port must be a number from 0 to 65535, not '${portText}'` };
  const certFile = values['tls-cert-file'] ?? null;
  const keyFile = values['tls-key-file'] ?? null;
  if ((certFile === null) !== (keyFile === null)) return { ok: false, message: '--tls-cert-file and --tls-key-file go together' };
  const noCluster = values['no-cluster'] === true;
  if (noCluster && values.kubeconfig !== undefined) return { ok: false, message: '--no-cluster and --kubeconfig contradict each other' };
  const set: (readonly [string, string])[] = [];
  for (const entry of values.set ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) return { ok: false, message: `--set takes KEY=VALUE, not '${entry}'` };
    set.push([entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return { ok: false, message: `--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'` };
  const configMaps = { user: list(values['user-config-maps'], DEFAULT_CONFIG_MAPS.user), defaults: list(values['defaults-config-maps'], DEFAULT_CONFIG_MAPS.defaults) };
  const shared = configMaps.user.find((n) => configMaps.defaults.includes(n));
  if (shared !== undefined) return { ok: false, message: `ConfigMap ${shared} cannot be both a user and a defaults ConfigMap` };
  return {
    ok: true,
    options: {
      port,
      host: values.host ?? null,
      kubeconfig: values.kubeconfig ?? null,
      noCluster,
      certFile,
      keyFile,
      service: values.service ?? 'drover-webhook',
      namespace: values.namespace ?? env.POD_NAMESPACE ?? 'drover',
      certsSecret: values['certs-secret'] ?? DEFAULT_CERTS_SECRET,
      mutatingConfiguration: values['mutating-webhook-configuration'] ?? DEFAULT_MUTATING_CONFIGURATION,
      validatingConfiguration: values['validating-webhook-configuration'] ?? DEFAULT_VALIDATING_CONFIGURATION,
      caBundleFile: values['ca-bundle-file'] ?? null,
      printCaBundle: values['print-ca-bundle'] === true,
      settingsFile: values.settings ?? null,
      set,
      configMaps,
      logLevel,
    },
  };
}

/**
 * The settings file: a ConfigMap manifest (its `data`) or a flat map. Read with YAML's failsafe
 * schema, so every scalar is text, as in a ConfigMap (`generateUniqueAppId: true` is the text "true").
 */
export function readSettingsFile(text: string): { ok: true; data: Record<string, unknown> } | { ok: false; message: string } {
  let doc: unknown;
  try {
    doc = load(text, { schema: FAILSAFE_SCHEMA });
  } catch (e) {
    return { ok: false, message: `not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  if (doc === null || doc === undefined || doc === '') return { ok: true, data: {} };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, message: 'must be a map of settings or a ConfigMap' };
  const map = doc as Record<string, unknown>;
  if (map.kind === 'ConfigMap') {
    const data = map.data;
    if (data === undefined || data === null || data === '') return { ok: true, data: {} };
    if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, message: 'the ConfigMap data must be a map' };
    return { ok: true, data: { ...(data as Record<string, unknown>) } };
  }
  return { ok: true, data: { ...map } };
}

export async function runWebhook(args: readonly string[], io: CliIo, stop: Promise<unknown> = stopSignal(), env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const parsed = parseWebhookArgs(args, env);
  if (!parsed.ok) {
    io.err(`drover webhook: ${parsed.message}\n\n${HELP}`);
    return 2;
  }
  if ('help' in parsed) {
    io.out(HELP);
    return 0;
  }
  const options = parsed.options;
  const logger = pino({ level: options.logLevel, base: { component: 'webhook' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { ...REDACT, paths: [...REDACT.paths] } }, { write: (s: string) => io.out(s) });

  const overrides: Record<string, unknown> = {};
  if (options.settingsFile !== null) {
    let text: string;
    try {
      text = await io.readFile(options.settingsFile);
    } catch (e) {
      io.err(`drover webhook: cannot read ${options.settingsFile}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const read = readSettingsFile(text);
    if (!read.ok) {
      io.err(`drover webhook: ${options.settingsFile}: ${read.message}\n`);
      return 2;
    }
    Object.assign(overrides, read.data);
  }
  for (const [key, value] of options.set) overrides[key] = value;

  const chosen = connect(options, env);
  if (!chosen.ok) {
    io.err(`drover webhook: ${chosen.message}\n`);
    return 2;
  }
  const cluster = chosen.cluster;
  logger.info(cluster.kind === 'cluster' ? { cluster: cluster.source } : { cluster: null, why: cluster.why }, cluster.kind === 'cluster' ? 'reading the cluster' : 'no cluster: namespaces are known by name only and the settings come from the flags');
  const certificates: CertificateSource =
    options.certFile !== null && options.keyFile !== null ? { kind: 'files', certFile: options.certFile, keyFile: options.keyFile }
    : cluster.kind === 'cluster' ? { kind: 'secret', secretName: options.certsSecret, mutating: options.mutatingConfiguration, validating: options.validatingConfiguration }
    : { kind: 'memory', caBundleFile: options.caBundleFile };

  const aborted = new AbortController();
  void stop.then(() => aborted.abort());
  const started = await startWebhook({
    port: options.port,
    host: options.host,
    service: options.service,
    namespace: options.namespace,
    certificates,
    kubeConfig: cluster.kind === 'cluster' ? cluster.kubeConfig : null,
    overrides,
    configMaps: options.configMaps,
    logger,
    signal: aborted.signal,
  });
  if (!started.ok) {
    io.err(`drover webhook: ${started.message}\n`);
    return aborted.signal.aborted ? 0 : 2;
  }
  const webhook = started.webhook;
  if (options.printCaBundle && webhook.caBundle !== null) io.err(`${caBundle(webhook.caBundle.pem)}\n`);
  const reason = await stop;
  logger.info({ reason: String(reason) }, 'stopping');
  await webhook.close();
  return 0;
}

/**
 * `drover webhook`: the admission webhook over HTTPS (POST /mutate, POST /validate-conf, GET /health).
 * Reads the admission settings from a file (a ConfigMap manifest, or its data as a flat map) and
 * `--set` flags, uses mounted certificates or generates a CA and a serving certificate in memory, logs
 * JSON lines with pino, and runs until SIGTERM or SIGINT. Exit 0 after a clean stop, 2 on a usage
 * error or when the server cannot start.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { admissionSettings } from '../webhook/admission/index.js';
import { caBundle, createWebhookApp, DEFAULT_CONFIG_MAP_NAMES, generateCertificates, listen, loadCertificates, serviceDnsNames } from '../webhook/server/index.js';
import type { ServingCertificate } from '../webhook/server/index.js';
import type { CliIo } from './io.js';
import { stopSignal } from './signals.js';

export const DEFAULT_WEBHOOK_PORT = 9089;

const HELP = `usage: drover webhook [OPTIONS]

Serve the admission webhook over HTTPS (TLS 1.2 or newer):
  POST /mutate          pods and workloads (AdmissionReview v1 -> JSONPatch)
  POST /validate-conf   ConfigMaps carrying queues.yaml (refused when invalid)
  GET  /health

  --port N                 listen port (default ${DEFAULT_WEBHOOK_PORT}; 0 picks a free one)
  --host ADDRESS           listen address (default: all)
  --tls-cert-file FILE     serving certificate (PEM); with --tls-key-file
  --tls-key-file FILE      its private key (PEM)
                           without both: a CA and a certificate are generated in memory
  --service NAME           service name for a generated certificate (default drover-webhook)
  --namespace NS           its namespace (default $POD_NAMESPACE, else drover)
  --ca-bundle-file FILE    where to write a generated CA (PEM); default a new temporary file
  --print-ca-bundle        also print the generated CA as a caBundle value (base64) on stderr
  --settings FILE          admission settings: a ConfigMap manifest (its data) or a flat
                           YAML map, with YuniKorn's keys (admissionController.filtering.*,
                           admissionController.accessControl.*) or the short ones
  --set KEY=VALUE          one setting; repeatable; overrides --settings
  --config-maps A,B,...    ConfigMaps whose queues.yaml /validate-conf checks
                           (default ${DEFAULT_CONFIG_MAP_NAMES.join(',')})
  --log-level LEVEL        trace, debug, info (default), warn, error
  -h, --help               show this help
`;

export interface WebhookOptions {
  readonly port: number;
  readonly host: string | null;
  readonly certFile: string | null;
  readonly keyFile: string | null;
  readonly service: string;
  readonly namespace: string;
  readonly caBundleFile: string | null;
  readonly printCaBundle: boolean;
  readonly settingsFile: string | null;
  readonly set: readonly (readonly [string, string])[];
  readonly configMaps: readonly string[];
  readonly logLevel: string;
}

export type ParsedArgs = { readonly ok: true; readonly options: WebhookOptions } | { readonly ok: true; readonly help: true } | { readonly ok: false; readonly message: string };

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export function parseWebhookArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'tls-cert-file': { type: 'string' },
        'tls-key-file': { type: 'string' },
        service: { type: 'string' },
        namespace: { type: 'string' },
        'ca-bundle-file': { type: 'string' },
        'print-ca-bundle': { type: 'boolean' },
        settings: { type: 'string' },
        set: { type: 'string', multiple: true },
        'config-maps': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
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
  const set: (readonly [string, string])[] = [];
  for (const entry of values.set ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) return { ok: false, message: `--set takes KEY=VALUE, not '${entry}'` };
    set.push([entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return { ok: false, message: `--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'` };
  const configMaps = values['config-maps'] === undefined ? DEFAULT_CONFIG_MAP_NAMES : values['config-maps'].split(',').map((s) => s.trim()).filter((s) => s !== '');
  return {
    ok: true,
    options: {
      port,
      host: values.host ?? null,
      certFile,
      keyFile,
      service: values.service ?? 'drover-webhook',
      namespace: values.namespace ?? env.POD_NAMESPACE ?? 'drover',
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

export async function runWebhook(args: readonly string[], io: CliIo, stop: Promise<unknown> = stopSignal()): Promise<number> {
  const parsed = parseWebhookArgs(args, process.env);
  if (!parsed.ok) {
    io.err(`drover webhook: ${parsed.message}\n\n${HELP}`);
    return 2;
  }
  if ('help' in parsed) {
    io.out(HELP);
    return 0;
  }
  const options = parsed.options;
  const logger = pino({ level: options.logLevel, base: { component: 'webhook' }, timestamp: pino.stdTimeFunctions.isoTime }, { write: (s: string) => io.out(s) });

  let data: Record<string, unknown> = {};
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
    data = read.data;
  }
  for (const [key, value] of options.set) data[key] = value;
  // As in YuniKorn, an unreadable setting keeps its default and is reported, not fatal.
  const { settings, problems } = admissionSettings(data);
  for (const p of problems) logger.warn({ code: p.code, key: p.key }, p.message);

  let certificate: ServingCertificate;
  try {
    certificate = await serving(options, logger, io);
  } catch (e) {
    io.err(`drover webhook: cannot set up TLS: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  const app = createWebhookApp({ settings, configMapNames: new Set(options.configMaps), logger });
  let server;
  try {
    server = await listen(app, { port: options.port, ...(options.host === null ? {} : { host: options.host }), certificate });
  } catch (e) {
    io.err(`drover webhook: cannot listen on port ${options.port}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  logger.info({ port: server.port, schedulerName: settings.schedulerName, configMaps: options.configMaps, certificate: certificate.summary }, 'listening');
  const reason = await stop;
  logger.info({ reason: String(reason) }, 'stopping');
  await server.close();
  return 0;
}

async function serving(options: WebhookOptions, logger: Logger, io: CliIo): Promise<ServingCertificate> {
  if (options.certFile !== null && options.keyFile !== null) return loadCertificates(options.certFile, options.keyFile);
  const certificate = await generateCertificates({ dnsNames: serviceDnsNames(options.service, options.namespace), ipAddresses: ['127.0.0.1', '::1'], now: new Date(), validityDays: 365 });
  const caPem = certificate.caPem ?? '';
  const file = options.caBundleFile ?? join(await mkdtemp(join(tmpdir(), 'drover-webhook-')), 'ca.crt');
  await writeFile(file, caPem, { mode: 0o644 });
  logger.info({ caBundleFile: file }, 'generated a CA and a serving certificate in memory; the CA bundle is in caBundleFile');
  if (options.printCaBundle) io.err(`${caBundle(caPem)}\n`);
  return certificate;
}

/**
 * Test harness for the webhook server: a real HTTPS server on port 0 with a freshly generated CA and
 * serving certificate, a client that trusts only that CA, and the log lines the server wrote.
 */
import { request } from 'node:https';
import { pino } from 'pino';
import { admissionSettings } from '../admission/index.js';
import { createWebhookApp } from './app.js';
import type { WebhookDeps } from './app.js';
import { DEFAULT_CONFIG_MAP_NAMES } from './config-validation.js';
import type { AdmissionMetrics } from './metrics.js';
import type { ClusterLookups } from './mutate.js';
import { listen } from './server.js';
import { generateCertificates } from '../../tls/certificates.js';
import type { ServingCertificate } from '../../tls/certificates.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON (throws if it is not: every answer of the server is JSON). */
  json(): Record<string, unknown>;
}

export interface TestServer {
  readonly port: number;
  readonly certificate: ServingCertificate;
  readonly logs: Record<string, unknown>[];
  /** Send a request; `body` is sent as is when a string or Buffer, as JSON otherwise. */
  send(method: string, path: string, body?: unknown, headers?: Readonly<Record<string, string>>): Promise<HttpAnswer>;
  close(): Promise<void>;
}

let certificate: Promise<ServingCertificate> | null = null;

/** One certificate for the whole test file: generating is cheap, but tests need not repeat it. */
export function testCertificate(): Promise<ServingCertificate> {
  certificate ??= generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  return certificate;
}

export async function startTestServer(options: { settings?: Readonly<Record<string, string>>; configMaps?: readonly string[]; lookups?: ClusterLookups; bodyLimitBytes?: number; metrics?: AdmissionMetrics } = {}): Promise<TestServer> {
  const cert = await testCertificate();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const deps: WebhookDeps = {
    settings: admissionSettings(options.settings ?? {}).settings,
    configMapNames: new Set(options.configMaps ?? DEFAULT_CONFIG_MAP_NAMES),
    logger,
    ...(options.lookups === undefined ? {} : { lookups: options.lookups }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  };
  const running = await listen(createWebhookApp(deps), { port: 0, host: '127.0.0.1', certificate: cert });
  const ca = cert.caPem ?? '';
  return {
    port: running.port,
    certificate: cert,
    logs,
    send: (method, path, body, headers = {}) => send({ port: running.port, ca, method, path, body, headers }),
    close: running.close,
  };
}

export function send(options: { port: number; ca: string; method: string; path: string; body?: unknown; headers?: Readonly<Record<string, string>>; host?: string; minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' }): Promise<HttpAnswer> {
  const { body } = options;
  const payload = body === undefined ? null : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { ...(payload === null || typeof body === 'string' || Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host ?? '127.0.0.1',
        servername: 'localhost',
        port: options.port,
        method: options.method,
        path: options.path,
        ca: options.ca,
        headers,
        agent: false,
        ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
        ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== null) req.write(payload);
    req.end();
  });
}

/** The `response` of an AdmissionReview answer, with its patch decoded. */
export function reviewOf(answer: HttpAnswer): { uid: unknown; allowed: unknown; status?: { code: number; message: string }; patchType?: unknown; patch: unknown[] | null; warnings?: string[] } {
  const doc = answer.json();
  if (doc.apiVersion !== 'admission.k8s.io/v1' || doc.kind !== 'AdmissionReview') throw new Error(`not an AdmissionReview: ${answer.text}`);
  const response = doc.response as Record<string, unknown>;
  const patch = typeof response.patch === 'string' ? (JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as unknown[]) : null;
  return { ...(response as { uid: unknown; allowed: unknown }), patch };
}

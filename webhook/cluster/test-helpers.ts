/**
 * The embedded API server for the webhook's cluster tests: served over HTTPS with a bearer token,
 * and a KubeConfig for @kubernetes/client-node that reaches it as it would reach a cluster.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { startApiServer } from '../../apiserver/http.js';
import type { RunningApiServer } from '../../apiserver/http.js';
import { kubeconfig } from '../../apiserver/kubeconfig.js';
import { generateCertificates } from '../../tls/certificates.js';

export interface TestCluster {
  readonly api: RunningApiServer;
  readonly kubeConfig: KubeConfig;
  /** The kubeconfig as text, for `--kubeconfig`. */
  readonly kubeconfigText: string;
  close(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  const api = await startApiServer({ certificate, token: 'webhook-test' });
  const kubeconfigText = kubeconfig({ server: api.url, caPem: certificate.caPem ?? '', token: 'webhook-test' });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigText);
  return { api, kubeConfig, kubeconfigText, close: () => api.close() };
}

/** A logger that keeps its lines for assertions. */
export function recordingLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/**
 * Wait until `read` gives a value `ok` accepts, checking every 10 ms (informers and reconciles run
 * asynchronously); fail with `what` after the timeout. A wait for a condition, not a fixed sleep.
 */
export async function eventually<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)?.slice(0, 500) ?? 'undefined'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

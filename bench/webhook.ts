/**
 * `webhook.admission`: admission requests over HTTPS (an AdmissionReview of a Spark executor pod,
 * about 4 KiB) at a fixed rate of 2,000 requests/s, from autocannon in this process against the real
 * webhook in a child process; then the same load against a bare node:https handler in its own child
 * process that returns a fixed response of the same size. Reports requests/s, p50/p99 latency and
 * errors for both, and the webhook's figures as ratios of the bare handler's.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { admissionReview, POD_KIND, sparkExecutorPod } from '../webhook/server/examples.js';
import type { BenchResult } from './stats.js';

const RATE = 2_000;
const WARMUP_S = 1;
const DURATION_S = 5;
const CONNECTIONS = 16;

interface Target {
  readonly child: ChildProcess;
  readonly port: number;
  readonly ca: string;
}

async function startTarget(kind: 'webhook' | 'bare'): Promise<Target> {
  const child = spawn(process.execPath, [new URL('./webhook-target.js', import.meta.url).pathname, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.stdout === null) throw new Error('bug: no stdout');
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} target exited with ${String(code)} before listening`)));
  });
  const { port, ca } = JSON.parse(first) as { port: number; ca: string };
  return { child, port, ca };
}

interface Figures {
  readonly requestsPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

async function load(target: Target, body: string, seconds: number): Promise<Figures> {
  const result = await autocannon({
    url: `https://127.0.0.1:${target.port}/mutate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
    tlsOptions: { ca: target.ca, servername: 'localhost' },
  });
  return {
    // The mean of autocannon's per-second samples; it limits each connection per one-second window.
    requestsPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function measure(kind: 'webhook' | 'bare', body: string): Promise<Figures> {
  const target = await startTarget(kind);
  try {
    await load(target, body, WARMUP_S);
    return await load(target, body, DURATION_S);
  } finally {
    target.child.kill();
  }
}

export async function benchWebhook(): Promise<BenchResult> {
  const body = JSON.stringify(admissionReview(POD_KIND, sparkExecutorPod()));
  const webhook = await measure('webhook', body);
  const bare = await measure('bare', body);
  // autocannon's latencies are whole milliseconds: a ratio over 0 ms has no meaning.
  const ratio = (a: number, b: number): number | string => (b > 0 ? Math.round((a / b) * 100) / 100 : 'n/a');
  return {
    name: 'webhook.admission',
    targetRate: RATE,
    durationS: DURATION_S,
    bodyBytes: body.length,
    requestsPerS: webhook.requestsPerS,
    p50Ms: webhook.p50Ms,
    p99Ms: webhook.p99Ms,
    errors: webhook.errors,
    bareRequestsPerS: bare.requestsPerS,
    bareP50Ms: bare.p50Ms,
    bareP99Ms: bare.p99Ms,
    bareErrors: bare.errors,
    rateRatio: ratio(webhook.requestsPerS, bare.requestsPerS),
    p50Ratio: ratio(webhook.p50Ms, bare.p50Ms),
    p99Ratio: ratio(webhook.p99Ms, bare.p99Ms),
  };
}

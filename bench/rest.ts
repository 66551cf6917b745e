/**
 * `rest.api`: the REST API of a big scheduler over HTTP. The server (rest-target.ts) runs in its own
 * process with 1,001 queues, 5,000 nodes and 50,000 applications, observing the core every 500 ms as
 * in production; autocannon in this process asks, one request at a time after a warm-up:
 *   queues        GET /ws/v1/partition/default/queues                      (the whole tree, ~1 MB)
 *   queueApps     GET /ws/v1/partition/default/queue/{leaf}/applications   (one leaf's ~51 applications)
 *   allApps       GET /ws/v1/partition/default/applications/active         (all 50,000, tens of MB)
 * and reports p50/p99 latency (ms, whole as autocannon gives them), requests/s and the body size of
 * each, what one observation of the core costs (the first reports everything that exists), and the
 * time to first render of the queues page in headless Chromium (/usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { BenchResult } from './stats.js';

interface TargetInfo {
  readonly port: number;
  readonly queues: number;
  readonly nodes: number;
  readonly applications: number;
  readonly allocations: number;
  readonly leaf: string;
  readonly buildMs: number;
  readonly firstPollMs: number;
  readonly steadyPollMs: number;
}

interface Figures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerS: number;
  readonly bytes: number;
  readonly errors: number;
}

async function load(url: string, amount: number): Promise<Figures> {
  const result = await autocannon({ url, connections: 1, amount, timeout: 60 });
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerS: Math.round((result.requests.total / (result.duration || 1)) * 10) / 10,
    bytes: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** A warm-up of `warm` requests, then `amount` measured. */
async function measure(url: string, warm: number, amount: number): Promise<Figures> {
  await load(url, warm);
  return load(url, amount);
}

export async function benchRest(): Promise<BenchResult> {
  const child = spawn(process.execPath, [new URL('./rest-target.js', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    if (child.stdout === null) throw new Error('bug: no stdout');
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the REST target exited with ${String(code)} before listening`)));
    });
    const t = JSON.parse(first) as TargetInfo;
    const base = `http://127.0.0.1:${t.port}/ws/v1/partition/default`;
    const queues = await measure(`${base}/queues`, 20, 200);
    const queueApps = await measure(`${base}/queue/${t.leaf}/applications`, 50, 1000);
    const allApps = await measure(`${base}/applications/active`, 2, 20);
    // Time to first render of the queues page in headless Chromium (the first, cold run is dropped).
    const { measureQueuesFirstRender } = await import('../ui/web/bench-helpers.js');
    const renders = (await measureQueuesFirstRender(`http://127.0.0.1:${t.port}`, { runs: 6 })).slice(1);
    const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    return {
      bench: 'rest.api',
      queues: t.queues,
      nodes: t.nodes,
      applications: t.applications,
      allocations: t.allocations,
      buildMs: t.buildMs,
      firstPollMs: t.firstPollMs,
      steadyPollMs: t.steadyPollMs,
      queuesP50Ms: queues.p50Ms,
      queuesP99Ms: queues.p99Ms,
      queuesPerS: queues.requestsPerS,
      queuesBytes: queues.bytes,
      queueAppsP50Ms: queueApps.p50Ms,
      queueAppsP99Ms: queueApps.p99Ms,
      queueAppsPerS: queueApps.requestsPerS,
      queueAppsBytes: queueApps.bytes,
      allAppsP50Ms: allApps.p50Ms,
      allAppsP99Ms: allApps.p99Ms,
      allAppsBytes: allApps.bytes,
      queuesFirstRenderMedianMs: median(renders.map((r) => r.visibleMs)),
      queuesFirstRenderMaxMs: Math.max(...renders.map((r) => r.visibleMs)),
      queuesRowsInDom: renders[0]?.rows ?? 0,
      errors: queues.errors + queueApps.errors + allApps.errors,
    };
  } finally {
    child.kill();
  }
}

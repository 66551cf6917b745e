/**
 * drover end to end: the embedded API server in its own process with 1,000 simulated nodes, `drover
 * scheduler` in its own process, and this process creating 10,000 pods in a burst across four queues.
 * Measured: pods bound per second from the first creation to the last binding (seen on a watch),
 * and, in the same run, the ceiling of a fresh server of the same build: bindings per second of a
 * keep-alive client that does nothing else (the same concurrency as the shim's), and the pipeline
 * ceiling (create a pod, then bind it, for every pod, with no scheduling at all).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { inParallel, rawClient, startTarget } from './raw-client.js';
import type { Target } from './raw-client.js';
import type { BenchResult } from './stats.js';

const NODES = 1_000;
const PODS = 10_000;
const QUEUES = ['etl', 'ml', 'reporting', 'adhoc'];
const CONCURRENCY = 16;
/**
 * The scheduler's client pace for the run. YuniKorn's default of 1000 calls a second (drover's too)
 * would cap the burst at 1,000 bindings a second by construction; the benchmark measures the shim.
 */
const QPS = 20_000;

const QUEUES_YAML = `partitions:
  - name: default
    placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues:
${QUEUES.map((q) => `          - {name: ${q}, resources: {guaranteed: {vcore: 1000, memory: 1000Gi}}}`).join('\n')}
`;

const pod = (i: number, schedulerName: string) => ({
  metadata: { name: `p-${i}`, labels: { applicationId: `app-${Math.floor(i / 50)}`, queue: `root.${QUEUES[i % QUEUES.length] ?? 'etl'}` } },
  spec: { schedulerName, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});
const binding = (i: number) => ({ metadata: { name: `p-${i}` }, target: { kind: 'Node', name: `node-${String(i % NODES).padStart(4, '0')}` } });

/** Counts the pods of `namespace` that became bound, from a raw watch; resolves when `want` are. */
function watchBindings(target: Target, namespace: string, want: number): { done: Promise<number>; close: () => void } {
  const bound = new Set<string>();
  let close = () => undefined as void;
  const done = new Promise<number>((resolve, reject) => {
    const req = request(`${target.url}/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=0`, { ca: target.ca, headers: { authorization: `Bearer ${target.token}` } }, (res) => {
      res.on('error', () => undefined); // closed by us at the end
      const lines = createInterface({ input: res });
      lines.on('error', () => undefined);
      lines.on('line', (line) => {
        const e = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
        const name = e.object?.metadata?.name;
        if (name !== undefined && (e.object?.spec?.nodeName ?? '') !== '' && !bound.has(name)) {
          bound.add(name);
          if (bound.size === want) resolve(performance.now());
        }
      });
    });
    req.on('error', reject);
    req.end();
    close = () => req.destroy();
  });
  return { done, close };
}

async function ceilings(): Promise<{ bindingsPerSecond: number; pipelinePodsPerSecond: number }> {
  const target = await startTarget(NODES);
  const client = rawClient(target, CONCURRENCY);
  try {
    await inParallel(PODS, CONCURRENCY, (i) => client.post('/api/v1/namespaces/default/pods', pod(i, 'nobody')));
    const bindSeconds = await inParallel(PODS, CONCURRENCY, (i) => client.post(`/api/v1/namespaces/default/pods/p-${i}/binding`, binding(i)));
    await client.post('/api/v1/namespaces', { metadata: { name: 'pipeline' } });
    const pipelineSeconds = await inParallel(PODS, CONCURRENCY, async (i) => {
      await client.post('/api/v1/namespaces/pipeline/pods', pod(i, 'nobody'));
      await client.post(`/api/v1/namespaces/pipeline/pods/p-${i}/binding`, binding(i));
    });
    return { bindingsPerSecond: Math.round(PODS / bindSeconds), pipelinePodsPerSecond: Math.round(PODS / pipelineSeconds) };
  } finally {
    client.close();
    target.child.kill();
  }
}

export async function benchShimEndToEnd(): Promise<BenchResult> {
  const ceiling = await ceilings();
  const target = await startTarget(NODES);
  const dir = await mkdtemp(join(tmpdir(), 'drover-bench-'));
  const client = rawClient(target, CONCURRENCY);
  let scheduler: ReturnType<typeof spawn> | null = null;
  try {
    await writeFile(join(dir, 'kubeconfig'), kubeconfig({ server: target.url, caPem: target.ca, token: target.token }));
    await writeFile(join(dir, 'queues.yaml'), QUEUES_YAML);
    await client.post('/api/v1/namespaces', { metadata: { name: 'burst' } });
    const bin = new URL('../../bin/drover', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'scheduler', '--kubeconfig', join(dir, 'kubeconfig'), '--config', join(dir, 'queues.yaml'), '--health-port', '0', '--rest-port', '0', '--qps', String(QPS), '--burst', String(QPS)], { stdio: ['ignore', 'ignore', 'pipe'] });
    scheduler = child;
    // Ready once it logs that it schedules (its informers have listed the 1,000 nodes).
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stderr });
      lines.on('line', (line) => {
        if (line.includes('"msg":"scheduling"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`drover scheduler exited (${String(code)})`)));
    });
    const watch = watchBindings(target, 'burst', PODS);
    const start = performance.now();
    const createSeconds = await inParallel(PODS, CONCURRENCY, (i) => client.post('/api/v1/namespaces/burst/pods', pod(i, 'drover')));
    const end = await watch.done;
    watch.close();
    const seconds = (end - start) / 1000;
    const podsPerSecond = Math.round(PODS / seconds);
    return {
      bench: 'shim.e2e',
      nodes: NODES,
      pods: PODS,
      createSeconds: Math.round(createSeconds * 100) / 100,
      seconds: Math.round(seconds * 100) / 100,
      qps: QPS,
      podsPerSecond,
      ceilingBindingsPerSecond: ceiling.bindingsPerSecond,
      ratio: Math.round((podsPerSecond / ceiling.bindingsPerSecond) * 100) / 100,
      ceilingPipelinePodsPerSecond: ceiling.pipelinePodsPerSecond,
      pipelineRatio: Math.round((podsPerSecond / ceiling.pipelinePodsPerSecond) * 100) / 100,
    };
  } finally {
    scheduler?.kill('SIGKILL');
    client.close();
    target.child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

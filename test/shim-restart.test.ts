/**
 * `bin/drover scheduler` killed with SIGKILL in the middle of a burst and started again, against the
 * embedded API server in this process (dist/ must be fresh: `npm test` builds it first).
 *
 * The burst is sized so that both limits bite exactly: six nodes of 4 cores (24,000m) and 270 pods of
 * 100m, 90 per queue, where root.a may hold 6 cores (60 pods) and root.b and root.c are unlimited.
 * What fits is 60 + 90 + 90 = 240 pods = 24,000m: every core of every node, and root.a to its max.
 * So what the restarted scheduler believes is used shows in what it does: if it missed a pod bound
 * before the kill, it would put a 241st pod on a full node or a 61st into root.a; if it counted one
 * twice, a pod that fits would stay pending. Deleting some of root.a's pods it recovered must let
 * exactly as many waiting pods of root.a in, which shows that recovered allocations are released
 * from the same books. Finally a fresh scheduler (the library) started on what the API server holds reports the
 * queue usage directly.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mustLoad } from '../core/config/test-helpers.js';
import { asNodeId, NO_LOGGER } from '../core/port.js';
import { startShim } from '../shim/shim.js';
import type { RunningShim } from '../shim/shim.js';
import { createPods, holding, needlessSecondBindings, podsOf, startCluster, usageBy, usageOf, waitFor } from './cluster-helpers.js';
import type { PodShape, PodView, TestCluster } from './cluster-helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'drover');
const QUEUES_YAML = `partitions:
  - name: default
    placementrules: [{name: provided}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: a, resources: {max: {vcore: 6}}}
          - {name: b}
          - {name: c}
`;
const NODES = [1, 2, 3, 4, 5, 6].map((i) => ({ name: `node-${i}`, cpu: '4', memory: '16Gi' }));
const NODE_MILLI = 4_000;
const QUEUES = ['root.a', 'root.b', 'root.c'] as const;
const A_MAX = 60;
const FITS = 240;
/** The kill comes when this many bindings are stored: a third of what fits. */
const KILL_AT = 80;

const PODS: PodShape[] = Array.from({ length: 270 }, (_, i) => ({ name: `r-${i}`, queue: QUEUES[i % 3] ?? 'root.a', app: `r-app-${i % 9}`, milliCpu: 100, memoryMi: 64 }));

interface Scheduler {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** What it wrote on stderr (its log), for the failure message. */
  log(): string;
}

function startScheduler(kubeconfigPath: string, queuesPath: string): Scheduler {
  const child = spawn(process.execPath, [BIN, 'scheduler', '--kubeconfig', kubeconfigPath, '--config', queuesPath, '--health-port', '0', '--rest-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => lines.push(s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, log: () => lines.join('').slice(-3_000) };
}

let cluster: TestCluster | null = null;
const children: Scheduler[] = [];
let library: RunningShim | null = null;
let dir: string | null = null;

afterEach(async () => {
  for (const s of children.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  await library?.stop();
  library = null;
  await cluster?.close();
  cluster = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const boundMap = (pods: readonly PodView[]) => new Map(pods.filter((p) => p.node !== '').map((p) => [p.name, p.node]));
const perQueue = (pods: readonly PodView[]) => QUEUES.map((q) => pods.filter((p) => holding(p) && p.queue === q).length);
const overcommitted = (pods: readonly PodView[]) => [...usageBy(pods, (p) => p.node)].filter(([, u]) => u.vcore > NODE_MILLI).map(([node, u]) => `${node}: ${u.vcore}m`);

/**
 * The scenario: a scheduler killed mid-burst, a second one started; with `refuseFirstNodeList`, the
 * API server answers the second one's first list of nodes with a 500 (it retries), as a busy server may.
 */
async function killAndRestart(o: { readonly refuseFirstNodeList: boolean }): Promise<void> {
  const c = await startCluster({ nodes: NODES, seed: 3 });
  cluster = c;
  dir = mkdtempSync(join(tmpdir(), 'drover-restart-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const queuesPath = join(dir, 'queues.yaml');
  writeFileSync(kubeconfigPath, c.kubeconfigText);
  writeFileSync(queuesPath, QUEUES_YAML);

  // The first scheduler dies the moment the KILL_AT-th binding is stored (bindings already sent still land).
  const first = startScheduler(kubeconfigPath, queuesPath);
  children.push(first);
  const stored = new Set<string>();
  const tripwire = c.api.store.watch('/pods', { namespace: null }, (e) => {
    const name = e.object.metadata?.name ?? '';
    if (typeof e.object.spec?.nodeName !== 'string' || stored.has(name)) return;
    stored.add(name);
    if (stored.size === KILL_AT) first.child.kill('SIGKILL');
  });
  if (!tripwire.ok) throw new Error(tripwire.error.message);
  await createPods(c.api, PODS);
  await waitFor(() => first.child.signalCode !== null || first.child.exitCode !== null, 15_000, () => `the first scheduler bound ${stored.size} pods and is still running:\n${first.log()}`);
  expect(first.child.signalCode).toBe('SIGKILL');
  await first.exited;
  tripwire.value();
  const beforeRestart = boundMap(podsOf(c.api));
  // Mid-burst: some bound, not all of what fits.
  expect(beforeRestart.size).toBeGreaterThanOrEqual(KILL_AT);
  expect(beforeRestart.size).toBeLessThan(FITS);

  if (o.refuseFirstNodeList) c.refuseNext({ method: 'GET', path: /^\/api\/v1\/nodes$/, watch: false, code: 500 });
  const second = startScheduler(kubeconfigPath, queuesPath);
  children.push(second);
  // Done when everything that fits is bound and the rest of root.a waits, told why by the scheduler.
  const quotaWaiters = (pods: readonly PodView[]) => pods.filter((p) => p.node === '' && p.scheduledReason === 'QueueQuotaExceeded');
  await waitFor(
    () => {
      const pods = podsOf(c.api);
      // Fail at once rather than at the timeout when a limit is broken.
      expect(overcommitted(pods)).toEqual([]);
      expect(perQueue(pods)[0]).toBeLessThanOrEqual(A_MAX);
      return pods.filter(holding).length === FITS && quotaWaiters(pods).length === PODS.length - FITS;
    },
    20_000,
    () => {
      const pods = podsOf(c.api);
      return `bound ${pods.filter(holding).length} of ${FITS}, per queue ${perQueue(pods).join('/')}, waiting for quota ${quotaWaiters(pods).length}, overcommitted [${overcommitted(pods).join(', ')}]\n${second.log()}`;
    },
  );
  let pods = podsOf(c.api);
  // No pod moved, none was bound twice, and the restarted scheduler never sent a needless binding.
  for (const [name, node] of beforeRestart) expect(pods.find((p) => p.name === name)?.node, name).toBe(node);
  expect(PODS.filter((p) => (c.bound.get(`default/${p.name}`) ?? 0) > 1).map((p) => p.name)).toEqual([]);
  expect(needlessSecondBindings(c.bindings)).toEqual([]);
  expect(c.bindings.filter((b) => b.status === 409)).toEqual([]);
  // Every core used, none twice; root.a at its max; the pods left waiting are root.a's.
  expect(overcommitted(pods)).toEqual([]);
  expect([...usageBy(pods, (p) => p.node).values()].map((u) => u.vcore)).toEqual(NODES.map(() => NODE_MILLI));
  expect(perQueue(pods)).toEqual([A_MAX, 90, 90]);
  expect(new Set(pods.filter((p) => p.node === '').map((p) => p.queue))).toEqual(new Set(['root.a']));

  // Up to ten of root.a's pods that were bound before the kill go: as many waiting ones take their
  // place. (root.a gets its pods later than the others, its max makes its share grow fastest; a few
  // of its pods are bound by the time of the kill, not a fixed number.)
  const recoveredA = [...beforeRestart.keys()].filter((name) => pods.find((p) => p.name === name)?.queue === 'root.a').slice(0, 10);
  expect(recoveredA.length).toBeGreaterThanOrEqual(3);
  for (const name of recoveredA) {
    const r = c.api.request({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${name}`, query: {} });
    expect(r.kind === 'json' && r.status).toBe(200);
  }
  await waitFor(
    () => {
      const now = podsOf(c.api);
      expect(overcommitted(now)).toEqual([]);
      expect(perQueue(now)[0]).toBeLessThanOrEqual(A_MAX);
      return now.filter(holding).length === FITS && now.filter((p) => p.node === '').length === PODS.length - FITS - recoveredA.length;
    },
    10_000,
    () => `after deleting ${recoveredA.length} recovered pods of root.a: per queue ${perQueue(podsOf(c.api)).join('/')}\n${second.log()}`,
  );
  pods = podsOf(c.api);
  expect(perQueue(pods)).toEqual([A_MAX, 90, 90]);
  expect(overcommitted(pods)).toEqual([]);
  expect(needlessSecondBindings(c.bindings)).toEqual([]);

  // A scheduler stopped cleanly hands over too; a fresh one reads the queue usage from what is bound.
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  const fresh = await startShim({ kubeConfig: c.kubeConfig, config: mustLoad(QUEUES_YAML), logger: NO_LOGGER });
  library = fresh;
  const books = () => {
    const partition = fresh.scheduler.partition('default');
    const now = podsOf(c.api);
    const byQueue = usageBy(now, (p) => p.queue);
    const byNode = usageBy(now, (p) => p.node);
    return {
      queues: QUEUES.map((q) => ({ queue: q, core: usageOf(partition?.tree.get(q)?.allocated), bound: byQueue.get(q) })),
      nodes: NODES.map((n) => ({ node: n.name, core: usageOf(partition?.nodes.byId.get(asNodeId(n.name))?.allocated), bound: byNode.get(n.name) })),
    };
  };
  const equal = () => {
    const b = books();
    return [...b.queues, ...b.nodes].every((x) => JSON.stringify(x.core) === JSON.stringify(x.bound));
  };
  await waitFor(equal, 10_000, () => JSON.stringify(books()));
  // root.a: 60 x 100m and 60 x 64Mi, as bound.
  expect(books().queues[0]?.core).toEqual({ vcore: 6_000, memory: 60 * 64 * 1024 * 1024, pods: 60 });
}

describe('drover scheduler killed mid-burst and started again', () => {
  it('binds every pod that fits exactly once, none lost, and its books equal what is bound', async () => {
    await killAndRestart({ refuseFirstNodeList: false });
  });

  // The bound pods a restarted scheduler lists before it knows their nodes (its first node list
  // failed) are booked all the same, so it neither overfills root.a nor overcommits a node.
  it('keeps its books when its first list of nodes fails', async () => {
    await killAndRestart({ refuseFirstNodeList: true });
  });
});

/**
 * Two `bin/drover scheduler --leader-elect` replicas against the embedded API server in this process
 * (dist/ must be fresh: `npm test` builds it first), with a short lease. Only the leader binds; when
 * it is killed with SIGKILL (no release), the other takes over within the lease duration and binds
 * what comes next. No pod is ever bound twice.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPods, podsOf, startCluster, waitFor } from './cluster-helpers.js';
import type { PodShape, TestCluster } from './cluster-helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'drover');
const QUEUES_YAML = 'partitions:\n  - name: default\n    placementrules: [{name: provided}]\n    queues: [{name: root, submitacl: "*", queues: [{name: a}]}]\n';
const LEASE = ['--leader-elect', '--lease-namespace', 'default', '--lease-duration', '1s', '--renew-deadline', '700ms', '--retry-period', '200ms'];

interface Replica {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  log(): string;
}

let cluster: TestCluster | null = null;
let dir: string | null = null;
const replicas: Replica[] = [];

afterEach(async () => {
  for (const r of replicas.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await r.exited;
  }
  await cluster?.close();
  cluster = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function startReplica(name: string, kubeconfigPath: string, queuesPath: string): Replica {
  const child = spawn(process.execPath, [BIN, 'scheduler', '--kubeconfig', kubeconfigPath, '--config', queuesPath, '--health-port', '0', '--rest-port', '0', ...LEASE], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, POD_NAME: name },
  });
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => lines.push(s));
  const replica = { name, child, exited: new Promise((resolve) => child.once('exit', resolve)), log: () => lines.join('').slice(-2_000) };
  replicas.push(replica);
  return replica;
}

const pods = (prefix: string, n: number): PodShape[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i}`, queue: 'root.a', app: `${prefix}-app`, milliCpu: 100, memoryMi: 64 }));

describe('two scheduler replicas with leader election', () => {
  it('only the leader binds, and the other takes over when the leader is killed', async () => {
    const c = await startCluster({ nodes: [{ name: 'node-1', cpu: '8', memory: '32Gi' }] });
    cluster = c;
    dir = mkdtempSync(join(tmpdir(), 'drover-failover-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    const queuesPath = join(dir, 'queues.yaml');
    writeFileSync(kubeconfigPath, c.kubeconfigText);
    writeFileSync(queuesPath, QUEUES_YAML);
    const a = startReplica('replica-a', kubeconfigPath, queuesPath);
    const b = startReplica('replica-b', kubeconfigPath, queuesPath);
    const holder = (): string => {
      const lease = c.api.store.get('coordination.k8s.io/leases', 'default', 'drover-scheduler');
      const spec = lease.ok ? (lease.value.spec as { holderIdentity?: string } | undefined) : undefined;
      return spec?.holderIdentity ?? '';
    };
    await waitFor(() => holder() !== '', 10_000, () => `nobody took the lease\n${a.log()}\n${b.log()}`);
    const leader = holder().startsWith('replica-a') ? a : b;
    const follower = leader === a ? b : a;

    await createPods(c.api, pods('before', 20));
    await waitFor(() => podsOf(c.api).every((p) => p.node !== ''), 10_000, () => `not all bound before the kill\n${leader.log()}`);
    // The follower stays quiet: every binding so far succeeded at once (two binders would collide).
    expect(c.bindings.every((b) => b.status > 0 && b.status < 300 && !b.alreadyBound)).toBe(true);

    leader.child.kill('SIGKILL');
    await leader.exited;
    const killedAt = Date.now();
    await createPods(c.api, pods('after', 20));
    await waitFor(() => podsOf(c.api).every((p) => p.node !== ''), 20_000, () => `not all bound after the kill\n${follower.log()}`);
    expect(holder().startsWith(follower.name)).toBe(true);
    // Taken over within the lease duration, plus a retry period and the cycle (with room for a busy machine).
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    // Each pod was bound once: one stored binding each, and no binding was refused.
    expect([...c.bound.values()].every((n) => n === 1)).toBe(true);
    expect(c.bound.size).toBe(40);
    expect(c.bindings.filter((b) => b.alreadyBound || b.status === 409)).toEqual([]);
  });
});

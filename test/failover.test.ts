/**
 * Leader election against the embedded API server over HTTPS, with real time scaled down (a 1 s
 * lease): replicas race through the real Lease API, hand over on release and on a crash, and step
 * down when the API server fails. A monitor counts leaders through the callbacks and isLeader() all
 * along: never more than one.
 */
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { NO_FAULTS } from '../apiserver/faults.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { NO_LOGGER } from '../core/port.js';
import { startLeaderElection } from '../shim/leader.js';
import type { LeaderElector } from '../shim/leader.js';
import { generateCertificates } from '../tls/certificates.js';
import { seededRandom as seeded } from '../core/random.js';

const TIMING = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100 } as const;

let api: RunningApiServer;
let kc: KubeConfig;

beforeAll(async () => {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  api = await startApiServer({ certificate, token: 't' });
  kc = new KubeConfig();
  kc.loadFromString(kubeconfig({ server: api.url, caPem: certificate.caPem ?? '', token: 't' }));
});

afterAll(async () => {
  await api.close();
});


let fleet: Fleet | null = null;

afterEach(async () => {
  api.faults.plan = NO_FAULTS;
  await fleet?.stop();
  fleet = null;
});

/** Replicas competing for one Lease, watched by a monitor. */
class Fleet {
  readonly replicas: LeaderElector[] = [];
  /** Leaders by the callbacks: started minus stopped. */
  private leading = 0;
  mostLeading = 0;
  mostLeaderFlags = 0;
  private readonly sampler = setInterval(() => this.sample(), 5);

  constructor(
    readonly name: string,
    n: number,
  ) {
    for (let i = 0; i < n; i++) this.add(`replica-${String(i)}`);
  }

  add(identity: string): LeaderElector {
    const elector = startLeaderElection({
      kubeConfig: kc,
      namespace: 'default',
      name: this.name,
      identity,
      ...TIMING,
      logger: NO_LOGGER,
      onStartedLeading: () => void (this.mostLeading = Math.max(this.mostLeading, ++this.leading)),
      onStoppedLeading: () => void this.leading--,
    });
    this.replicas.push(elector);
    return elector;
  }

  private sample(): void {
    this.mostLeaderFlags = Math.max(this.mostLeaderFlags, this.leaders().length);
  }

  leaders(): LeaderElector[] {
    return this.replicas.filter((r) => r.isLeader());
  }

  /** Waits for exactly one leader and returns it. */
  async leader(): Promise<LeaderElector> {
    await this.until(1);
    const [leader] = this.leaders();
    if (leader === undefined) throw new Error('the leader has just gone');
    return leader;
  }

  /** Wait, sampling every 5 ms, until exactly `n` replicas lead; the time it took, in ms. */
  async until(n: number, timeoutMs = 5_000): Promise<number> {
    const start = Date.now();
    while (this.leaders().length !== n) {
      if (Date.now() - start > timeoutMs) throw new Error(`${String(n)} leaders expected, ${String(this.leaders().length)} after ${String(timeoutMs)} ms`);
      this.sample();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Date.now() - start;
  }

  async holder(): Promise<string | undefined> {
    const lease = await kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: this.name, namespace: 'default' });
    return lease.spec?.holderIdentity;
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    await Promise.all(this.replicas.map((r) => r.stop()));
  }
}

describe('leader election against the API server', () => {
  it('three replicas: exactly one leads, and the Lease names it in MicroTime', async () => {
    const f = (fleet = new Fleet('one-of-three', 3));
    const leader = await f.leader();
    expect(await f.holder()).toBe(leader.identity);
    // What the server holds, as written on the wire: MicroTime has six fractional digits.
    const stored = () => {
      const got = api.api.store.get('coordination.k8s.io/leases', 'default', 'one-of-three');
      return got.ok ? got.value : null;
    };
    expect(JSON.stringify(stored()?.spec)).toMatch(/"renewTime":"[^"]+\.\d{6}Z"/);
    // Let it renew a few times (each renewal is a new resourceVersion) and check that nothing moved.
    const version = (): number => Number(stored()?.metadata?.resourceVersion);
    const from = version();
    while (version() < from + 5) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.leaders()).toEqual([leader]);
    expect(f.mostLeading).toBe(1);
    expect(f.mostLeaderFlags).toBe(1);
  });

  it('a leader that releases the Lease is replaced at the next retry, well within the lease duration', async () => {
    const f = (fleet = new Fleet('release', 2));
    const leader = await f.leader();
    const started = Date.now();
    await leader.stop();
    expect(await f.leader()).not.toBe(leader);
    // Sooner than a crashed leader can be replaced (the next test).
    expect(Date.now() - started).toBeLessThan(TIMING.leaseDurationMs - TIMING.retryPeriodMs);
    expect(f.mostLeading).toBe(1);
  });

  it('a leader that dies without releasing is replaced after the lease duration', async () => {
    const f = (fleet = new Fleet('crash', 2));
    const leader = await f.leader();
    const killed = Date.now();
    await leader.stop({ release: false });
    expect(await f.leader()).not.toBe(leader);
    const took = Date.now() - killed;
    // The last renewal was at most one retry period before the kill, and the other replica counts
    // the lease from when it saw that renewal; it takes over at its first retry after that.
    expect(took).toBeGreaterThanOrEqual(TIMING.leaseDurationMs - TIMING.retryPeriodMs);
    expect(took).toBeLessThan(2 * TIMING.leaseDurationMs);
    expect(await f.holder()).toBe((await f.leader()).identity);
  });

  it('replicas racing through conflicts never give two leaders, hand-over after hand-over', async () => {
    api.faults.random = seeded(7);
    api.faults.plan = { ...NO_FAULTS, conflict: 0.3 };
    const f = (fleet = new Fleet('race', 4));
    for (let round = 0; round < 3; round++) {
      const leader = await f.leader();
      // Alternate a clean hand-over and a crash.
      await leader.stop({ release: round % 2 === 0 });
      f.replicas.splice(f.replicas.indexOf(leader), 1);
    }
    await f.until(1);
    expect(f.mostLeading).toBe(1);
    expect(f.mostLeaderFlags).toBe(1);
  });

  it('a leader that cannot renew (500s) steps down within the renew deadline; one leads again once the server recovers', async () => {
    const f = (fleet = new Fleet('faults', 2));
    await f.until(1);
    const failing = Date.now();
    api.faults.plan = { ...NO_FAULTS, internalError: 1 };
    await f.until(0);
    // Its last good renewal was sent at most one retry period before the faults, so it stops by
    // renewDeadline + retryPeriod: before any other replica could take the lease.
    expect(Date.now() - failing).toBeLessThan(TIMING.leaseDurationMs);
    expect(f.mostLeading).toBe(1);
    api.faults.plan = NO_FAULTS;
    await f.until(1);
    expect(f.mostLeading).toBe(1);
  });
});

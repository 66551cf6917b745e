/**
 * Leader election with a fake clock and an in-memory Lease that behaves as the API server's does
 * (resourceVersion preconditions, 409 on a stale write or a second create), so every timing rule is
 * checked to the millisecond without waiting. test/failover.test.ts runs it against the embedded API
 * server.
 */
import type { V1Lease } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { NO_LOGGER } from '../core/port.js';
import { startElector } from './leader.js';
import type { ElectorOptions, LeaderElector, LeaseClient, LeaseResult, Timers } from './leader.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock and timers that move only when told. `advance` runs due timers in time order; timers due at
 * the same instant all run before promises settle, so replicas polling together really race.
 */
class FakeTime implements Timers {
  t = 1_000_000;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  readonly clock = { now: (): number => this.t };
  after = (ms: number, fn: () => void): (() => void) => {
    const timer = { at: this.t + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((x) => x !== timer));
  };
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const first = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (first === undefined) break;
      const due = this.timers.filter((x) => x.at === first.at).sort((a, b) => a.seq - b.seq);
      this.timers = this.timers.filter((x) => !due.includes(x));
      this.t = first.at;
      for (const timer of due) timer.fn();
    }
    this.t = end;
    await flush();
  }
}

/** One Lease as the API server keeps it: copies over the wire, a resourceVersion per write. */
class FakeLeases {
  lease: V1Lease | null = null;
  private rv = 0;
  conflicts = 0;
  /** Answer every call with this status instead. */
  failWith: number | null = null;
  /** Hold answers until released (a hung connection). */
  hold = false;
  readonly held: (() => void)[] = [];
  /** Answer this much later (fake time). */
  latencyMs = 0;

  constructor(private readonly time: FakeTime) {}

  put(spec: V1Lease['spec']): void {
    this.lease = { metadata: { name: 'drover-scheduler', namespace: 'drover', resourceVersion: String(++this.rv) }, ...(spec === undefined ? {} : { spec }) };
  }

  get spec(): NonNullable<V1Lease['spec']> {
    return this.lease?.spec ?? {};
  }

  private answer(compute: () => LeaseResult): Promise<LeaseResult> {
    const result = this.failWith === null ? compute() : { ok: false as const, code: this.failWith, message: 'injected' };
    const wire = result.ok ? { ok: true as const, lease: JSON.parse(JSON.stringify(result.lease)) as V1Lease } : result;
    if (this.hold) return new Promise((resolve) => this.held.push(() => resolve(wire)));
    if (this.latencyMs > 0) return new Promise((resolve) => this.time.after(this.latencyMs, () => resolve(wire)));
    return Promise.resolve(wire);
  }

  client(): LeaseClient {
    const stored = (lease: V1Lease): LeaseResult => {
      this.lease = { ...JSON.parse(JSON.stringify(lease)) as V1Lease, metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } };
      return { ok: true, lease: this.lease };
    };
    return {
      namespace: 'drover',
      name: 'drover-scheduler',
      get: () => this.answer(() => (this.lease === null ? { ok: false, code: 404, message: 'not found' } : { ok: true, lease: this.lease })),
      create: (lease) => this.answer(() => (this.lease === null ? stored(lease) : { ok: false, code: 409, message: 'already exists' })),
      replace: (lease) =>
        this.answer(() => {
          if (this.lease === null) return { ok: false, code: 404, message: 'not found' };
          if (lease.metadata?.resourceVersion !== this.lease.metadata?.resourceVersion) {
            this.conflicts++;
            return { ok: false, code: 409, message: 'conflict' };
          }
          return stored(lease);
        }),
    };
  }
}

interface Replica {
  readonly elector: LeaderElector;
  readonly log: string[];
}

function setup() {
  const time = new FakeTime();
  const leases = new FakeLeases(time);
  let leading = 0;
  let mostLeading = 0;
  const start = (identity: string, options: Partial<ElectorOptions> = {}): Replica => {
    const log: string[] = [];
    const elector = startElector({
      leases: leases.client(),
      identity,
      clock: time.clock,
      timers: time,
      random: () => 0,
      logger: NO_LOGGER,
      onStartedLeading: () => {
        log.push('started');
        mostLeading = Math.max(mostLeading, ++leading);
      },
      onStoppedLeading: () => {
        log.push('stopped');
        leading--;
      },
      ...options,
    });
    return { elector, log };
  };
  return { time, leases, start, mostLeading: () => mostLeading };
}

// Defaults throughout: lease 15 s, renew deadline 10 s, retry 2 s (no jitter: random() = 0).
describe('leader election', () => {
  it('creates the Lease when there is none and leads', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    await time.advance(0);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.log).toEqual(['started']);
    expect(leases.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    // MicroTime on the wire: six fractional digits, as the API server requires.
    expect(leases.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('renews every retry period and keeps its acquireTime', async () => {
    const { time, leases, start } = setup();
    start('a');
    await time.advance(0);
    const acquired = leases.spec.acquireTime;
    await time.advance(2_000);
    expect(leases.spec.acquireTime).toEqual(acquired);
    expect(Date.parse(String(leases.spec.renewTime)) - Date.parse(String(acquired))).toBe(2_000);
  });

  it('two replicas: exactly one leads while the lease is renewed', async () => {
    const { time, start, mostLeading } = setup();
    const a = start('a');
    const b = start('b');
    await time.advance(60_000);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    expect(b.log).toEqual([]);
    expect(mostLeading()).toBe(1);
  });

  it('replicas racing for an expired Lease: one write wins, the others get 409', async () => {
    const { time, leases, start, mostLeading } = setup();
    leases.put({ holderIdentity: 'gone', leaseDurationSeconds: 15, leaseTransitions: 4 });
    const replicas = ['a', 'b', 'c'].map((id) => start(id));
    await time.advance(14_999);
    expect(replicas.map((r) => r.elector.isLeader())).toEqual([false, false, false]);
    // All three poll at 16 000 (every 2 s from 0), all read the same version, all write it back.
    await time.advance(1_001);
    expect(replicas.filter((r) => r.elector.isLeader())).toHaveLength(1);
    expect(leases.conflicts).toBe(2);
    expect(leases.spec.leaseTransitions).toBe(5);
    expect(mostLeading()).toBe(1);
  });

  it('a released Lease is taken at the next retry, with one more transition', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    const b = start('b');
    await time.advance(1_000);
    await a.elector.stop();
    expect(leases.spec.holderIdentity).toBe('');
    expect(a.log).toEqual(['started', 'stopped']);
    await time.advance(1_000); // b's retry at 2 000
    expect(b.elector.isLeader()).toBe(true);
    expect(leases.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it("a crashed leader's Lease is taken a lease duration after it last changed", async () => {
    const { time, leases, start, mostLeading } = setup();
    const a = start('a');
    await time.advance(1);
    const b = start('b'); // b polls at 1, 2 001, 4 001, ...
    await time.advance(10_000); // a renewed at 10 000, b saw that at 10 001
    await a.elector.stop({ release: false });
    expect(leases.spec.holderIdentity).toBe('a');
    await time.advance(15_999); // 26 000: b's retry at 24 001 was before 10 001 + 15 000
    expect(b.elector.isLeader()).toBe(false);
    await time.advance(1); // 26 001: b's first retry after 25 001
    expect(b.elector.isLeader()).toBe(true);
    expect(leases.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(mostLeading()).toBe(1);
  });

  it('a leader that cannot renew stops leading at the renew deadline, and leads again when it can', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    await time.advance(0); // acquired at t0
    leases.failWith = 500;
    await time.advance(9_999);
    expect(a.elector.isLeader()).toBe(true);
    await time.advance(1); // t0 + renewDeadline
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
    leases.failWith = null;
    await time.advance(2_000);
    expect(a.log).toEqual(['started', 'stopped', 'started']);
    expect(leases.spec.leaseTransitions).toBe(0); // it still held the record: not a transition
  });

  it('the renew deadline runs from when the renewal was sent, not from when it was answered', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    await time.advance(0); // acquired at t0
    leases.latencyMs = 3_000;
    // The try sent at 2 000 reads at 5 000 and writes at 8 000: leading is proven until 12 000 only
    // (the next try, sent at 10 000, answers at 16 000).
    await time.advance(11_999);
    expect(a.elector.isLeader()).toBe(true);
    await time.advance(1);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
  });

  it('a leader whose requests hang stops leading at the renew deadline; an abandoned try writes nothing', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    await time.advance(0); // acquired at t0
    const renewed = leases.spec.renewTime;
    leases.hold = true;
    await time.advance(10_000); // the try sent at 2 000 still hangs
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
    await time.advance(2_000); // 12 000: that try is abandoned; the next one is due at 14 000
    leases.hold = false;
    for (const answer of leases.held.splice(0)) answer();
    await time.advance(0);
    expect(leases.spec.renewTime).toEqual(renewed);
    expect(a.elector.isLeader()).toBe(false);
    await time.advance(2_000);
    expect(a.log).toEqual(['started', 'stopped', 'started']);
  });

  it('a leader that finds another holder stops leading at once', async () => {
    const { time, leases, start } = setup();
    const a = start('a');
    await time.advance(0);
    leases.put({ ...leases.spec, holderIdentity: 'intruder' });
    await time.advance(2_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
  });

  it('stop() releases only after onStoppedLeading has finished', async () => {
    const { time, leases, start } = setup();
    let finish: () => void = () => undefined;
    const a = start('a', { onStoppedLeading: () => new Promise<void>((resolve) => (finish = resolve)) });
    await time.advance(0);
    const stopped = a.elector.stop();
    await flush();
    expect(a.elector.isLeader()).toBe(false);
    expect(leases.spec.holderIdentity).toBe('a');
    finish();
    await stopped;
    expect(leases.spec.holderIdentity).toBe('');
  });

  it('a replica that does not lead leaves the Lease alone when it stops', async () => {
    const { time, leases, start } = setup();
    start('a');
    const b = start('b');
    await time.advance(0);
    const version = leases.lease?.metadata?.resourceVersion;
    await b.elector.stop();
    expect(leases.lease?.metadata?.resourceVersion).toBe(version);
    expect(b.log).toEqual([]);
  });

  it.each([
    { name: 'lease not longer than the renew deadline', leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    { name: 'renew deadline within 1.2 retry periods', leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 },
    { name: 'no retry period', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 },
  ])('refuses timings that could allow two leaders: $name', ({ leaseDurationMs, renewDeadlineMs, retryPeriodMs }) => {
    const { start } = setup();
    expect(() => start('a', { leaseDurationMs, renewDeadlineMs, retryPeriodMs })).toThrow(/leader election/);
  });
});

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's `leaderelection` does it (the
 * JavaScript client has no such helper): replicas race to write their identity into one Lease with
 * the resourceVersion they read, so the API server's conflict check lets exactly one win; the holder
 * renews every retry period, the others take over once the record has not changed for the lease
 * duration, measured on their own clock from when they saw it change (so clock skew between replicas
 * does not matter). Only the leader may bind.
 *
 * Safety rests on two inequalities, checked at start:
 *   leaseDuration > renewDeadline > retryPeriod.
 * A leader stops leading (onStoppedLeading) once renewDeadline has passed since it *sent* its last
 * successful write; a rival acts only leaseDuration after it *saw* that write, which is later. So the
 * old leader has stopped before anyone else starts, even when the API server is unreachable.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiException, CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import type { Clock, Logger } from '../core/port.js';

/** Timers, injectable so tests drive time by hand. `after` returns a function that cancels. */
export interface Timers {
  after(ms: number, callback: () => void): () => void;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

export const SYSTEM_TIMERS: Timers = {
  after: (ms, callback) => {
    const t = setTimeout(callback, ms);
    return () => clearTimeout(t);
  },
};

/** The outcome of one Lease call: the object, or the HTTP status (0 when no answer came). */
export type LeaseResult = { readonly ok: true; readonly lease: V1Lease } | { readonly ok: false; readonly code: number; readonly message: string };

/** The three calls election needs on one named Lease. */
export interface LeaseClient {
  readonly namespace: string;
  readonly name: string;
  get(): Promise<LeaseResult>;
  create(lease: V1Lease): Promise<LeaseResult>;
  /** PUT with the lease's metadata.resourceVersion as precondition: 409 when it changed meanwhile. */
  replace(lease: V1Lease): Promise<LeaseResult>;
}

/** The Lease `namespace/name` through the coordination.k8s.io/v1 API. */
export function kubeLeaseClient(kubeConfig: KubeConfig, namespace: string, name: string): LeaseClient {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const call = async (request: () => Promise<V1Lease>): Promise<LeaseResult> => {
    try {
      return { ok: true, lease: await request() };
    } catch (err) {
      if (err instanceof ApiException) return { ok: false, code: err.code, message: statusMessage(err.body) ?? `HTTP ${String(err.code)}` };
      return { ok: false, code: 0, message: err instanceof Error ? err.message : String(err) };
    }
  };
  return {
    namespace,
    name,
    get: () => call(() => api.readNamespacedLease({ name, namespace })),
    create: (lease) => call(() => api.createNamespacedLease({ namespace, body: lease })),
    replace: (lease) => call(() => api.replaceNamespacedLease({ name, namespace, body: lease })),
  };
}

function statusMessage(body: unknown): string | null {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body === '' ? null : body;
    }
  }
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' ? body.message : null;
}

/** client-go's defaults (kube-scheduler's too). */
export const LEADER_ELECTION_DEFAULTS = { name: 'drover-scheduler', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

/** How much a candidate's retry period varies, so that replicas started together do not march in step. */
const JITTER = 0.2;

export interface ElectorOptions {
  readonly leases: LeaseClient;
  /** Default: {@link defaultIdentity}. */
  readonly identity?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** For the jitter of candidates' retries; default Math.random. */
  readonly random?: () => number;
  readonly logger: Logger;
  /** Called on every gain of the lease. */
  onStartedLeading(): void;
  /**
   * Called on every loss (renewDeadline passed, another holder seen, stop()). The leader must stop
   * binding before this returns; stop() releases the lease only after the returned promise settles.
   */
  onStoppedLeading(): void | Promise<void>;
}

export interface LeaderElectionOptions extends Omit<ElectorOptions, 'leases'> {
  readonly kubeConfig: KubeConfig;
  /** Where the Lease lives: the scheduler's own namespace (the chart's RBAC grants it there). */
  readonly namespace: string;
  /** Default `drover-scheduler`. */
  readonly name?: string;
}

export interface LeaderElector {
  readonly identity: string;
  /** True only while a write sent less than renewDeadline ago succeeded: check it before each bind. */
  isLeader(): boolean;
  /**
   * Stops competing. If leading: calls onStoppedLeading, waits for it, then (unless `release: false`)
   * clears holderIdentity so another replica takes over at its next retry instead of after the lease
   * duration. `release: false` is what a crash looks like to the others.
   */
  stop(options?: { readonly release?: boolean }): Promise<void>;
}

/** The pod's name (POD_NAME, else the host name, which is the pod's name in a cluster) and a random suffix. */
export function defaultIdentity(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.POD_NAME ?? hostname()}_${randomUUID()}`;
}

export function startLeaderElection(o: LeaderElectionOptions): LeaderElector {
  const { kubeConfig, namespace, name = LEADER_ELECTION_DEFAULTS.name, ...rest } = o;
  return startElector({ ...rest, leases: kubeLeaseClient(kubeConfig, namespace, name) });
}

/** What one try to acquire or renew found. */
type Attempt = { readonly kind: 'held' } | { readonly kind: 'heldByOther'; readonly holder: string } | { readonly kind: 'failed'; readonly code: number; readonly message: string };

export function startElector(o: ElectorOptions): LeaderElector {
  const leaseDurationMs = o.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs;
  const renewDeadlineMs = o.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs;
  const retryPeriodMs = o.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
  if (!(leaseDurationMs > renewDeadlineMs)) throw new Error(`leader election: the lease duration (${String(leaseDurationMs)} ms) must be longer than the renew deadline (${String(renewDeadlineMs)} ms)`);
  if (!(renewDeadlineMs > retryPeriodMs * (1 + JITTER))) throw new Error(`leader election: the renew deadline (${String(renewDeadlineMs)} ms) must be longer than ${String(1 + JITTER)} retry periods (${String(retryPeriodMs)} ms)`);
  if (!(retryPeriodMs > 0)) throw new Error('leader election: the retry period must be positive');
  const identity = o.identity ?? defaultIdentity();
  const clock = o.clock ?? SYSTEM_CLOCK;
  const timers = o.timers ?? SYSTEM_TIMERS;
  const random = o.random ?? Math.random;
  // What others read; whole seconds, rounded up so that it never promises less than we keep.
  const leaseSeconds = Math.max(1, Math.ceil(leaseDurationMs / 1000));
  const fields = { lease: `${o.leases.namespace}/${o.leases.name}`, identity };

  let state: 'candidate' | 'leader' | 'stopped' = 'candidate';
  /** When the last successful write was sent: leading is valid until renewedAt + renewDeadlineMs. */
  let renewedAt = Number.NEGATIVE_INFINITY;
  /** The record last seen and when it was first seen (our clock): a rival's lease runs from then. */
  let observed: { readonly resourceVersion: string; readonly at: number } | null = null;
  /** Whether we ever wrote the lease (only then is there anything to release). */
  let wrote = false;
  let inFlight: Promise<Attempt> | null = null;
  let cancelNext: () => void = () => undefined;
  let cancelDeadline: () => void = () => undefined;

  const observe = (lease: V1Lease): void => {
    const resourceVersion = lease.metadata?.resourceVersion ?? '';
    if (observed?.resourceVersion !== resourceVersion) observed = { resourceVersion, at: clock.now() };
  };

  /** client-go's tryAcquireOrRenew: read, decide, write with the resourceVersion read. */
  const tryAcquireOrRenew = async (sentAt: number, live: () => boolean): Promise<Attempt> => {
    const read = await o.leases.get();
    if (!read.ok && read.code !== 404) return { kind: 'failed', code: read.code, message: read.message };
    if (!live()) return { kind: 'failed', code: 0, message: 'timed out' };
    if (!read.ok) {
      const now = new V1MicroTime(sentAt);
      const lease: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: o.leases.name, namespace: o.leases.namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds: leaseSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      };
      return write(await o.leases.create(lease));
    }
    const lease = read.lease;
    observe(lease);
    const spec: V1LeaseSpec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const heldFor = (spec.leaseDurationSeconds ?? leaseSeconds) * 1000;
    if (holder !== '' && holder !== identity && observed !== null && clock.now() < observed.at + heldFor) return { kind: 'heldByOther', holder };
    const mine = holder === identity;
    const now = new V1MicroTime(sentAt);
    const next: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: leaseSeconds,
        renewTime: now,
        acquireTime: mine && spec.acquireTime !== undefined ? spec.acquireTime : now,
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    return write(await o.leases.replace(next));
  };

  const write = (r: LeaseResult): Attempt => {
    if (!r.ok) return { kind: 'failed', code: r.code, message: r.message };
    wrote = true;
    observe(r.lease);
    return { kind: 'held' };
  };

  /** Leaves the leader state first, so that nothing settling meanwhile can count as leading. */
  const stopLeading = (next: 'candidate' | 'stopped', reason: string, extra: Readonly<Record<string, unknown>>): Promise<void> => {
    state = next;
    cancelDeadline();
    if (next === 'stopped') o.logger.info({ ...fields, reason }, 'stopped leading');
    else o.logger.warn({ ...fields, ...extra, reason }, 'stopped leading');
    return Promise.resolve()
      .then(() => o.onStoppedLeading())
      .catch((err: unknown) => o.logger.warn({ ...fields, error: String(err) }, 'onStoppedLeading failed'));
  };

  const settle = (a: Attempt, sentAt: number): void => {
    if (state === 'stopped') return;
    switch (a.kind) {
      case 'held': {
        // A success that arrives after the deadline proves nothing about now: a rival may hold it.
        const left = sentAt + renewDeadlineMs - clock.now();
        if (left <= 0) return;
        renewedAt = sentAt;
        cancelDeadline();
        cancelDeadline = timers.after(left, () => {
          if (state === 'leader') void stopLeading('candidate', 'could not renew the lease within the renew deadline', { renewDeadlineMs });
        });
        if (state === 'candidate') {
          state = 'leader';
          o.logger.info(fields, 'started leading');
          try {
            o.onStartedLeading();
          } catch (err) {
            o.logger.warn({ ...fields, error: String(err) }, 'onStartedLeading failed');
          }
        }
        return;
      }
      case 'heldByOther':
        if (state === 'leader') void stopLeading('candidate', 'the lease has another holder', { holder: a.holder });
        else o.logger.debug({ ...fields, holder: a.holder }, 'the lease is held');
        return;
      case 'failed':
        o.logger.debug({ ...fields, code: a.code, error: a.message }, state === 'leader' ? 'could not renew the lease' : 'could not acquire the lease');
        return;
    }
  };

  const attempt = (): void => {
    if (state === 'stopped') return;
    const sentAt = clock.now();
    let timedOut = false;
    // A request that hangs must not stall the loop: after renewDeadline its answer no longer counts
    // (and a write it has not sent yet is not sent), and the next try starts.
    const raw = tryAcquireOrRenew(sentAt, () => !timedOut && state !== 'stopped').catch((err: unknown): Attempt => ({ kind: 'failed', code: 0, message: String(err) }));
    inFlight = raw;
    let cancelTimeout: () => void = () => undefined;
    const timeout = new Promise<Attempt>((resolve) => {
      cancelTimeout = timers.after(renewDeadlineMs, () => {
        timedOut = true;
        resolve({ kind: 'failed', code: 0, message: 'timed out' });
      });
    });
    void Promise.race([raw, timeout]).then((a) => {
      cancelTimeout();
      if (inFlight === raw) inFlight = null;
      settle(a, sentAt);
      if (state === 'stopped') return;
      const wait = state === 'leader' ? retryPeriodMs : retryPeriodMs * (1 + JITTER * random());
      cancelNext = timers.after(wait, attempt);
    });
  };

  /** client-go's release: an empty holder, so the next candidate need not wait out the lease. */
  const release = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      const read = await o.leases.get();
      if (!read.ok || (read.lease.spec?.holderIdentity ?? '') !== identity) return;
      const now = new V1MicroTime(clock.now());
      const spec = read.lease.spec ?? {};
      const r = await o.leases.replace({ ...read.lease, spec: { ...spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now } });
      if (r.ok) {
        o.logger.info(fields, 'released the lease');
        return;
      }
      if (r.code !== 409) {
        o.logger.warn({ ...fields, code: r.code, error: r.message }, 'could not release the lease');
        return;
      }
    }
  };

  const stop = async (shouldRelease: boolean): Promise<void> => {
    const leading = state === 'leader';
    state = 'stopped';
    cancelNext();
    if (leading) await stopLeading('stopped', 'stopping', {});
    if (!shouldRelease) return;
    // A write still on its way would put our name back after the release.
    if (inFlight !== null) {
      let cancel: () => void = () => undefined;
      await Promise.race([inFlight, new Promise<void>((resolve) => (cancel = timers.after(renewDeadlineMs, resolve)))]);
      cancel();
    }
    if (wrote) await release();
  };

  attempt();

  let stopped: Promise<void> | null = null;
  return {
    identity,
    isLeader: () => state === 'leader' && clock.now() < renewedAt + renewDeadlineMs,
    stop: ({ release: shouldRelease = true } = {}) => (stopped ??= stop(shouldRelease)),
  };
}

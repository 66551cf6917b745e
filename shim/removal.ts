/**
 * Pods drover takes away: placeholders it no longer wants (deleted, no grace period) and preemption
 * victims (evicted through the eviction subresource, so PodDisruptionBudgets are honoured). Every
 * call goes through the dispatcher, only while this replica leads, and is tried again with backoff
 * (1 s doubling to 30 s, on top of the dispatcher's own quick retries) until the pod is gone: a 429
 * from a PodDisruptionBudget can last minutes. A pod counts as gone when the watch no longer has it
 * (or the server answers 404), never when the call merely succeeded: only then is its room free.
 */
import type { V1Eviction } from '@kubernetes/client-node';
import type { AllocationKey, ReleaseRequest } from '../core/port.js';
import { retriable, statusOf } from './dispatcher.js';
import { NotLeading, podName } from './tracked.js';
import type { ShimWriter, Tracked } from './tracked.js';

export interface RemovalDeps extends ShimWriter {
  readonly setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
  /** A pod the server refuses for good to delete or evict: the core books it as an ordinary pod again. */
  readonly refused?: (key: AllocationKey) => void;
}

export interface Removal {
  /** Delete the pod (grace period 0); resolves once it is gone, rejects when this replica cannot finish it. */
  remove(key: AllocationKey): Promise<void>;
  /** Evict a preemption victim and tell it why (a `Preempted` event naming the preemptor). */
  preempt(request: ReleaseRequest): void;
  /** The watch saw the pod go (deleted or finished). */
  gone(key: AllocationKey): void;
  stop(): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

interface Waiting {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export function createRemoval(d: RemovalDeps): Removal {
  const setTimer = d.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref());
  const removing = new Map<AllocationKey, Waiting>();
  const evicting = new Set<AllocationKey>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (fn: () => void, attempt: number): void => {
    const t = setTimer(() => {
      timers.delete(t);
      fn();
    }, Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt));
    timers.add(t);
  };
  const settle = (key: AllocationKey, err?: unknown): void => {
    const w = removing.get(key);
    if (w === undefined) return;
    removing.delete(key);
    if (err === undefined) w.resolve();
    else w.reject(err);
  };
  const call = <T>(run: () => Promise<T>): Promise<T> => d.dispatcher.submit('bind', () => (d.leading() ? run() : Promise.reject(new NotLeading())));

  const deleteOnce = (key: AllocationKey, entry: Tracked, attempt: number): void => {
    if (stopped) return settle(key, new Error('the shim is stopping'));
    if (d.pods.get(key) !== entry) return settle(key);
    const name = entry.pod.metadata?.name ?? '';
    const namespace = entry.pod.metadata?.namespace ?? 'default';
    call(() => d.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }))
      .then(() => {
        // Gone already if the watch was quicker than the answer; otherwise the watch settles it.
        if (d.pods.get(key) !== entry) settle(key);
      })
      .catch((err: unknown) => {
        if (statusOf(err) === 404) return settle(key);
        if (err instanceof NotLeading || stopped || !retriable(err)) {
          d.logger.warn({ podName: podName(entry.pod), status: statusOf(err), error: String(err) }, 'could not delete a pod');
          if (!(err instanceof NotLeading) && !stopped) d.refused?.(key);
          return settle(key, err);
        }
        later(() => deleteOnce(key, entry, attempt + 1), attempt);
      });
  };

  const evictOnce = (request: ReleaseRequest, entry: Tracked, attempt: number): void => {
    const key = request.allocationKey;
    if (stopped || d.pods.get(key) !== entry || !d.leading()) {
      evicting.delete(key);
      return;
    }
    const name = entry.pod.metadata?.name ?? '';
    const namespace = entry.pod.metadata?.namespace ?? 'default';
    const body: V1Eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
    call(() => d.core.createNamespacedPodEviction({ name, namespace, body }))
      .then(() => {
        const preemptor = request.preemptor === undefined ? undefined : d.pods.get(request.preemptor);
        const by = preemptor === undefined ? 'the scheduler' : `pod ${podName(preemptor.pod)}`;
        d.logger.info({ podName: podName(entry.pod), preemptor: by, nodeId: entry.node }, 'preempted');
        // Normal, as kube-scheduler's own Preempted event.
        d.reporter.podEvent(entry.pod, 'Normal', 'Preempted', `Preempted by ${by}${entry.node === null ? '' : ` on node ${entry.node}`}: ${request.message}`);
      })
      .catch((err: unknown) => {
        const status = statusOf(err);
        if (status === 404 || err instanceof NotLeading || stopped) {
          evicting.delete(key);
          return;
        }
        // 429: a PodDisruptionBudget allows no disruption now; 5xx and lost connections may pass.
        if (retriable(err)) {
          d.logger.debug({ podName: podName(entry.pod), status, retryInMs: Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt) }, 'eviction refused for now; trying again');
          later(() => evictOnce(request, entry, attempt + 1), attempt);
          return;
        }
        evicting.delete(key);
        d.refused?.(key);
        d.logger.warn({ podName: podName(entry.pod), status, error: String(err) }, 'could not evict a preemption victim');
        d.reporter.podEvent(entry.pod, 'Warning', 'PreemptionFailed', `could not be evicted (${status ?? 'no answer'}): ${err instanceof Error ? err.message : String(err)}`);
      });
  };

  return {
    remove(key) {
      const entry = d.pods.get(key);
      if (entry === undefined) return Promise.resolve();
      const already = removing.get(key);
      if (already !== undefined) return already.promise;
      let resolve: () => void = () => undefined;
      let reject: (err: unknown) => void = () => undefined;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Whoever asked may not wait for the outcome (a placeholder released): never an unhandled rejection.
      promise.catch(() => undefined);
      removing.set(key, { promise, resolve, reject });
      deleteOnce(key, entry, 0);
      return promise;
    },
    preempt(request) {
      const entry = d.pods.get(request.allocationKey);
      if (entry === undefined || evicting.has(request.allocationKey)) return;
      evicting.add(request.allocationKey);
      evictOnce(request, entry, 0);
    },
    gone(key) {
      evicting.delete(key);
      settle(key);
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const key of [...removing.keys()]) settle(key, new Error('the shim is stopping'));
    },
  };
}

import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { asAllocationKey, asApplicationId, NO_LOGGER } from '../core/port.js';
import type { AllocationKey } from '../core/port.js';
import { Dispatcher } from './dispatcher.js';
import { createRemoval } from './removal.js';
import type { Reporter } from './reporter.js';
import { NotLeading } from './tracked.js';
import type { Tracked } from './tracked.js';

/** An API error as client-node throws it. */
const status = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });

/** A world for removal.ts: a scripted API (answers in order, then success), recorded events and timers run by hand. */
function world(answers: { delete?: (number | null)[]; evict?: (number | null)[] } = {}) {
  const calls: string[] = [];
  const events: { reason: string; type: string; message: string; pod: string }[] = [];
  const delays: number[] = [];
  const due: (() => void)[] = [];
  const answer = (list: (number | null)[] | undefined) => {
    const next = list?.shift();
    return next === undefined || next === null ? Promise.resolve({}) : Promise.reject(status(next));
  };
  const core = {
    deleteNamespacedPod: (p: { name: string; gracePeriodSeconds?: number }) => {
      calls.push(`delete ${p.name} grace=${String(p.gracePeriodSeconds)}`);
      return answer(answers.delete);
    },
    createNamespacedPodEviction: (p: { name: string; body: { kind?: string; apiVersion?: string } }) => {
      calls.push(`evict ${p.name} ${String(p.body.apiVersion)}/${String(p.body.kind)}`);
      return answer(answers.evict);
    },
  } as unknown as CoreV1Api;
  const reporter = { podEvent: (pod: V1Pod, type: string, reason: string, message: string) => void events.push({ reason, type, message, pod: pod.metadata?.name ?? '' }) } as unknown as Reporter;
  const pods = new Map<AllocationKey, Tracked>();
  const track = (name: string, node: string | null = 'node-1'): AllocationKey => {
    const key = asAllocationKey(`uid-${name}`);
    pods.set(key, { pod: { metadata: { name, namespace: 'ns', uid: `uid-${name}` } }, state: node === null ? 'pending' : 'bound', node, app: asApplicationId('app') });
    return key;
  };
  let leads = true;
  const dispatcher = new Dispatcher({ attempts: 1 });
  const removal = createRemoval({
    core,
    dispatcher,
    reporter,
    logger: NO_LOGGER,
    leading: () => leads,
    pods,
    setTimer: (fn, ms) => {
      delays.push(ms);
      due.push(fn);
      return setTimeout(() => undefined, 0);
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  /** Run the retries that are due, then let the calls settle. */
  const tick = async () => {
    for (const fn of due.splice(0)) fn();
    await settle();
  };
  return { removal, pods, track, calls, events, delays, tick, settle, lose: () => (leads = false) };
}

describe('removal: deleting pods', () => {
  it('deletes with no grace period, and is done only when the watch shows the pod gone', async () => {
    const w = world();
    const key = w.track('tg-a');
    let done = false;
    const removed = w.removal.remove(key).then(() => (done = true));
    await w.settle();
    expect(w.calls).toEqual(['delete tg-a grace=0']);
    expect(done).toBe(false);
    w.pods.delete(key);
    w.removal.gone(key);
    await removed;
    expect(done).toBe(true);
  });

  it('is done at once when the server no longer has the pod (404), and asks once for two callers', async () => {
    const w = world({ delete: [404] });
    const key = w.track('tg-a');
    await Promise.all([w.removal.remove(key), w.removal.remove(key)]);
    expect(w.calls).toEqual(['delete tg-a grace=0']);
  });

  it('tries again with backoff after failures that may pass: 1 s, then 2 s', async () => {
    const w = world({ delete: [500, 503] });
    const key = w.track('tg-a');
    const removed = w.removal.remove(key);
    await w.settle();
    await w.tick();
    await w.tick();
    expect(w.calls).toHaveLength(3);
    expect(w.delays).toEqual([1000, 2000]);
    w.pods.delete(key);
    w.removal.gone(key);
    await removed;
  });

  it('refuses to delete once the replica no longer leads, and gives up on a lasting refusal', async () => {
    const w = world({ delete: [403] });
    const a = w.track('tg-a');
    await expect(w.removal.remove(a)).rejects.toMatchObject({ code: 403 });
    w.lose();
    const b = w.track('tg-b');
    await expect(w.removal.remove(b)).rejects.toBeInstanceOf(NotLeading);
    expect(w.calls).toEqual(['delete tg-a grace=0']);
  });

  it('gives up what is unfinished when it stops', async () => {
    const w = world();
    const key = w.track('tg-a');
    const removed = w.removal.remove(key);
    await w.settle();
    w.removal.stop();
    await expect(removed).rejects.toThrow('stopping');
  });
});

describe('removal: preemption', () => {
  const request = (victim: AllocationKey, preemptor?: AllocationKey) => ({ allocationKey: victim, applicationId: asApplicationId('b'), kind: 'Preempted' as const, message: 'queue root.a is under its guarantee', ...(preemptor === undefined ? {} : { preemptor }) });

  it('evicts through the eviction subresource, retrying 429s (a disruption budget) with backoff, then says who preempted it', async () => {
    const w = world({ evict: [429, 429] });
    const victim = w.track('b-exec-1');
    const preemptor = w.track('a-pod', null);
    w.removal.preempt(request(victim, preemptor));
    w.removal.preempt(request(victim, preemptor));
    await w.settle();
    await w.tick();
    await w.tick();
    expect(w.calls).toEqual(['evict b-exec-1 policy/v1/Eviction', 'evict b-exec-1 policy/v1/Eviction', 'evict b-exec-1 policy/v1/Eviction']);
    expect(w.delays).toEqual([1000, 2000]);
    expect(w.events).toEqual([{ pod: 'b-exec-1', type: 'Normal', reason: 'Preempted', message: 'Preempted by pod ns/a-pod on node node-1: queue root.a is under its guarantee' }]);
  });

  it('stops trying once the victim is gone, and reports an eviction refused for good', async () => {
    const w = world({ evict: [429, 403] });
    const gone = w.track('b-exec-1');
    w.removal.preempt(request(gone));
    await w.settle();
    w.pods.delete(gone);
    w.removal.gone(gone);
    await w.tick();
    expect(w.calls).toEqual(['evict b-exec-1 policy/v1/Eviction']);
    const refused = w.track('b-exec-2');
    w.removal.preempt(request(refused));
    await w.settle();
    expect(w.events.map((e) => [e.pod, e.type, e.reason])).toEqual([['b-exec-2', 'Warning', 'PreemptionFailed']]);
  });
});

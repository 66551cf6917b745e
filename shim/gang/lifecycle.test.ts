import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { asAllocationKey, asApplicationId, NO_LOGGER } from '../../core/port.js';
import type { AllocationKey, ApplicationInfo } from '../../core/port.js';
import { Dispatcher } from '../dispatcher.js';
import type { Removal } from '../removal.js';
import type { Reporter } from '../reporter.js';
import type { Tracked } from '../tracked.js';
import { createGangs } from './lifecycle.js';

const TG = 'yunikorn.apache.org/task-groups';
const APP = asApplicationId('spark-pi');
const GROUPS = JSON.stringify([
  { name: 'spark-driver', minMember: 1, minResource: { cpu: '1' } },
  { name: 'spark-executor', minMember: 2, minResource: { cpu: '1' } },
]);
const info: ApplicationInfo = { applicationId: APP, user: { user: 'nobody', groups: [] }, tags: {} };

/** The lifecycle with its Kubernetes side recorded: pods created, pods removed, events. */
function world(leads = true) {
  const created: V1Pod[] = [];
  const removed: AllocationKey[] = [];
  const events: { pod: string; type: string; reason: string; message: string }[] = [];
  const pods = new Map<AllocationKey, Tracked>();
  const core = {
    createNamespacedPod: (p: { body: V1Pod }) => {
      created.push(p.body);
      return Promise.resolve(p.body);
    },
  } as unknown as CoreV1Api;
  const reporter = { podEvent: (pod: V1Pod, type: string, reason: string, message: string) => void events.push({ pod: pod.metadata?.name ?? '', type, reason, message }) } as unknown as Reporter;
  const removal: Removal = {
    remove: (key) => {
      removed.push(key);
      return Promise.resolve();
    },
    preempt: () => undefined,
    gone: () => undefined,
    stop: () => undefined,
  };
  const gangs = createGangs({ core, dispatcher: new Dispatcher(), reporter, removal, logger: NO_LOGGER, schedulerName: 'drover', leading: () => leads, pods, image: () => 'pause', queueOf: () => 'root.jobs' });
  const track = (pod: V1Pod, state: Tracked['state'] = 'pending'): AllocationKey => {
    const key = asAllocationKey(pod.metadata?.uid ?? '');
    pods.set(key, { pod, state, node: state === 'pending' ? null : 'node-1', app: APP });
    return key;
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { gangs, created, removed, events, pods, track, settle };
}

const driver = (annotations: Record<string, string> = { [TG]: GROUPS }): V1Pod => ({ metadata: { name: 'pi-driver', namespace: 'jobs', uid: 'uid-driver', annotations }, spec: { containers: [] } });
const placeholder = (name: string, owner = 'uid-driver'): V1Pod => ({
  metadata: { name, namespace: 'jobs', uid: `uid-${name}`, annotations: { 'yunikorn.apache.org/placeholder': 'true', [TG]: GROUPS }, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'pi-driver', uid: owner }] },
  spec: { containers: [] },
});

describe('gang lifecycle', () => {
  it('gives the application its gang and makes its first pod the originator', () => {
    const w = world();
    const app = w.gangs.newApplication(driver(), info, false);
    expect(app.gang?.taskGroups.map((g) => [g.name, g.minMember])).toEqual([['spark-driver', 1], ['spark-executor', 2]]);
    expect(w.gangs.isOriginator(driver(), APP)).toBe(true);
    expect(w.gangs.isOriginator(placeholder('tg-1'), APP)).toBe(false);
    expect(w.events).toEqual([]);
  });

  it('reports unreadable annotations on the pod, with their paths, and goes without a gang', () => {
    const w = world();
    const app = w.gangs.newApplication(driver({ [TG]: '[{"name": "g", "minMember": 0, "minResource": {}}]', 'yunikorn.apache.org/schedulingPolicyParameters': 'gangSchedulingStyle=Strict' }), info, false);
    expect(app.gang).toBeUndefined();
    expect(w.events.map((e) => [e.type, e.reason])).toEqual([['Warning', 'InvalidTaskGroups']]);
    expect(w.events[0]?.message).toContain(`metadata.annotations[${TG}][0].minMember`);
    expect(w.events[0]?.message).toContain('without gang scheduling');
  });

  it('takes the owner of a placeholder seen first as the originator', () => {
    const w = world();
    w.gangs.newApplication(placeholder('tg-1'), info, true);
    expect(w.gangs.isOriginator(driver(), APP)).toBe(true);
  });

  it('creates the placeholders once the application is accepted, only while leading, only once', async () => {
    const w = world(false);
    w.track(driver());
    w.gangs.newApplication(driver(), info, false);
    w.gangs.stateChanged(APP, 'Accepted');
    w.gangs.reconcile(false);
    await w.settle();
    expect(w.created).toEqual([]);
    const leading = world(true);
    leading.track(driver());
    leading.gangs.newApplication(driver(), info, false);
    leading.gangs.reconcile(true);
    await leading.settle();
    expect(leading.created).toEqual([]); // not accepted yet
    leading.gangs.stateChanged(APP, 'Accepted');
    leading.gangs.reconcile(true);
    await leading.settle();
    leading.gangs.reconcile(true);
    await leading.settle();
    expect(leading.created.map((p) => p.metadata?.annotations?.['yunikorn.apache.org/task-group-name'])).toEqual(['spark-driver', 'spark-executor', 'spark-executor']);
  });

  it('creates none for an application found running, or one that failed', async () => {
    const running = world();
    running.track(driver(), 'bound');
    running.gangs.newApplication(driver(), info, true);
    running.gangs.stateChanged(APP, 'Running');
    running.gangs.reconcile(true);
    const failed = world();
    failed.track(driver());
    failed.gangs.newApplication(driver(), info, false);
    failed.gangs.stateChanged(APP, 'Accepted');
    failed.gangs.stateChanged(APP, 'Failing');
    failed.gangs.reconcile(true);
    await running.settle();
    expect([...running.created, ...failed.created]).toEqual([]);
  });

  it('deletes released placeholders and tells the originator once how many and why', async () => {
    const w = world();
    w.track(driver());
    w.gangs.newApplication(driver(), info, false);
    const keys = ['tg-1', 'tg-2', 'tg-3'].map((n) => w.track(placeholder(n)));
    for (const key of keys) w.gangs.released({ allocationKey: key, applicationId: APP, kind: 'GangAbandoned', message: 'not placed within 60s' });
    await w.settle();
    expect(w.removed).toEqual(keys);
    expect(w.events).toEqual([{ pod: 'pi-driver', type: 'Warning', reason: 'GangAbandoned', message: '3 placeholder pods released: not placed within 60s' }]);
  });

  it('deletes the placeholders of an originator gone with nothing else left, and orphans when it starts leading', () => {
    const w = world();
    const d = w.track(driver());
    w.gangs.newApplication(driver(), info, false);
    const mine = w.track(placeholder('tg-1'));
    const orphan = w.track(placeholder('tg-lost', 'uid-gone'));
    w.gangs.reconcile(true);
    expect(w.removed).toEqual([orphan]);
    w.pods.delete(orphan);
    const entry = w.pods.get(d);
    w.pods.delete(d);
    if (entry !== undefined) w.gangs.podGone(d, entry);
    expect(w.removed).toEqual([orphan, mine]);
  });
});

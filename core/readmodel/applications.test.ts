/**
 * Applications through the port: the ApplicationDAOInfo shape, times in nanoseconds (startTime in
 * milliseconds, as YuniKorn), pending reasons in `allocationLog` and `pendingReason`, and the active,
 * rejected and completed lists.
 */
import { describe, expect, it } from 'vitest';
import { applicationView, applicationsView, queueApplicationView, queueApplicationsView } from './applications.js';
import type { ApplicationDao } from './dao.js';
import { asAllocationKey, asApplicationId } from '../port.js';
import { GiB, OPEN, T0, harness, json } from './test-helpers.js';

const S = 1e9; // one second in nanoseconds

/** root.a holds at most 2 cores. */
const QUOTA = OPEN('          - {name: a, resources: {max: {vcore: 2}}}\n          - {name: b}\n');

function running() {
  const h = harness(QUOTA);
  h.node('n1', 4, 8);
  h.app('x', 'root.a', 'alice', ['dev']); // at 1 s
  h.clock.ms = 2_000;
  h.ask('x1', 'x', { vcore: 1000, memory: GiB }, 5);
  h.ask('x2', 'x', { vcore: 1000 }, 0);
  h.ask('x3', 'x', { vcore: 1000 }, 3);
  h.clock.ms = 3_000;
  h.s.schedule(); // x1 (priority 5) then x3 (3) fill root.a's 2 cores; x2 waits for quota
  h.clock.ms = 4_000;
  h.s.schedule(); // x2 waits again: the same reason a second time
  return h;
}

describe('applicationView', () => {
  it('gives YuniKorn fields, times and the pending reason of each request', () => {
    const h = running();
    const dao = json(applicationView(h.partition(), 'x')) as ApplicationDao;
    const reason = dao.requests?.[0]?.pendingReason;
    expect(reason?.code).toBe('QueueQuotaExceeded');
    const allocation = (key: string, priority: string, resource: Record<string, number>) => ({
      allocationKey: key,
      requestTime: 2 * S,
      allocationTime: 3 * S,
      allocationDelay: 1 * S, // 3 s - 2 s
      resource,
      priority,
      nodeId: 'n1',
      applicationId: 'x',
    });
    expect(dao).toEqual({
      applicationID: 'x',
      usedResource: { memory: GiB, pods: 2, vcore: 2000 }, // x1 + x3
      maxUsedResource: { memory: GiB, pods: 2, vcore: 2000 },
      pendingResource: { pods: 1, vcore: 1000 }, // x2
      partition: 'default',
      queueName: 'root.a',
      submissionTime: 1 * S,
      requests: [
        {
          allocationKey: 'x2',
          requestTime: 2 * S,
          resource: { pods: 1, vcore: 1000 },
          priority: '0',
          applicationId: 'x',
          // given at 3 s, given again at 4 s
          allocationLog: [{ message: reason?.message, lastOccurrence: 4 * S, count: 2 }],
          schedulingAttempted: true,
          pendingReason: reason,
        },
      ],
      allocations: [allocation('x1', '5', { memory: GiB, pods: 1, vcore: 1000 }), allocation('x3', '3', { pods: 1, vcore: 1000 })],
      applicationState: 'Running',
      user: 'alice',
      groups: ['dev'],
      stateLog: [
        { time: 1 * S, applicationState: 'Accepted' },
        { time: 3 * S, applicationState: 'Running' },
      ],
      // maxRequestPriority is 0 (x2's): omitted as YuniKorn omits it
      startTime: 3_000, // milliseconds
    });
  });

  it('keeps the most used after release and gives the finish time', () => {
    const h = running();
    h.clock.ms = 5_000;
    h.release('x1');
    h.release('x3');
    h.removeAsk('x2'); // nothing left: Completing at 5 s
    h.clock.ms = 35_000; // 30 s after Completing
    h.s.schedule();
    const dao = json(applicationView(h.partition(), 'x')) as ApplicationDao;
    expect(dao.applicationState).toBe('Completed');
    expect(dao.usedResource).toBeUndefined();
    expect(dao.maxUsedResource).toEqual({ memory: GiB, pods: 2, vcore: 2000 });
    expect(dao.finishedTime).toBe(35 * S);
    expect(dao.stateLog?.map((e) => e.applicationState)).toEqual(['Accepted', 'Running', 'Completing', 'Completed']);
    expect(applicationsView(h.partition(), 'completed').map((a) => a.applicationID)).toEqual(['x']);
    expect(applicationsView(h.partition(), 'active')).toEqual([]);
    expect(queueApplicationsView(h.partition(), 'root.a')).toEqual([]);
  });

  it('shows a reservation on the application', () => {
    const h = harness(OPEN());
    h.node('n1', 2, 8);
    h.app('x', 'root.a');
    h.app('y', 'root.b');
    h.ask('x1', 'x', { vcore: 1500 });
    h.ask('y1', 'y', { vcore: 1000 });
    h.s.schedule(); // x1 placed; y1 has waited 0 s: no reservation yet
    h.clock.ms = T0 + 2_000;
    h.s.schedule(); // y1 has waited 2 s: it reserves n1
    const y = json(applicationView(h.partition(), 'y')) as ApplicationDao;
    expect(y).toMatchObject({ hasReserved: true, reservations: ['y1'], applicationState: 'Accepted' });
    expect(y.requests?.[0]?.pendingReason?.code).toBe('InsufficientCapacity');
    expect(y.startTime).toBeUndefined();
  });

  it('gives the reason of a rejection, and no queue', () => {
    const h = harness('partitions:\n  - placementrules: [{name: provided}]\n    queues: [{name: root, submitacl: "*"}]\n');
    h.app('lost');
    const dao = json(applicationView(h.partition(), 'lost')) as ApplicationDao;
    expect(dao).toMatchObject({ applicationID: 'lost', queueName: '', applicationState: 'Rejected', finishedTime: 1 * S, stateLog: [{ time: 1 * S, applicationState: 'Rejected' }] });
    expect(dao.rejectedMessage).toMatch(/provided/);
    expect(applicationsView(h.partition(), 'rejected').map((a) => a.applicationID)).toEqual(['lost']);
    expect(applicationView(h.partition(), 'nobody')).toBeNull();
  });
});

describe('application lists', () => {
  it('filters active applications by state, in any case', () => {
    const h = running();
    h.app('idle', 'root.b'); // no asks: stays Accepted
    const p = h.partition();
    expect(applicationsView(p, 'active').map((a) => a.applicationID)).toEqual(['x', 'idle']);
    expect(applicationsView(p, 'active', 'RUNNING').map((a) => a.applicationID)).toEqual(['x']);
    expect(applicationsView(p, 'active', 'accepted').map((a) => a.applicationID)).toEqual(['idle']);
    expect(applicationsView(p, 'rejected')).toEqual([]);
  });

  it('lists the active applications of a queue, and null for an unknown one', () => {
    const h = running();
    const p = h.partition();
    expect(queueApplicationsView(p, 'root.a')?.map((a) => a.applicationID)).toEqual(['x']);
    expect(queueApplicationsView(p, 'root')).toEqual([]); // a parent holds no applications
    expect(queueApplicationsView(p, 'root.nope')).toBeNull();
    expect(queueApplicationView(p, 'root.a', 'x')?.applicationID).toBe('x');
    expect(queueApplicationView(p, 'root.b', 'x')).toBeNull();
  });
});

describe('allocationTags', () => {
  it("shows an ask's role as drover.dev/role on the request and then on the allocation", () => {
    const h = harness(OPEN());
    h.app('ray', 'root.a');
    h.s.addAsk({ allocationKey: asAllocationKey('head'), applicationId: asApplicationId('ray'), resource: { pods: 1, vcore: 1000 }, priority: 0, role: 'head' });
    h.ask('plain', 'ray', { vcore: 1000 });
    let dao = json(applicationView(h.partition(), 'ray')) as ApplicationDao;
    expect(dao.requests?.map((r) => [r.allocationKey, r.allocationTags])).toEqual([
      ['head', { 'drover.dev/role': 'head' }],
      ['plain', undefined],
    ]);
    h.node('n1', 4, 8);
    h.s.schedule();
    dao = json(applicationView(h.partition(), 'ray')) as ApplicationDao;
    expect(dao.allocations?.map((a) => [a.allocationKey, a.allocationTags])).toEqual([
      ['head', { 'drover.dev/role': 'head' }],
      ['plain', undefined],
    ]);
  });
});

describe('gangs and preemption in the read model', () => {
  it('shows placeholders, take-overs, task groups and placeholderData', () => {
    const h = harness(OPEN());
    h.node('n1', 16, 64);
    const minResource = { vcore: 1000, memory: GiB, pods: 1 };
    h.gangApp('g', 'root.a', { style: 'Soft', timeoutMs: 60_000, taskGroups: [{ name: 'exec', minMember: 2, minResource }] });
    h.askWith('ph-0', 'g', minResource, { placeholder: true, taskGroup: 'exec' });
    h.askWith('ph-1', 'g', minResource, { placeholder: true, taskGroup: 'exec' });
    h.askWith('driver', 'g', { vcore: 500 }, { taskGroup: 'exec', originator: true, role: 'driver' });
    h.s.schedule();
    h.s.schedule();
    const dao = json(applicationView(h.partition(), 'g')) as ApplicationDao;
    expect(dao.placeholderData).toEqual([{ taskGroupName: 'exec', count: 2, minResource: { vcore: 1000, memory: GiB, pods: 1 }, replaced: 1, timedout: 0 }]);
    const byKey = new Map((dao.allocations ?? []).map((a) => [a.allocationKey, a]));
    expect(byKey.get('driver')).toMatchObject({ placeholderUsed: true, taskGroupName: 'exec', originator: true });
    expect(byKey.has('ph-0')).toBe(false);
    expect(byKey.get('ph-1')).toMatchObject({ placeholder: true, taskGroupName: 'exec' });
    expect(byKey.get('ph-1')?.placeholderUsed).toBeUndefined();
  });

  it('marks the victims of a preemption and the request that triggered it', () => {
    const h = harness(OPEN('          - {name: a, resources: {guaranteed: {vcore: 2}}}\n          - {name: b, resources: {guaranteed: {vcore: 2}}}\n'));
    h.node('n1', 4, 16);
    h.app('busy', 'root.b');
    for (let i = 0; i < 4; i++) h.ask(`b${i}`, 'busy', { vcore: 1000 });
    h.s.schedule();
    h.app('urgent', 'root.a');
    h.ask('u', 'urgent', { vcore: 1000 });
    h.clock.ms += 31_000;
    h.s.schedule();
    const busy = json(applicationView(h.partition(), 'busy')) as ApplicationDao;
    expect((busy.allocations ?? []).filter((a) => a.preempted === true)).toHaveLength(1);
    const urgent = json(applicationView(h.partition(), 'urgent')) as ApplicationDao;
    expect(urgent.requests?.[0]?.triggeredPreemption).toBe(true);
    expect(urgent.requests?.[0]?.pendingReason?.message).toContain('being preempted');
  });
});

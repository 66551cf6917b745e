import { describe, expect, it } from 'vitest';
import type { Gang } from '../port.js';
import { GiB, harness, OPEN } from './test-helpers.js';

const gang = (style: 'Soft' | 'Hard' = 'Soft', timeoutMs = 60_000, executors = 3): Gang => ({
  style,
  timeoutMs,
  taskGroups: [
    { name: 'driver', minMember: 1, minResource: { vcore: 1000, memory: GiB, pods: 1 } },
    { name: 'executor', minMember: executors, minResource: { vcore: 2000, memory: 4 * GiB, pods: 1 } },
  ],
});

/** A gang application with its placeholders asked for, as the resource manager does, and its driver pending. */
function submit(h: ReturnType<typeof harness>, id: string, queue: string, g: Gang) {
  h.gangApp(id, queue, g);
  for (const tg of g.taskGroups) for (let i = 0; i < tg.minMember; i++) h.askWith(`${id}-ph-${tg.name}-${i}`, id, tg.minResource, { placeholder: true, taskGroup: tg.name });
  h.askWith(`${id}-driver`, id, { vcore: 1000, memory: GiB }, { taskGroup: 'driver', originator: true, role: 'driver' });
}

const tick = (h: ReturnType<typeof harness>, ms: number) => {
  h.clock.ms += ms;
  h.s.schedule();
};

describe('gang scheduling', () => {
  it('keeps the application Accepted and its pods GangPending until every placeholder is placed, then Running', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 16);
    submit(h, 'app', 'root.a', gang());
    h.s.schedule();
    // 1 + 3 placeholders need 7 vcore; the node has 4: the driver placeholder and one executor fit
    expect(h.states.get('app')).toBe('Accepted');
    expect(h.reasons.get('app-driver')?.code).toBe('GangPending');
    expect(h.reasons.get('app-driver')?.message).toContain('2 of 4 placeholders placed');
    expect(h.reasons.get('app-driver')?.message).toContain('executor 1 of 3');
    expect(h.reasons.get('app-driver')?.message).toContain('the placeholders wait because the cluster has');
    expect(h.placed.has('app-driver')).toBe(false);
    h.node('n2', 8, 32);
    h.s.schedule();
    expect(h.states.get('app')).toBe('Running');
    // then the driver takes over its placeholder, on the placeholder's node
    h.s.schedule();
    const driver = h.allocations.find((a) => a.allocationKey === 'app-driver');
    expect(driver?.replaces).toBe('app-ph-driver-0');
    expect(driver?.nodeId).toBe(h.placed.get('app-ph-driver-0'));
  });

  it('lets real pods take over placeholders of their group without counting twice, and frees the rest at the timeout', () => {
    const h = harness(OPEN('          - {name: a, resources: {max: {vcore: 7}}}\n'));
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang('Soft', 30_000));
    h.s.schedule();
    expect(h.states.get('app')).toBe('Running');
    const a = h.partition().tree.root.children.get('a');
    expect(a?.allocated.vcore).toBe(7000);
    // executors arrive; the queue is at its max, yet they take over placeholders
    for (let i = 0; i < 2; i++) h.askWith(`app-exec-${i}`, 'app', { vcore: 2000, memory: 4 * GiB }, { taskGroup: 'executor' });
    h.s.schedule();
    expect(h.allocations.filter((x) => x.replaces !== undefined).map((x) => x.allocationKey).sort()).toEqual(['app-driver', 'app-exec-0', 'app-exec-1']);
    expect(a?.allocated.vcore).toBe(7000);
    expect(h.releases).toEqual([]);
    // one executor placeholder was never used: released at the timeout
    tick(h, 30_000);
    expect(h.releases.map((r) => [r.allocationKey, r.kind])).toEqual([['app-ph-executor-2', 'PlaceholderTimeout']]);
    h.honourReleases();
    expect(a?.allocated.vcore).toBe(5000);
    expect(h.states.get('app')).toBe('Running');
  });

  it('Hard: fails the application at the timeout and releases every placeholder', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 16);
    submit(h, 'app', 'root.a', gang('Hard', 10_000));
    h.s.schedule();
    tick(h, 9_000);
    expect(h.states.get('app')).toBe('Accepted');
    expect(h.reasons.get('app-driver')?.message).toMatch(/the application fails in 1s/);
    tick(h, 1_000);
    expect(h.states.get('app')).toBe('Failing');
    expect(new Set(h.releases.map((r) => r.kind))).toEqual(new Set(['GangFailed']));
    expect(h.releases).toHaveLength(4);
    expect(h.reasons.get('app-driver')).toMatchObject({ code: 'ApplicationRejected' });
    expect(h.reasons.get('app-driver')?.message).toContain('2 of 4 placeholders');
    h.honourReleases();
    expect(h.states.get('app')).toBe('Failed');
    expect(h.partition().nodes.byId.get('n1' as never)?.count).toBe(0);
  });

  it('Soft: at the timeout the placeholders go and the pods are scheduled as usual', () => {
    const h = harness(OPEN());
    h.node('n1', 3, 16);
    submit(h, 'app', 'root.a', gang('Soft', 10_000));
    h.s.schedule();
    tick(h, 10_000);
    expect(h.states.get('app')).toBe('Resuming');
    expect(h.releases.every((r) => r.kind === 'GangAbandoned')).toBe(true);
    h.honourReleases();
    tick(h, 100);
    expect(h.placed.get('app-driver')).toBe('n1');
    expect(h.allocations.find((a) => a.allocationKey === 'app-driver')?.replaces).toBeUndefined();
    expect(h.states.get('app')).toBe('Running');
    // a placeholder the resource manager still sends is refused, not booked
    h.askWith('app-late', 'app', { vcore: 1000 }, { placeholder: true, taskGroup: 'executor' });
    expect(h.releases.map((r) => r.allocationKey)).toEqual(['app-late']);
  });

  it('rejects a gang larger than its queue max, and a gang in a queue that does not sort fifo', () => {
    const h = harness(OPEN('          - {name: a, resources: {max: {vcore: 5}}}\n          - {name: b, properties: {application.sort.policy: fair}}\n'));
    h.node('n1', 16, 64);
    h.gangApp('big', 'root.a', gang());
    expect(h.states.get('big')).toBe('Rejected');
    expect(h.messages.get('big')).toContain('the gang needs {vcore: 7} in all');
    expect(h.messages.get('big')).toContain('max of queue root.a ({vcore: 5})');
    h.gangApp('fair', 'root.b', gang());
    expect(h.states.get('fair')).toBe('Rejected');
    expect(h.messages.get('fair')).toContain('sorts them fair');
  });

  it('releases a placeholder too small for its real pod, and the pod is placed without it', () => {
    const h = harness(OPEN());
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang('Soft', 60_000, 1));
    h.s.schedule();
    h.askWith('app-exec-big', 'app', { vcore: 3000, memory: 4 * GiB }, { taskGroup: 'executor' });
    h.s.schedule();
    h.s.schedule();
    const released = h.releases.filter((r) => r.kind === 'PlaceholderUnused');
    expect(released.map((r) => r.allocationKey)).toEqual(['app-ph-executor-0']);
    expect(released[0]?.message).toContain('needs {vcore: 3}, more than the placeholder\'s {vcore: 2}');
    expect(h.placed.get('app-exec-big')).toBe('n1');
    expect(h.allocations.find((a) => a.allocationKey === 'app-exec-big')?.replaces).toBeUndefined();
  });

  it('releases the placeholders left once the application has no pods that could use them', () => {
    const h = harness(OPEN());
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang());
    h.s.schedule();
    h.s.schedule();
    expect(h.placed.has('app-driver')).toBe(true);
    h.release('app-driver');
    // a pod given back for a moment (its binding failed) and asked again keeps the reservation
    h.askWith('app-driver', 'app', { vcore: 1000, memory: GiB }, { taskGroup: 'driver' });
    h.s.schedule();
    expect(h.releases).toEqual([]);
    h.release('app-driver');
    h.s.schedule();
    expect(h.releases.map((r) => r.kind)).toEqual(['ApplicationGone', 'ApplicationGone', 'ApplicationGone']);
    expect(h.states.get('app')).toBe('Running');
    h.honourReleases();
    expect(h.states.get('app')).toBe('Completing');
  });

  it('never tells the pods of a gang completed in this cycle that no node has room; they take over in the next', () => {
    const h = harness(OPEN());
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang());
    h.askWith('app-exec-0', 'app', { vcore: 2000, memory: 4 * GiB }, { taskGroup: 'executor' });
    h.s.schedule();
    expect(h.states.get('app')).toBe('Running');
    expect([...h.reasons.values()].some((r) => r.code === 'InsufficientCapacity')).toBe(false);
    h.s.schedule();
    expect(h.placed.has('app-driver')).toBe(true);
    expect(h.placed.has('app-exec-0')).toBe(true);
  });

  it('tells a pod that can take over no placeholder (its node rules) why it waits, not that its gang is pending', () => {
    const h = harness(OPEN(), { fits: (ask, node) => ask.allocationKey !== 'app-driver' || node === 'elsewhere' });
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang());
    h.s.schedule();
    expect(h.states.get('app')).toBe('Running');
    h.s.schedule();
    expect(h.placed.has('app-driver')).toBe(false);
    expect(h.reasons.get('app-driver')?.code).toBe('InsufficientCapacity');
  });

  it('counts a placeholder booked again once, and no longer as taken over', () => {
    const h = harness(OPEN());
    h.node('n1', 16, 64);
    submit(h, 'app', 'root.a', gang());
    h.s.schedule();
    h.s.schedule();
    const counts = () => h.partition().apps.get('app' as never)?.gang?.groups.get('driver');
    expect(counts()?.replaced).toBe(1);
    // the driver's binding failed: the resource manager books the placeholder again and asks for the driver anew
    h.release('app-driver');
    h.s.recoverAllocation({ allocationKey: 'app-ph-driver-0' as never, applicationId: 'app' as never, nodeId: 'n1' as never, resource: { vcore: 1000, memory: GiB, pods: 1 }, priority: 0, placeholder: true, taskGroup: 'driver' });
    expect(counts()).toMatchObject({ asked: 1, placed: 1, replaced: 0 });
    h.askWith('app-driver', 'app', { vcore: 1000, memory: GiB }, { taskGroup: 'driver' });
    h.s.schedule();
    expect(h.allocations.filter((a) => a.allocationKey === 'app-driver').map((a) => a.replaces)).toEqual(['app-ph-driver-0', 'app-ph-driver-0']);
  });

  it('does not start the gang timeout for an ordinary application and refuses its placeholders', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 16);
    h.app('plain', 'root.a');
    h.askWith('stray', 'plain', { vcore: 100 }, { placeholder: true, taskGroup: 'x' });
    expect(h.releases.map((r) => [r.allocationKey, r.message])).toEqual([['stray', 'the application has no task groups']]);
    h.s.schedule();
    expect(h.placed.has('stray')).toBe(false);
  });
});

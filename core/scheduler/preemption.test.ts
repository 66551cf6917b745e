import { describe, expect, it } from 'vitest';
import type { AskInfo } from '../port.js';
import type { Resource } from '../resources/resource.js';
import { harness, OPEN } from './test-helpers.js';

const DELAY = 30_000;
const TWO_QUEUES = (a = '', b = '', extra = '') =>
  OPEN(`          - {name: a, resources: {guaranteed: {vcore: 4}}${a}}\n          - {name: b, resources: {guaranteed: {vcore: 4}}${b}}\n`, extra);

type H = ReturnType<typeof harness>;

/** Queue b fills an 8-core node with one-core pods, one per 100 ms (so the last is the youngest). */
function fillB(h: H, n = 8, extra: (i: number) => Partial<Omit<AskInfo, 'allocationKey' | 'applicationId' | 'resource'>> = () => ({})) {
  h.node('n1', 8, 64);
  h.app('b-app', 'root.b');
  for (let i = 0; i < n; i++) {
    h.askWith(`b${i}`, 'b-app', { vcore: 1000 }, extra(i));
    h.clock.ms += 100;
    h.s.schedule();
  }
}

function waitPast(h: H, ms = DELAY) {
  for (let t = 0; t <= ms; t += 1_000) {
    h.clock.ms += 1_000;
    h.s.schedule();
  }
}

const victims = (h: H) => h.releases.filter((r) => r.kind === 'Preempted').map((r) => r.allocationKey);

function preemptor(h: H, resource: Resource = { vcore: 2000 }, extra: Partial<Omit<AskInfo, 'allocationKey' | 'applicationId' | 'resource'>> = {}, queue = 'root.a') {
  h.app('a-app', queue);
  h.askWith('a0', 'a-app', resource, extra);
}

describe('preemption', () => {
  it('takes back a guarantee: the youngest pods of the queue over its guarantee go, then the ask gets their node', () => {
    const h = harness(TWO_QUEUES());
    fillB(h);
    preemptor(h);
    h.s.schedule();
    expect(h.reasons.get('a0')?.code).toBe('InsufficientCapacity');
    h.clock.ms += DELAY - 1_000;
    h.s.schedule();
    expect(victims(h)).toEqual([]);
    waitPast(h, 1_000);
    expect(victims(h)).toEqual(['b7', 'b6']);
    expect(h.releases[0]?.preemptor).toBe('a0');
    expect(h.releases[0]?.message).toContain('queue root.a');
    expect(h.reasons.get('a0')?.message).toContain('2 pods are being preempted on node n1');
    // the victims are still booked until they are gone; the node waits for the preemptor
    h.app('other', 'root.b');
    h.askWith('sneaky', 'other', { vcore: 1000 });
    h.honourReleases();
    h.s.schedule();
    expect(h.placed.get('a0')).toBe('n1');
    expect(h.placed.has('sneaky')).toBe(false);
  });

  it('never takes a victim queue below its guarantee', () => {
    const h = harness(TWO_QUEUES());
    fillB(h, 5);
    h.app('a-full', 'root.a');
    h.askWith('a-run', 'a-full', { vcore: 3000 });
    h.s.schedule();
    // a uses 3 of 4, b uses 5 of 4: only one core of b is over its guarantee; a asks for 1 more
    preemptor(h, { vcore: 1000 });
    h.askWith('a-more', 'a-app', { vcore: 1000 });
    waitPast(h);
    expect(victims(h)).toEqual(['b4']);
    h.honourReleases();
    waitPast(h);
    expect(victims(h)).toEqual([]);
    expect(h.partition().tree.root.children.get('b')?.allocated.vcore).toBe(4000);
  });

  it('does not preempt beyond the preemptor queue guarantee, nor for a queue with no guarantee', () => {
    const h = harness(OPEN('          - {name: a, resources: {guaranteed: {vcore: 1}}}\n          - {name: b}\n          - {name: c}\n'));
    fillB(h);
    preemptor(h);
    waitPast(h);
    expect(victims(h)).toEqual([]);
    h.app('c-app', 'root.c');
    h.askWith('c0', 'c-app', { vcore: 1000 });
    waitPast(h);
    expect(victims(h)).toEqual([]);
  });

  it('takes only pods of lower or equal priority, never of the same application or queue', () => {
    const h = harness(TWO_QUEUES());
    fillB(h, 8, (i) => ({ priority: i < 6 ? 100 : 0 }));
    preemptor(h, { vcore: 2000 }, { priority: 50 });
    waitPast(h);
    expect(victims(h)).toEqual(['b7', 'b6']);

    const same = harness(OPEN('          - {name: a, resources: {guaranteed: {vcore: 16}}}\n'));
    same.node('n1', 8, 64);
    same.app('x', 'root.a');
    same.app('y', 'root.a');
    for (let i = 0; i < 8; i++) same.askWith(`x${i}`, 'x', { vcore: 1000 });
    same.s.schedule();
    same.askWith('x-more', 'x', { vcore: 1000 });
    same.askWith('y0', 'y', { vcore: 1000 });
    waitPast(same);
    expect(victims(same)).toEqual([]);
  });

  it("compares priorities as the queues see them: a queue's priority.offset counts", () => {
    const plain = harness(TWO_QUEUES());
    fillB(plain, 8, () => ({ priority: 50 }));
    preemptor(plain, { vcore: 2000 }, { priority: 0 });
    waitPast(plain);
    expect(victims(plain)).toEqual([]);

    const raised = harness(TWO_QUEUES(', properties: {priority.offset: "100"}'));
    fillB(raised, 8, () => ({ priority: 50 }));
    preemptor(raised, { vcore: 2000 }, { priority: 0 });
    waitPast(raised);
    expect(victims(raised)).toEqual(['b7', 'b6']);
  });

  it('takes regular pods first, then pods that opt out, then drivers; lower priority, younger, smaller first', () => {
    const h = harness(TWO_QUEUES());
    fillB(h, 8, (i) => (i === 7 ? { role: 'driver' } : i === 6 ? { allowPreemption: false } : i === 5 ? { originator: true } : {}));
    preemptor(h, { vcore: 2000 });
    waitPast(h);
    expect(victims(h)).toEqual(['b4', 'b3']);

    const h2 = harness(TWO_QUEUES());
    fillB(h2, 8, (i) => (i < 6 ? { role: 'driver' } : i === 6 ? { allowPreemption: false } : {}));
    preemptor(h2, { vcore: 2000 });
    waitPast(h2);
    expect(victims(h2)).toEqual(['b7', 'b6']);
  });

  it('stays inside its fence; a fence does not keep others out', () => {
    const yaml = OPEN(`          - name: fenced
            properties: {preemption.policy: fence}
            queues:
              - {name: in1, resources: {guaranteed: {vcore: 4}}}
              - {name: in2, resources: {guaranteed: {vcore: 4}}}
          - {name: out, resources: {guaranteed: {vcore: 4}}}
`);
    const h = harness(yaml);
    h.node('n1', 8, 64);
    h.app('outside', 'root.out');
    for (let i = 0; i < 8; i++) h.askWith(`o${i}`, 'outside', { vcore: 1000 });
    h.s.schedule();
    preemptor(h, { vcore: 2000 }, {}, 'root.fenced.in1');
    waitPast(h);
    expect(victims(h)).toEqual([]);

    const h2 = harness(yaml);
    h2.node('n1', 8, 64);
    h2.app('inside', 'root.fenced.in2');
    for (let i = 0; i < 8; i++) h2.askWith(`i${i}`, 'inside', { vcore: 1000 });
    h2.s.schedule();
    preemptor(h2, { vcore: 2000 }, {}, 'root.out');
    waitPast(h2);
    // all placed in one cycle, so of the same age: the same size, then by key
    expect(victims(h2)).toEqual(['i0', 'i1']);
    expect(h2.partition().tree.root.children.get('fenced')?.children.get('in1')?.preemptionPolicy).toBe('default');
  });

  it('never takes pods of a queue with preemption disabled, nor preempts when the partition turns it off or the pod may not', () => {
    const h = harness(TWO_QUEUES('', ', properties: {preemption.policy: disabled}'));
    fillB(h);
    preemptor(h);
    waitPast(h);
    expect(victims(h)).toEqual([]);

    const off = harness(TWO_QUEUES('', '', '    preemption: {enabled: false}\n'));
    fillB(off);
    preemptor(off);
    waitPast(off);
    expect(victims(off)).toEqual([]);

    const never = harness(TWO_QUEUES());
    fillB(never);
    preemptor(never, { vcore: 2000 }, { mayPreempt: false });
    waitPast(never);
    expect(victims(never)).toEqual([]);
  });

  it('waits the leaf queue preemption.delay', () => {
    const h = harness(TWO_QUEUES(', properties: {preemption.delay: 5s}'));
    fillB(h);
    preemptor(h);
    waitPast(h, 3_000);
    expect(victims(h)).toEqual([]);
    waitPast(h, 2_000);
    expect(victims(h)).toEqual(['b7', 'b6']);
  });

  it('lets a pod pinned to a node preempt there, without the guarantee laws', () => {
    const h = harness(OPEN('          - {name: a}\n          - {name: b}\n'));
    fillB(h, 8, (i) => ({ priority: i === 0 ? 1000 : 0 }));
    h.app('ds', 'root.a');
    h.askWith('ds-n1', 'ds', { vcore: 1500 }, { requiredNode: 'n1' as never, priority: 500 });
    waitPast(h);
    expect(victims(h)).toEqual(['b7', 'b6']);
    h.honourReleases();
    h.s.schedule();
    expect(h.placed.get('ds-n1')).toBe('n1');
  });

  it('chooses again at once when an eviction is refused for good', () => {
    const h = harness(TWO_QUEUES());
    fillB(h);
    preemptor(h);
    waitPast(h);
    expect(victims(h)).toEqual(['b7', 'b6']);
    h.releases.length = 0;
    h.s.releaseRefused('b7' as never);
    const b7 = h.partition().allocations.get('b7' as never)?.record;
    expect(b7?.releasing).toBeNull();
    expect(h.partition().tree.root.children.get('b')?.releasing.vcore).toBe(1000);
    // b6 is still on its way out; b7 may be chosen again with it, after the retry interval
    waitPast(h, 5_000);
    expect(victims(h)).toEqual(['b7']);
  });

  it('chooses again when the victims are not gone in time', () => {
    const h = harness(TWO_QUEUES());
    fillB(h);
    preemptor(h);
    waitPast(h);
    expect(victims(h)).toEqual(['b7', 'b6']);
    h.releases.length = 0;
    waitPast(h, 60_000);
    expect(victims(h)).toEqual(['b7', 'b6']);
  });
});

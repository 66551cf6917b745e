/**
 * User and group usage trees through the port: usage per queue of the path, running applications, the
 * limit that applies on each queue, and users and queues with nothing left dropped.
 */
import { describe, expect, it } from 'vitest';
import type { GroupUsageDao, ResourceUsageDao, UserUsageDao } from './dao.js';
import { GiB, OPEN, harness, json } from './test-helpers.js';
import { groupUsageView, groupsUsageView, userUsageView, usersUsageView } from './usage.js';

const LIMITS = OPEN(`          - name: a
            limits:
              - {limit: alice, users: [alice], maxresources: {vcore: 4}, maxapplications: 2}
              - {limit: devs, groups: [dev], maxresources: {memory: 8Gi}}
          - {name: b}
`);

function used() {
  const h = harness(LIMITS);
  h.node('n1', 8, 16);
  h.app('x', 'root.a', 'alice', ['dev']); // counts against group dev: a limit on root.a names it
  h.app('y', 'root.b', 'alice', ['dev']); // no group limit on root.b's path: no group
  h.app('z', 'root.b', 'bob');
  h.ask('x1', 'x', { vcore: 1000, memory: GiB });
  h.ask('y1', 'y', { vcore: 2000 });
  h.ask('z1', 'z', { vcore: 500 });
  h.s.schedule();
  return h;
}

const node = (queuePath: string, resourceUsage: Record<string, number>, runningApplications: string[], children: ResourceUsageDao[] = [], maxResources: Record<string, number> = {}, maxApplications = 0): ResourceUsageDao => ({
  queuePath,
  resourceUsage,
  runningApplications,
  maxResources,
  maxApplications,
  children,
});

describe('user usage', () => {
  it('gives each user a tree of the queues its applications use', () => {
    const h = used();
    expect(json(usersUsageView(h.partition()))).toEqual([
      {
        userName: 'alice',
        groups: { x: 'dev' },
        queues: node('root', { memory: GiB, pods: 2, vcore: 3000 }, ['x', 'y'], [
          node('root.a', { memory: GiB, pods: 1, vcore: 1000 }, ['x'], [], { vcore: 4000 }, 2),
          node('root.b', { pods: 1, vcore: 2000 }, ['y']),
        ]),
      },
      { userName: 'bob', groups: {}, queues: node('root', { pods: 1, vcore: 500 }, ['z'], [node('root.b', { pods: 1, vcore: 500 }, ['z'])]) },
    ] satisfies UserUsageDao[]);
  });

  it('drops a user and its queues once nothing is used or runs', () => {
    const h = used();
    h.release('z1'); // bob's only pod: z is Completing
    h.release('y1'); // alice keeps x on root.a only
    expect(userUsageView(h.partition(), 'bob')).toBeNull();
    expect(usersUsageView(h.partition()).map((u) => u.userName)).toEqual(['alice']);
    expect(userUsageView(h.partition(), 'alice')?.queues.children.map((c) => c.queuePath)).toEqual(['root.a']);
    expect(userUsageView(h.partition(), 'nobody')).toBeNull();
  });
});

describe('group usage', () => {
  it('gives each group the applications that count against it', () => {
    const h = used();
    const dev = node('root', { memory: GiB, pods: 1, vcore: 1000 }, ['x'], [node('root.a', { memory: GiB, pods: 1, vcore: 1000 }, ['x'], [], { memory: 8 * GiB })]);
    expect(json(groupsUsageView(h.partition()))).toEqual([{ groupName: 'dev', applications: ['x'], queues: dev }] satisfies GroupUsageDao[]);
    expect(json(groupUsageView(h.partition(), 'dev'))).toEqual({ groupName: 'dev', applications: ['x'], queues: dev });
    expect(groupUsageView(h.partition(), 'ops')).toBeNull();
  });
});

/**
 * Queues through the port: PartitionQueueDAOInfo field by field for a configured leaf, the root, a
 * parent with a child template and the dynamic queue made from it, children only with `subtree`, and the
 * status of a queue removed from the configuration.
 */
import { describe, expect, it } from 'vitest';
import type { QueueDao } from './dao.js';
import { INT32_MIN } from './json.js';
import { queueView, queuesView } from './queues.js';
import { GiB, OPEN, harness, json } from './test-helpers.js';

const QUEUES = OPEN(`          - name: a
            resources: {guaranteed: {vcore: 1}, max: {vcore: 2, memory: 4Gi}}
            maxapplications: 3
            properties: {application.sort.policy: fair, priority.offset: "10", preemption.delay: 90s}
          - name: t
            parent: true
            childtemplate: {maxapplications: 2, resources: {max: {vcore: 1}}}
`);

function scheduled() {
  const h = harness(QUEUES);
  h.node('n1', 4, 8);
  h.node('n2', 4, 8); // cluster: 8 cores, 16 GiB, 220 pods
  h.app('x', 'root.a');
  h.ask('x1', 'x', { vcore: 1000, memory: GiB });
  h.ask('x2', 'x', { vcore: 1000 });
  h.ask('x3', 'x', { vcore: 1000 }, 7);
  h.s.schedule(); // x3 (priority 7), then x1: root.a's 2 cores are used; x2 waits
  return h;
}

describe('queueView', () => {
  it('gives a configured leaf as YuniKorn does', () => {
    const h = scheduled();
    expect(json(queueView(h.partition(), 'root.a', { subtree: false }))).toEqual({
      queuename: 'root.a',
      status: 'Active',
      partition: 'default',
      pendingResource: { pods: 1, vcore: 1000 }, // x2
      maxResource: { memory: 4 * GiB, vcore: 2000 },
      guaranteedResource: { vcore: 1000 },
      allocatedResource: { memory: GiB, pods: 2, vcore: 2000 }, // x1 + x3
      // own: max - allocated = {memory: 3 GiB, vcore: 0}; root: 16 GiB - 1, 220 - 2 pods, 8000 - 2000 m;
      // the smaller of each, pods (unlimited on root.a) from the root
      headroom: { memory: 3 * GiB, pods: 218, vcore: 0 },
      isLeaf: true,
      isManaged: true,
      properties: { 'application.sort.policy': 'fair', 'preemption.delay': '90s', 'priority.offset': '10' },
      parent: 'root',
      absUsedCapacity: { memory: 25, vcore: 100 }, // 1 of 4 GiB, 2000 of 2000 m
      maxRunningApps: 3,
      runningApps: 1,
      currentPriority: 10, // x2's priority 0 + offset 10
      sortingPolicy: 'fair',
      prioritySorting: true,
      preemptionEnabled: true,
      isPreemptionFence: false,
      preemptionDelay: '1m30s',
      isPriorityFence: false,
      priorityOffset: 10,
    });
  });

  it('gives the root with the cluster as its max and its children by name', () => {
    const h = scheduled();
    const root = json(queuesView(h.partition())) as QueueDao;
    expect(root).toMatchObject({
      queuename: 'root',
      maxResource: { memory: 16 * GiB, pods: 220, vcore: 8000 },
      allocatedResource: { memory: GiB, pods: 2, vcore: 2000 },
      headroom: { memory: 15 * GiB, pods: 218, vcore: 6000 },
      absUsedCapacity: { memory: 6, pods: 0, vcore: 25 }, // 1/16 = 6.25, 2/220 = 0.9, 2000/8000
      childNames: ['root.a', 'root.t'],
      currentPriority: 0, // the highest pending priority below (x2's 0), the root has no offset
      sortingPolicy: 'fair',
      preemptionDelay: '30s',
    });
    expect(root).not.toHaveProperty('parent');
    expect(root).not.toHaveProperty('guaranteedResource');
    expect(root.children?.map((c) => c.queuename)).toEqual(['root.a', 'root.t']);
    const t = root.children?.[1];
    expect(t).toMatchObject({ isLeaf: false, template: { maxApplications: 2, maxResource: { vcore: 1000 } }, headroom: root.headroom, currentPriority: INT32_MIN });
    expect(t).not.toHaveProperty('childNames');
  });

  it('lists children only with subtree, and shows dynamic queues made from the template', () => {
    const h = scheduled();
    h.app('y', 'root.t.dyn');
    const p = h.partition();
    expect(queueView(p, 'root.t', { subtree: false })).toMatchObject({ childNames: ['root.t.dyn'] });
    expect(queueView(p, 'root.t', { subtree: false })).not.toHaveProperty('children');
    expect(queueView(p, 'root.t', { subtree: true })?.children?.map((c) => c.queuename)).toEqual(['root.t.dyn']);
    expect(json(queueView(p, 'root.t.dyn', { subtree: false }))).toMatchObject({
      queuename: 'root.t.dyn',
      isLeaf: true,
      isManaged: false,
      maxResource: { vcore: 1000 },
      maxRunningApps: 2,
      sortingPolicy: 'fifo',
      parent: 'root.t',
    });
  });

  it('finds queues in any case, and none that does not exist', () => {
    const h = scheduled();
    expect(queueView(h.partition(), 'ROOT.A', { subtree: false })?.queuename).toBe('root.a');
    expect(queueView(h.partition(), 'root.nope', { subtree: false })).toBeNull();
  });

  it('shows a queue removed from the configuration as Draining', () => {
    const h = scheduled();
    expect(h.s.updateConfig(OPEN('          - {name: b}\n')).ok).toBe(true);
    expect(queueView(h.partition(), 'root.a', { subtree: false })?.status).toBe('Draining');
    expect(queueView(h.partition(), 'root.b', { subtree: false })?.status).toBe('Active');
  });

  it('has no max, headroom or usage percent without nodes', () => {
    const h = harness(QUEUES);
    const root = queuesView(h.partition());
    expect(root).not.toHaveProperty('maxResource');
    expect(root).not.toHaveProperty('headroom');
    expect(root).not.toHaveProperty('absUsedCapacity');
    // root.a still has its own max
    expect(root.children?.[0]?.headroom).toEqual({ memory: 4 * GiB, vcore: 2000 });
  });
});

import { describe, expect, it } from 'vitest';
import { mustLoad } from '../config/test-helpers.js';
import { asApplicationId } from '../port.js';
import { QueueTree } from './queue-tree.js';

const rootOf = (yaml: string) => {
  const p = mustLoad(yaml).partitions[0];
  if (p === undefined) throw new Error('no partition');
  return p.root;
};

describe('queue tree', () => {
  it('builds managed queues with inherited properties', () => {
    const tree = new QueueTree(rootOf(`
partitions:
  - queues:
      - name: root
        properties: {application.sort.policy: fair, priority.offset: "5"}
        queues:
          - {name: a, properties: {priority.offset: "1"}}
          - name: b
            resources: {max: {vcore: 2}}
`));
    expect(tree.get('root.a')).toMatchObject({ isLeaf: true, isManaged: true, sortPolicy: 'fair', priorityOffset: 1 });
    // priority.offset describes the queue itself and is not inherited
    expect(tree.get('root.b')).toMatchObject({ sortPolicy: 'fair', priorityOffset: 0 });
    expect(tree.get('root.b')?.settings.max).toEqual({ vcore: 2000 });
  });

  it('creates dynamic queues from the parent child template and prunes them when empty', () => {
    const tree = new QueueTree(rootOf(`
partitions:
  - queues:
      - name: root
        queues:
          - name: tenants
            parent: true
            childtemplate: {maxapplications: 3, resources: {max: {memory: 1Gi}}}
`));
    const r = tree.createDynamic('root.tenants.team-a');
    if (!r.ok) expect.fail(r.reason);
    expect(r.queue).toMatchObject({ path: 'root.tenants.team-a', isLeaf: true, isManaged: false });
    expect(r.queue.settings).toMatchObject({ maxApplications: 3, max: { memory: 2 ** 30 } });
    tree.prune();
    expect(tree.get('root.tenants.team-a')).toBeUndefined();
  });

  it('refuses to create a queue below a leaf', () => {
    const tree = new QueueTree(rootOf('partitions:\n  - queues: [{name: root, queues: [{name: leaf}]}]\n'));
    expect(tree.createDynamic('root.leaf.x').ok).toBe(false);
  });

  it('drains a removed queue that still has applications, and removes it once empty', () => {
    const tree = new QueueTree(rootOf('partitions:\n  - queues: [{name: root, queues: [{name: a}, {name: b}]}]\n'));
    tree.get('root.a')?.applications.add(asApplicationId('app-1'));
    tree.update(rootOf('partitions:\n  - queues: [{name: root, queues: [{name: b}, {name: c}]}]\n'));
    expect(tree.get('root.a')?.status).toBe('Draining');
    expect(tree.get('root.c')).toMatchObject({ status: 'Active', isManaged: true });
    tree.get('root.a')?.applications.clear();
    tree.prune();
    expect(tree.get('root.a')).toBeUndefined();
  });

  it('reactivates a draining queue that comes back', () => {
    const tree = new QueueTree(rootOf('partitions:\n  - queues: [{name: root, queues: [{name: a}]}]\n'));
    tree.get('root.a')?.applications.add(asApplicationId('app-1'));
    tree.update(rootOf('partitions:\n  - queues: [{name: root}]\n'));
    tree.update(rootOf('partitions:\n  - queues: [{name: root, queues: [{name: a, maxapplications: 2}]}]\n'));
    expect(tree.get('root.a')).toMatchObject({ status: 'Active', settings: { maxApplications: 2 } });
  });
});

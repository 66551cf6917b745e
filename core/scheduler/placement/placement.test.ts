import { describe, expect, it } from 'vitest';
import { mustLoad } from '../../config/test-helpers.js';
import { asApplicationId } from '../../port.js';
import type { ApplicationInfo } from '../../port.js';
import { QueueTree } from '../queue-tree.js';
import { PlacementManager } from './placement.js';

function setup(yaml: string) {
  const p = mustLoad(yaml).partitions[0];
  if (p === undefined) throw new Error('no partition');
  return { tree: new QueueTree(p.root), placement: new PlacementManager(p.placementRules) };
}

const app = (over: Partial<ApplicationInfo> = {}): ApplicationInfo => ({
  applicationId: asApplicationId('app-1'),
  user: { user: 'alice', groups: ['data'] },
  tags: { namespace: 'team-a' },
  ...over,
});

const CONFIG = `
partitions:
  - placementrules:
      - {name: provided, create: false}
      - name: user
        create: true
        filter: {type: deny, users: ["^sys-"]}
        parent: {name: fixed, value: root.users}
      - {name: tag, value: namespace, create: true, parent: {name: tag, value: namespace.parentqueue}}
      - {name: fixed, value: root.default, create: true}
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: users, parent: true}
          - {name: tenants, parent: true}
          - {name: locked, submitacl: " admins", queues: [{name: vault}]}
          - {name: batch}
`;

describe('placement', () => {
  it.each([
    // provided: the queue the application names, if it exists (create: false)
    { name: 'provided, existing', info: { queue: 'root.batch' }, queue: 'root.batch' },
    { name: 'provided, unqualified', info: { queue: 'batch' }, queue: 'root.batch' },
    // provided names a missing queue and may not create it: next rule, user under root.users
    { name: 'provided, missing: falls to the user rule', info: { queue: 'root.nope' }, queue: 'root.users.alice' },
    { name: 'user rule with dots replaced', info: { user: { user: 'jane.doe', groups: [] } }, queue: 'root.users.jane_dot_doe' },
    // the user filter denies sys-*: the tag rule has no parentqueue tag, so the fixed rule wins
    { name: 'filtered user falls through to fixed', info: { user: { user: 'sys-bot', groups: [] } }, queue: 'root.default' },
    { name: 'tag rule with a parent from a tag', info: { user: { user: 'sys-bot', groups: [] }, tags: { namespace: 'ns1', 'namespace.parentqueue': 'root.tenants' } }, queue: 'root.tenants.ns1' },
  ])('$name -> $queue', ({ info, queue }) => {
    const { tree, placement } = setup(CONFIG);
    const r = placement.place(app(info), tree);
    expect(r.ok && r.queue.path).toBe(queue);
  });

  it('creates dynamic queues that are not managed', () => {
    const { tree, placement } = setup(CONFIG);
    const r = placement.place(app(), tree);
    if (!r.ok) expect.fail(r.reason);
    expect(r.queue).toMatchObject({ path: 'root.users.alice', isLeaf: true, isManaged: false });
    expect(tree.get('root.users.alice')).toBe(r.queue);
  });

  it('checks the submit ACL up the tree', () => {
    const { tree, placement } = setup(`
partitions:
  - placementrules: [{name: provided}]
    queues:
      - name: root
        queues:
          - {name: open, submitacl: "*"}
          - {name: locked, submitacl: " admins"}
`);
    expect(placement.place(app({ queue: 'root.open' }), tree).ok).toBe(true);
    const denied = placement.place(app({ queue: 'root.locked' }), tree);
    expect(denied.ok).toBe(false);
    const admin = placement.place(app({ queue: 'root.locked', user: { user: 'bob', groups: ['admins'] } }), tree);
    expect(admin.ok).toBe(true);
  });

  it('rejects with the reason of every rule when nothing matches', () => {
    const { tree, placement } = setup(`
partitions:
  - placementrules: [{name: provided}, {name: tag, value: namespace}]
    queues: [{name: root, submitacl: "*"}]
`);
    const r = placement.place(app({ tags: {} }), tree);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/provided.*tag/);
  });

  it('without rules uses the named queue, else root.default', () => {
    const { tree, placement } = setup('partitions:\n  - queues: [{name: root, submitacl: "*", queues: [{name: a}]}]\n');
    expect(placement.place(app({ queue: 'root.a' }), tree)).toMatchObject({ ok: true, queue: { path: 'root.a' } });
    expect(placement.place(app(), tree)).toMatchObject({ ok: true, queue: { path: 'root.default' } });
  });
});

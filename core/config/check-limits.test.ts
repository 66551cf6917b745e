import { describe, expect, it } from 'vitest';
import { errorsOf, warningsOf } from './test-helpers.js';

/** Partition-level limits (checked against root). */
const partitionLimits = (limits: string) => `partitions:\n  - queues: [{name: root}]\n    limits:\n${limits}`;

describe('one list of limits', () => {
  it.each([
    { name: 'a user limit', limits: '      - {users: [alice], maxapplications: 2}\n', errors: [] },
    { name: 'users with dots, @ and $', limits: '      - {users: [a.b, "c@d", "svc$"], maxapplications: 2}\n', errors: [] },
    { name: 'no users or groups', limits: '      - {maxapplications: 2}\n', errors: [{ code: 'limit-no-users-or-groups', path: 'partitions[0].limits[0]' }] },
    { name: 'an invalid user', limits: '      - {users: ["user space"], maxapplications: 2}\n', errors: [{ code: 'limit-user-invalid', path: 'partitions[0].limits[0].users[0]' }] },
    { name: 'an invalid group', limits: '      - {groups: ["g@x"], maxapplications: 2}\n', errors: [{ code: 'limit-group-invalid', path: 'partitions[0].limits[0].groups[0]' }] },
    { name: 'a user twice', limits: '      - {users: [a], maxapplications: 2}\n      - {users: [a], maxapplications: 3}\n', errors: [{ code: 'limit-user-duplicate', path: 'partitions[0].limits[1].users[0]' }] },
    { name: 'a user after the wildcard', limits: '      - {users: ["*"], maxapplications: 2}\n      - {users: [a], maxapplications: 3}\n', errors: [{ code: 'limit-user-after-wildcard', path: 'partitions[0].limits[1].users[0]' }] },
    { name: 'two wildcard groups', limits: '      - {groups: [g], maxapplications: 1}\n      - {groups: ["*"], maxapplications: 2}\n      - {groups: ["*"], maxapplications: 3}\n', errors: [{ code: 'limit-group-duplicate', path: 'partitions[0].limits[2].groups[0]' }] },
    { name: 'a wildcard group alone', limits: '      - {groups: ["*"], maxapplications: 2}\n', errors: [{ code: 'limit-wildcard-group-only', path: 'partitions[0].limits[0].groups[0]' }] },
    { name: 'a named group then the wildcard', limits: '      - {groups: [g], maxapplications: 1}\n      - {groups: ["*"], maxapplications: 2}\n', errors: [] },
    { name: 'all-zero maxresources', limits: '      - {users: [a], maxresources: {memory: 0}}\n', errors: [{ code: 'limit-maxresources-zero', path: 'partitions[0].limits[0].maxresources' }] },
    { name: 'neither resources nor applications', limits: '      - {users: [a], maxresources: {}}\n', errors: [{ code: 'limit-empty', path: 'partitions[0].limits[0]' }] },
    { name: 'a bad quantity is reported once', limits: '      - {users: [a], maxresources: {memory: x}}\n', errors: [{ code: 'quantity-invalid', path: 'partitions[0].limits[0].maxresources.memory' }] },
  ])('$name', ({ limits, errors }) => {
    expect(errorsOf(partitionLimits(limits))).toEqual(errors);
  });

  it('keeps a limit within its queue', () => {
    expect(errorsOf(`
partitions:
  - queues:
      - name: a
        maxapplications: 10
        resources: {max: {memory: 100}}
        limits:
          - {users: [u], maxapplications: 11, maxresources: {memory: 101}}
`)).toEqual([
      { code: 'limit-maxapps-above-queue', path: 'partitions[0].queues[0].limits[0].maxapplications' },
      { code: 'limit-maxresources-above-queue', path: 'partitions[0].queues[0].limits[0].maxresources' },
    ]);
  });
});

describe('limits down the tree', () => {
  const tree = (root: string, a: string, leaf: string) => `
partitions:
  - queues:
      - name: root
        limits: ${root}
        queues:
          - name: a
            limits: ${a}
            queues:
              - name: leaf
                limits: ${leaf}
`;
  it.each([
    {
      name: 'a child within its parent',
      yaml: tree('[{users: [u], maxapplications: 10}]', '[]', '[{users: [u], maxapplications: 5}]'),
      errors: [],
    },
    {
      // a has no limits, so root's 10 applies to leaf: 20 > 10
      name: 'a parent without limits passes its own parent on',
      yaml: tree('[{users: [u], maxapplications: 10}]', '[]', '[{users: [u], maxapplications: 20}]'),
      errors: [{ code: 'limit-maxapps-above-parent', path: 'partitions[0].queues[0].queues[0].queues[0].limits[0].maxapplications' }],
    },
    {
      name: 'a child without maxapplications under a parent with some',
      yaml: tree('[{users: [u], maxapplications: 10}]', '[{users: [u], maxresources: {vcore: 1}}]', '[]'),
      errors: [{ code: 'limit-maxapps-above-parent', path: 'partitions[0].queues[0].queues[0].limits[0].maxapplications' }],
    },
    {
      // 2 cores > 1 core on root for the wildcard user
      name: 'wildcard resources above the parent',
      yaml: tree('[{users: ["*"], maxresources: {vcore: 1}}]', '[{users: ["*"], maxresources: {vcore: 2}}]', '[]'),
      errors: [{ code: 'limit-maxresources-above-parent', path: 'partitions[0].queues[0].queues[0].limits[0].maxresources' }],
    },
    {
      name: 'a group limit is compared with the same group only',
      yaml: tree('[{groups: [g], maxapplications: 1}, {groups: ["*"], maxapplications: 1}]', '[{groups: [h], maxapplications: 5}]', '[]'),
      errors: [],
    },
  ])('$name', ({ yaml, errors }) => {
    expect(errorsOf(yaml)).toEqual(errors);
  });

  it('warns where YuniKorn does not compare with a more distant ancestor', () => {
    // a has limits, but none for u: YuniKorn compares leaf with a only, and accepts.
    const yaml = tree('[{users: [u], maxapplications: 10}]', '[{users: [v], maxapplications: 1}]', '[{users: [u], maxapplications: 20}]');
    expect(errorsOf(yaml)).toEqual([]);
    expect(warningsOf(yaml)).toEqual([{ code: 'limit-above-distant-ancestor', path: 'partitions[0].queues[0].queues[0].queues[0].limits[0].maxapplications' }]);
  });
});

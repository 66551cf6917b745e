import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES_YAML } from './default.js';
import { configChecksum } from './checksum.js';
import { loadConfig } from './load.js';
import { errorsOf, issuesOf, mustLoad, warningsOf } from './test-helpers.js';

describe('loadConfig: the normalised result', () => {
  it('inserts root above several top-level queues and lower-cases names', () => {
    const config = mustLoad(`
partitions:
  - name: Default
    queues:
      - name: Production
        resources:
          guaranteed: {memory: 1Gi, vcore: 2}
          max: {memory: 4Gi, vcore: 2500m}
      - name: test
`);
    const p = config.partitions[0];
    expect(p?.name).toBe('default');
    expect(p?.root.path).toBe('root');
    expect(p?.root.parent).toBe(true);
    expect(p?.root.queues.map((q) => q.path)).toEqual(['root.production', 'root.test']);
    // 2 cores = 2000 millicores; 2500m = 2500 millicores; 1Gi = 2^30 bytes
    expect(p?.root.queues[0]?.guaranteed).toEqual({ memory: 2 ** 30, vcore: 2000 });
    expect(p?.root.queues[0]?.max).toEqual({ memory: 4 * 2 ** 30, vcore: 2500 });
    expect(p?.root.queues[1]?.parent).toBe(false);
  });

  it('inserts root above a single queue that is not root', () => {
    const config = mustLoad(`
partitions:
  - name: default
    queues:
      - name: only
`);
    expect(config.partitions[0]?.root.queues.map((q) => q.path)).toEqual(['root.only']);
  });

  it('keeps an explicit root and makes a queue with children a parent', () => {
    const config = mustLoad(`
partitions:
  - queues:
      - name: ROOT
        parent: false
        queues:
          - name: a
            queues:
              - name: b
`);
    const root = config.partitions[0]?.root;
    expect(root?.name).toBe('root');
    expect(root?.parent).toBe(true);
    expect(root?.queues[0]?.parent).toBe(true);
    expect(root?.queues[0]?.queues[0]?.path).toBe('root.a.b');
  });

  it('fills in the defaults YuniKorn uses', () => {
    const p = mustLoad(DEFAULT_QUEUES_YAML).partitions[0];
    expect(p?.preemption).toEqual({ enabled: true, quotaPreemptionEnabled: false });
    expect(p?.nodeSortPolicy).toEqual({ type: 'fair', resourceWeights: { vcore: 1, memory: 1 } });
    expect(p?.userGroupResolver).toEqual({ type: 'os', args: {} });
    expect(p?.root.submitAcl.allowAll).toBe(true);
    expect(p?.root.adminAcl).toMatchObject({ allowAll: false, users: [], groups: [] });
    expect(p?.placementRules).toEqual([
      { name: 'tag', create: true, value: 'namespace', filter: { type: 'allow', users: { kind: 'none' }, groups: { kind: 'none' } }, parent: null },
    ]);
  });

  it('reads partition settings', () => {
    const p = mustLoad(`
partitions:
  - name: gpu
    preemption: {enabled: no, quotapreemptionenabled: yes}
    nodesortpolicy:
      type: binpacking
      resourceweights: {vcore: 2.0, nvidia.com/gpu: 5}
    usergroupresolver:
      type: ldap
      args: {host: ldap.example.com}
    queues:
      - name: root
`).partitions[0];
    expect(p?.name).toBe('gpu');
    expect(p?.preemption).toEqual({ enabled: false, quotaPreemptionEnabled: true });
    expect(p?.nodeSortPolicy).toEqual({ type: 'binpacking', resourceWeights: { vcore: 2, 'nvidia.com/gpu': 5 } });
    expect(p?.userGroupResolver).toEqual({ type: 'ldap', args: { host: 'ldap.example.com' } });
  });

  it('reads limits, ACLs, templates and rule chains', () => {
    const p = mustLoad(`
partitions:
  - name: default
    placementrules:
      - name: user
        create: true
        filter:
          type: deny
          users: ["^sys-.*$"]
        parent:
          name: fixed
          value: root.users
    limits:
      - limit: everyone
        users: ["*"]
        maxapplications: 10
    queues:
      - name: root
        adminacl: "admin ops,sre"
        queues:
          - name: users
            parent: true
            childtemplate:
              maxapplications: 5
              resources:
                max: {memory: 8Gi}
            limits:
              - limit: data team
                groups: [data]
                maxresources: {vcore: 10}
`).partitions[0];
    expect(p?.root.adminAcl).toMatchObject({ allowAll: false, users: ['admin'], groups: ['ops', 'sre'] });
    const users = p?.root.queues[0];
    expect(users?.childTemplate).toEqual({ maxApplications: 5, properties: {}, guaranteed: {}, max: { memory: 8 * 2 ** 30 } });
    expect(users?.limits).toEqual([{ description: 'data team', users: [], groups: ['data'], maxResources: { vcore: 10_000 }, maxApplications: 0 }]);
    expect(p?.limits[0]).toMatchObject({ users: ['*'], maxApplications: 10 });
    const rule = p?.placementRules[0];
    expect(rule).toMatchObject({ name: 'user', create: true, filter: { type: 'deny', users: { kind: 'regexp', pattern: '^sys-.*$' } } });
    expect(rule?.parent).toMatchObject({ name: 'fixed', value: 'root.users', parent: null });
  });

  it('returns a frozen configuration', () => {
    const config = mustLoad(DEFAULT_QUEUES_YAML);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.partitions[0]?.root.properties)).toBe(true);
    expect(Object.isFrozen(config.partitions[0]?.placementRules)).toBe(true);
  });

  it('decodes scalars as the Go decoder does: string fields take the text as written', () => {
    const root = mustLoad(`
partitions:
  - queues:
      - name: root
        properties:
          priority.offset: 010
          custom: 0x1F
          flag: true
`).partitions[0]?.root;
    expect(root?.properties).toEqual({ 'priority.offset': '010', custom: '0x1F', flag: 'true' });
  });

  it('accepts the YAML 1.1 booleans that Go accepts for bool fields', () => {
    expect(errorsOf(`
partitions:
  - placementrules:
      - {name: tag, value: namespace, create: yes}
      - {name: user, create: Off}
    queues: [{name: root}]
`)).toEqual([]);
  });

  it('accepts the empty configuration as YuniKorn does, with a warning', () => {
    const r = loadConfig('');
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.code)).toEqual(['config-empty']);
  });

  it('computes the checksum as YuniKorn does, ignoring a checksum line', () => {
    const text = 'partitions:\n  - queues: [{name: root}]\n';
    const withSum = `${text}checksum: ${'A'.repeat(64)}\n`;
    expect(mustLoad(text).checksum).toMatch(/^[0-9A-F]{64}$/);
    expect(mustLoad(withSum).checksum).toBe(configChecksum(text + '\n'));
  });
});

describe('loadConfig: reporting', () => {
  it('reports every problem, not only the first, each with its own path', () => {
    expect(errorsOf(`
partitions:
  - name: default
    queues:
      - name: root
        queues:
          - name: bad.name
          - name: a
            resources:
              max: {memory: lots}
            adminacl: "a b c"
    placementrules:
      - name: fixed
        value: root.missing
        create: false
`)).toEqual([
      { code: 'queue-name-invalid', path: 'partitions[0].queues[0].queues[0].name' },
      { code: 'quantity-invalid', path: 'partitions[0].queues[0].queues[1].resources.max.memory' },
      { code: 'acl-invalid', path: 'partitions[0].queues[0].queues[1].adminacl' },
      { code: 'rule-queue-missing', path: 'partitions[0].placementrules[0]' },
    ]);
  });

  it('gives the line and column of the offending node', () => {
    const r = loadConfig('partitions:\n  - queues:\n      - name: root\n        resources:\n          max: {memory: 1Gi}\n');
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'root-resources', path: 'partitions[0].queues[0].resources', line: 5, column: 11 }),
    ]);
  });

  it('points unknown keys at the key and suggests the right one', () => {
    const r = loadConfig('partitions:\n  - queues:\n      - name: root\n        maxApplications: 4\n');
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'unknown-key', path: 'partitions[0].queues[0].maxApplications', line: 4, column: 9 }),
    ]);
    expect(r.issues[0]?.message).toContain("did you mean 'maxapplications'");
  });

  it.each([
    { name: 'a removed key', yaml: 'partitions:\n  - statedumpfilepath: /tmp/x\n    queues: [{name: root}]\n', code: 'removed-key', path: 'partitions[0].statedumpfilepath' },
    { name: 'the retired children key', yaml: 'partitions:\n  - queues:\n      - name: root\n        children: []\n', code: 'removed-key', path: 'partitions[0].queues[0].children' },
    { name: 'a string where a list is', yaml: 'partitions:\n  - queues: root\n', code: 'wrong-type', path: 'partitions[0].queues' },
    { name: 'a negative maxapplications', yaml: 'partitions:\n  - queues:\n      - {name: root, maxapplications: -1}\n', code: 'wrong-type', path: 'partitions[0].queues[0].maxapplications' },
    { name: 'a quoted maxapplications', yaml: 'partitions:\n  - queues:\n      - {name: root, maxapplications: "5"}\n', code: 'wrong-type', path: 'partitions[0].queues[0].maxapplications' },
    { name: 'a mapping where a string is', yaml: 'partitions:\n  - queues:\n      - {name: {a: 1}}\n', code: 'wrong-type', path: 'partitions[0].queues[0].name' },
    { name: 'a duplicate key', yaml: 'partitions:\n  - queues:\n      - name: root\n        name: other\n', code: 'yaml-duplicate-key', path: 'partitions[0].queues[0].name' },
    { name: 'broken YAML', yaml: 'partitions:\n  - name: "x\n', code: 'yaml-syntax', path: '' },
  ])('rejects $name', ({ yaml, code, path }) => {
    expect(errorsOf(yaml)).toContainEqual({ code, path });
  });

  it('reads only the first YAML document, with a warning', () => {
    expect(issuesOf('partitions:\n  - queues: [{name: root}]\n---\nother: 1\n')).toEqual([
      { severity: 'warning', code: 'yaml-multiple-documents', path: '' },
    ]);
  });

  it('resolves anchors, aliases and merge keys', () => {
    const root = mustLoad(`
partitions:
  - queues:
      - name: root
        queues:
          - name: a
            resources: &small
              max: {memory: 1Gi}
          - name: b
            resources: *small
          - name: c
            properties:
              <<: {application.sort.policy: fair, priority.offset: "1"}
              priority.offset: "2"
`).partitions[0]?.root;
    expect(root?.queues[1]?.max).toEqual({ memory: 2 ** 30 });
    expect(root?.queues[2]?.properties).toEqual({ 'application.sort.policy': 'fair', 'priority.offset': '2' });
  });
});

describe('loadConfig: warnings where YuniKorn is silent', () => {
  it.each([
    { name: 'cpu instead of vcore', yaml: 'partitions:\n  - queues:\n      - name: a\n        resources: {max: {cpu: 4}}\n', code: 'resource-cpu-key', path: 'partitions[0].queues[0].resources.max.cpu' },
    { name: 'an unknown sort policy', yaml: 'partitions:\n  - queues:\n      - name: root\n        properties: {application.sort.policy: FAIR}\n', code: 'property-value-invalid', path: 'partitions[0].queues[0].properties["application.sort.policy"]' },
    { name: 'a bad preemption delay', yaml: 'partitions:\n  - queues:\n      - name: root\n        properties: {preemption.delay: soon}\n', code: 'property-value-invalid', path: 'partitions[0].queues[0].properties["preemption.delay"]' },
    { name: 'a misspelt property', yaml: 'partitions:\n  - queues:\n      - name: root\n        properties: {application.sort.polcy: fair}\n', code: 'property-key-unknown', path: 'partitions[0].queues[0].properties["application.sort.polcy"]' },
    { name: 'an ignored ACL entry', yaml: 'partitions:\n  - queues:\n      - name: root\n        submitacl: "bob,9lives"\n', code: 'acl-entry-ignored', path: 'partitions[0].queues[0].submitacl' },
    { name: 'a child template on a leaf', yaml: 'partitions:\n  - queues:\n      - name: a\n        childtemplate: {maxapplications: 2}\n', code: 'child-template-on-leaf', path: 'partitions[0].queues[0].childtemplate' },
    { name: 'an unknown user group resolver', yaml: 'partitions:\n  - usergroupresolver: {type: kerberos}\n    queues: [{name: root}]\n', code: 'user-group-resolver-unknown', path: 'partitions[0].usergroupresolver.type' },
  ])('$name', ({ yaml, code, path }) => {
    expect(errorsOf(yaml)).toEqual([]);
    expect(warningsOf(yaml)).toContainEqual({ code, path });
  });

  it('does not warn about custom properties that are not near a known one', () => {
    expect(issuesOf('partitions:\n  - queues:\n      - name: root\n        properties: {sample: value2, team: data}\n')).toEqual([]);
  });
});

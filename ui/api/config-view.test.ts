/**
 * The configuration rebuilt from the loaded model: what `/ws/v1/config` gives must load back to the
 * same configuration, whatever the queues.yaml used (templates, limits, ACLs, filters, parent rules).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load.js';
import { mustLoad } from '../../core/config/test-helpers.js';
import { configDocument, configYaml } from './config-view.js';

const RICH = `
partitions:
  - name: default
    nodesortpolicy: {type: binpacking, resourceweights: {vcore: 2.5, memory: 1}}
    preemption: {enabled: false}
    placementrules:
      - name: tag
        value: namespace
        create: true
        parent: {name: fixed, value: root.tenants}
      - name: user
        filter: {type: deny, users: ["^sys-.*$"], groups: [admins]}
      - name: provided
    limits:
      - limit: everyone
        users: ["*"]
        maxapplications: 100
    queues:
      - name: root
        submitacl: "*"
        adminacl: "admin admins"
        properties: {application.sort.policy: fair}
        queues:
          - name: tenants
            parent: true
            resources: {guaranteed: {vcore: 1500m, memory: 2Gi}, max: {vcore: 10, memory: 20Gi, nvidia.com/gpu: 2}}
            childtemplate:
              maxapplications: 5
              properties: {priority.offset: "3"}
              resources: {max: {vcore: 2}}
            limits:
              - limit: team
                groups: [dev, ops]
                maxresources: {memory: 8Gi}
          - name: batch
            maxapplications: 12
            properties: {preemption.delay: 90s}
  - name: second
    queues:
      - name: root
`;

describe('configYaml', () => {
  it.each([
    { name: 'the built-in default', yaml: 'partitions:\n  - name: default\n    placementrules: [{name: tag, value: namespace, create: true}]\n    queues: [{name: root, submitacl: "*"}]\n' },
    { name: 'a configuration using every section', yaml: RICH },
  ])('loads back to the same configuration: $name', ({ yaml }) => {
    const config = mustLoad(yaml);
    const text = configYaml(config);
    const again = loadConfig(text);
    if (!again.ok) return expect.fail(`${text}\n${JSON.stringify(again.issues)}`);
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(again.config.partitions).toEqual(config.partitions);
  });

  it('spells the fields as YuniKorn does: lower-case in YAML, Go names in JSON', () => {
    const config = mustLoad(RICH);
    const yaml = configDocument(config, 'yaml');
    const json = configDocument(config, 'json');
    expect(Object.keys(yaml)).toEqual(['partitions', 'checksum']);
    expect(Object.keys(json)).toEqual(['Partitions', 'Checksum']);
    expect(json).toMatchObject({
      Partitions: [
        {
          Name: 'default',
          PlacementRules: [{ Name: 'tag', Create: true, Value: 'namespace', Parent: { Name: 'fixed', Value: 'root.tenants' } }, { Name: 'user', Filter: { Type: 'deny', Users: ['^sys-.*$'], Groups: ['admins'] } }, { Name: 'provided' }],
          Limits: [{ Limit: 'everyone', Users: ['*'], MaxApplications: 100 }],
          NodeSortPolicy: { Type: 'binpacking', ResourceWeights: { memory: 1, vcore: 2.5 } },
          Queues: [{ Name: 'root', SubmitACL: '*', AdminACL: 'admin admins', Queues: [{ Name: 'tenants', Parent: true, Resources: { Guaranteed: { memory: String(2 * 2 ** 30), vcore: '1500m' } }, ChildTemplate: { MaxApplications: 5 } }, { Name: 'batch', MaxApplications: 12 }] }],
        },
        { Name: 'second', Queues: [{ Name: 'root' }] },
      ],
    });
  });
});

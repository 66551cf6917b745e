/**
 * Partitions, clusters and node utilisation histograms through the port.
 */
import { describe, expect, it } from 'vitest';
import { nodeUtilizationsView } from './node-utilization.js';
import { clustersView, partitionsView } from './partitions.js';
import { GiB, OPEN, harness, json } from './test-helpers.js';

const S = 1e9;

function cluster() {
  const h = harness(OPEN());
  h.node('n1', 4, 8);
  h.node('n2', 2, 4, { schedulable: false }); // cordoned: not part of the cluster size
  h.app('x', 'root.a');
  h.app('idle', 'root.b'); // no asks: stays Accepted
  h.app('lost', 'root.a.deeper'); // root.a is a leaf: rejected
  h.ask('x1', 'x', { vcore: 1000, memory: 2 * GiB });
  h.s.schedule();
  return h;
}

describe('partitionsView', () => {
  it('gives PartitionInfo with the size, usage, counts and state', () => {
    const h = cluster();
    expect(json(partitionsView(h.s, 'mycluster'))).toEqual([
      {
        clusterId: 'mycluster',
        name: 'default',
        capacity: {
          capacity: { memory: 8 * GiB, pods: 110, vcore: 4000 }, // n1 only
          usedCapacity: { memory: 2 * GiB, pods: 1, vcore: 1000 },
          utilization: { memory: 25, pods: 0, vcore: 25 }, // 2 of 8 GiB, 1 of 110 pods (0.9), 1 of 4 cores
        },
        nodeSortingPolicy: { type: 'fair', resourceWeights: { memory: 1, vcore: 1 } },
        preemptionEnabled: true,
        quotaPreemptionEnabled: false,
        totalNodes: 2, // cordoned nodes count here, as in YuniKorn
        applications: { Accepted: 1, Rejected: 1, Running: 1, total: 3 },
        totalContainers: 1,
        state: 'Active',
        lastStateTransitionTime: 1 * S,
      },
    ]);
  });

  it('leaves out what is empty', () => {
    const h = harness(OPEN('', '    nodesortpolicy: {type: binpacking, resourceweights: {vcore: 2}}\n    preemption: {enabled: false}\n'));
    expect(json(partitionsView(h.s, 'c'))).toEqual([
      {
        clusterId: 'c',
        name: 'default',
        capacity: {},
        nodeSortingPolicy: { type: 'binpacking', resourceWeights: { vcore: 2 } },
        preemptionEnabled: false,
        quotaPreemptionEnabled: false,
        applications: { total: 0 },
        state: 'Active',
        lastStateTransitionTime: 1 * S,
      },
    ]);
  });
});

describe('clustersView', () => {
  it('gives one entry per partition with the start time', () => {
    const h = cluster();
    expect(json(clustersView(h.s, [{ buildVersion: '1.0' }]))).toEqual([{ startTime: 1 * S, rmBuildInformation: [{ buildVersion: '1.0' }], partition: 'default', clusterName: 'kubernetes' }]);
  });
});

describe('nodeUtilizationsView', () => {
  it('puts each node in a bucket per resource type', () => {
    const h = cluster();
    h.node('n3', 4, 8);
    h.app('z', 'root.b');
    h.ask('z1', 'z', { vcore: 4000 }); // fair: n3 is the least used; it fills it
    h.s.schedule();
    const buckets = (counts: Record<number, string[]>) =>
      Array.from({ length: 10 }, (_, i) => {
        const names = counts[i];
        return { bucketName: `${i * 10}-${(i + 1) * 10}%`, ...(names === undefined ? {} : { numOfNodes: names.length, nodeNames: names }) };
      });
    expect(json(nodeUtilizationsView(h.s, 'mycluster'))).toEqual([
      {
        clusterId: 'mycluster',
        partition: 'default',
        utilizations: [
          // n1: 2 of 8 GiB = 25 % -> 20-30 %; n2 and n3: no memory allocated -> 0-10 %
          { type: 'memory', utilization: buckets({ 0: ['n2', 'n3'], 2: ['n1'] }) },
          // 1 or 0 pods of 110: all in 0-10 %
          { type: 'pods', utilization: buckets({ 0: ['n1', 'n2', 'n3'] }) },
          // n1: 1 of 4 cores = 25 %; n3: 4 of 4 = 100 % -> 90-100 %
          { type: 'vcore', utilization: buckets({ 0: ['n2'], 2: ['n1'], 9: ['n3'] }) },
        ],
      },
    ]);
  });
});

/**
 * Node utilisation histograms as YuniKorn's `/ws/v1/scheduler/node-utilizations` computes them: per
 * partition, per resource type a node advertises, ten buckets `0-10%` ... `90-100%` counting nodes by the
 * percent of that type allocated. A node at u percent (truncated) goes to bucket max(ceil(u / 10) - 1, 0):
 * 0-10 % to the first, 11-20 % to the second, ..., 91-100 % to the last; a node that allocated none of the
 * type counts in the first. Over 100 % (recovered pods can overbook a node) stays in the last bucket, where
 * YuniKorn would index past its array.
 */
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Partition } from '../scheduler/partition.js';
import type { NodeUtilBucketDao, PartitionNodesUtilDao } from './dao.js';
import { absUsedCapacity, byteOrder, omitEmpty } from './json.js';

const BUCKETS = 10;

export function bucketName(i: number): string {
  return `${i * 10}-${(i + 1) * 10}%`;
}

/** The bucket of a node at `percent` used. */
export function bucketOf(percent: number): number {
  return Math.min(BUCKETS - 1, Math.max(Math.ceil(percent / 10) - 1, 0));
}

function partitionUtilization(p: Partition, clusterId: string): PartitionNodesUtilDao {
  const byType = new Map<string, string[][]>();
  const nodes = [...p.nodes.byId.values()].sort((a, b) => byteOrder(a.id, b.id));
  for (const node of nodes) {
    const capacity = node.info.capacity;
    const percent = absUsedCapacity(capacity, node.allocated);
    for (const type of Object.keys(capacity)) {
      let buckets = byType.get(type);
      if (buckets === undefined) {
        buckets = Array.from({ length: BUCKETS }, () => []);
        byType.set(type, buckets);
      }
      const used = percent[type];
      buckets[used === undefined ? 0 : bucketOf(used)]?.push(node.id);
    }
  }
  const utilizations = [...byType.entries()]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([type, buckets]) => ({
      type,
      utilization: buckets.map((names, i): NodeUtilBucketDao => ({ bucketName: bucketName(i), ...omitEmpty('numOfNodes', names.length), ...omitEmpty('nodeNames', names) })),
    }));
  return { clusterId, partition: p.name, ...omitEmpty('utilizations', utilizations) };
}

/** One entry per partition. */
export function nodeUtilizationsView(s: Scheduler, clusterId: string): PartitionNodesUtilDao[] {
  return s.partitions().map((p) => partitionUtilization(p, clusterId));
}

/**
 * Nodes as YuniKorn's NodeDAOInfo: capacity, what drover allocated, what other schedulers occupy, what is
 * left (capacity - occupied - allocated, zeros kept), the percent allocated per type, the allocations on
 * the node and the reservation holding it. Host and rack names are what YuniKorn's Kubernetes shim reports:
 * the node's hostname label (else its id) and the default rack.
 */
import { asNodeId } from '../port.js';
import type { MutableResource } from '../resources/resource.js';
import type { AllocationRecord } from '../scheduler/application.js';
import type { NodeState } from '../scheduler/nodes.js';
import type { Partition } from '../scheduler/partition.js';
import { allocationDao, byAllocationTime } from './allocations.js';
import type { NodeDao } from './dao.js';
import { absUsedCapacity, byteOrder, daoMap, omitEmpty, sortedRecord, usageMap } from './json.js';

/** The rack YuniKorn's Kubernetes shim gives every node. */
export const DEFAULT_RACK = '/rack-default';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

function available(node: NodeState): MutableResource {
  const out: MutableResource = { ...node.info.capacity };
  for (const used of [node.info.occupied ?? {}, node.allocated]) {
    for (const [k, v] of Object.entries(used)) out[k] = (out[k] ?? 0) - v;
  }
  return out;
}

function nodeDao(node: NodeState, allocations: readonly AllocationRecord[]): NodeDao {
  const { info } = node;
  const labels = info.labels ?? {};
  const capacity = info.capacity;
  return {
    nodeID: info.nodeId,
    hostName: labels[HOSTNAME_LABEL] ?? info.nodeId,
    rackName: DEFAULT_RACK,
    ...omitEmpty('attributes', sortedRecord(labels)),
    ...omitEmpty('capacity', daoMap(capacity)),
    ...omitEmpty('allocated', usageMap(node.allocated)),
    ...omitEmpty('occupied', usageMap(info.occupied)),
    ...omitEmpty('available', daoMap(available(node))),
    ...omitEmpty('utilized', daoMap(absUsedCapacity(capacity, node.allocated))),
    ...omitEmpty('allocations', [...allocations].sort(byAllocationTime).map(allocationDao)),
    schedulable: info.schedulable,
    isReserved: node.reservedBy !== null,
    ...omitEmpty('reservations', node.reservedBy === null ? undefined : [node.reservedBy]),
  };
}

/** The partition's nodes by id. */
export function nodesView(p: Partition): NodeDao[] {
  const byNode = new Map<string, AllocationRecord[]>();
  for (const { record } of p.allocations.values()) {
    const list = byNode.get(record.nodeId);
    if (list === undefined) byNode.set(record.nodeId, [record]);
    else list.push(record);
  }
  return [...p.nodes.byId.values()].sort((a, b) => byteOrder(a.id, b.id)).map((n) => nodeDao(n, byNode.get(n.id) ?? []));
}

/** One node; null when the partition has no such node. */
export function nodeView(p: Partition, id: string): NodeDao | null {
  const node = p.nodes.byId.get(asNodeId(id));
  if (node === undefined) return null;
  const allocations = [...p.allocations.values()].map((a) => a.record).filter((r) => r.nodeId === node.id);
  return nodeDao(node, allocations);
}

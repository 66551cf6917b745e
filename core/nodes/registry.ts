/**
 * The node-sorting policies by their queues.yaml names (`nodesortpolicy.type`). The table must have
 * exactly one factory per name the configuration accepts; the compiler checks it. Adding a policy is
 * a new file, a name in the configuration's table and a line here; nothing in the scheduler changes.
 */
import type { NodeSortPolicyType } from '../config/model.js';
import { createBinPackingPolicy } from './binpacking.js';
import { createFairPolicy } from './fair.js';
import type { NodeSortingPolicy, NodeSortingPolicyFactory, ResourceWeights } from './policy.js';

export const NODE_SORTING_POLICIES = {
  fair: createFairPolicy,
  binpacking: createBinPackingPolicy,
} as const satisfies Record<NodeSortPolicyType, NodeSortingPolicyFactory>;

export function createNodeSortingPolicy(type: NodeSortPolicyType, resourceWeights?: ResourceWeights): NodeSortingPolicy {
  return NODE_SORTING_POLICIES[type](resourceWeights);
}

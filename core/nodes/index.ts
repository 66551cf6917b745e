/**
 * Node ordering for allocation: the node-sorting policies (`fair`, `binpacking`), their registry and
 * the incrementally maintained order of a partition's nodes. The scheduler builds a policy from the
 * partition's `nodesortpolicy`, keeps one `NodeOrder` per partition up to date as nodes and
 * allocations change, and walks it best node first.
 */
export { createBinPackingPolicy } from './binpacking.js';
export { createFairPolicy } from './fair.js';
export type { NodeOrder, NodeOrderOptions } from './node-order.js';
export { createNodeOrder } from './node-order.js';
export type { NodeSortingPolicy, NodeSortingPolicyFactory, ResourceWeights } from './policy.js';
export { DEFAULT_RESOURCE_WEIGHTS } from './policy.js';
export { createNodeSortingPolicy, NODE_SORTING_POLICIES } from './registry.js';

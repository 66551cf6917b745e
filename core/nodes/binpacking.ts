/**
 * The `binpacking` node-sorting policy: most used node first, filling nodes before starting on empty
 * ones so that whole nodes stay free for large asks or for scaling down (yunikorn-core
 * `binPackingNodeSortingPolicy`). Score = 1 - the weighted average used share (see `policy.ts`), the
 * free share: a full node scores 0 and is tried first, an idle one 1.
 */
import type { NodeSortingPolicyFactory } from './policy.js';
import { weightedUsage } from './policy.js';

export const createBinPackingPolicy: NodeSortingPolicyFactory = (resourceWeights) => {
  const { resourceWeights: weights, usage } = weightedUsage(resourceWeights);
  return { type: 'binpacking', resourceWeights: weights, score: (capacity, allocated) => 1 - usage(capacity, allocated) };
};

/**
 * The `fair` node-sorting policy: least used node first, spreading allocations over the cluster
 * (yunikorn-core `fairnessNodeSortingPolicy`). Score = the weighted average used share (see
 * `policy.ts`), so an idle node scores 0 and a full one 1.
 */
import type { NodeSortingPolicyFactory } from './policy.js';
import { weightedUsage } from './policy.js';

export const createFairPolicy: NodeSortingPolicyFactory = (resourceWeights) => {
  const { resourceWeights: weights, usage } = weightedUsage(resourceWeights);
  return { type: 'fair', resourceWeights: weights, score: usage };
};

/**
 * What a node-sorting policy is: a named scorer of one node, from its capacity, what is allocated on
 * it and the partition's resource weights (`nodesortpolicy.resourceweights`). Nodes are tried in
 * ascending score, ties broken by node id. The policies themselves live one per file (`fair.ts`,
 * `binpacking.ts`) and are found by name in `registry.ts`.
 *
 * Both of YuniKorn's policies rest on one measure, the weighted average of the used share of each
 * weighted resource (yunikorn-core `absResourceUsage`):
 *
 *   share(r) = 1 - (capacity[r] - allocated[r]) / capacity[r]          (allocated absent = 0)
 *   usage    = sum(weight[r] * share(r)) / sum(weight[r])
 *
 * over the resources r that have a positive weight, are present in the node's capacity and whose share
 * is a number (a zero capacity with nothing allocated gives 0/0 and is skipped; a zero capacity with
 * something allocated gives +Infinity, as in YuniKorn). `usage` is 0 when no resource qualifies. Shares
 * are not clamped: an over-allocated resource counts for more than 1.
 *
 * The share is written YuniKorn's way (1 - available / capacity, not allocated / capacity) so scores are
 * the same floating-point numbers, and summed in a fixed order (weights sorted by name; Go ranges over
 * a map in random order), so equal nodes always score exactly alike.
 */
import type { NodeSortPolicyType } from '../config/model.js';
import type { Resource } from '../resources/resource.js';
import { VCORE } from '../resources/quantity.js';

/** Resource name -> weight; weights are 0 or more (the configuration rejects negative ones). */
export type ResourceWeights = Readonly<Record<string, number>>;

/** YuniKorn's default when a partition sets no weights. */
export const DEFAULT_RESOURCE_WEIGHTS: ResourceWeights = Object.freeze({ [VCORE]: 1, memory: 1 });

export interface NodeSortingPolicy {
  readonly type: NodeSortPolicyType;
  /** The weights in force (the defaults when none were given). */
  readonly resourceWeights: ResourceWeights;
  /** Nodes are tried in ascending score; ties go to the smaller node id. Pure: same input, same score. */
  score(capacity: Resource, allocated: Resource): number;
}

/** Builds a policy; no weights, or an empty set of weights, means `DEFAULT_RESOURCE_WEIGHTS`. */
export type NodeSortingPolicyFactory = (resourceWeights?: ResourceWeights) => NodeSortingPolicy;

export interface WeightedUsage {
  readonly resourceWeights: ResourceWeights;
  /** The weighted average used share of a node, as in the formula above. */
  readonly usage: (capacity: Resource, allocated: Resource) => number;
}

export function weightedUsage(resourceWeights?: ResourceWeights): WeightedUsage {
  const weights = resourceWeights === undefined || Object.keys(resourceWeights).length === 0 ? DEFAULT_RESOURCE_WEIGHTS : Object.freeze({ ...resourceWeights });
  // A weight of 0 takes the resource out of the average, as in YuniKorn; a negative or non-finite
  // weight cannot come from a valid configuration and is treated the same way.
  const terms = Object.entries(weights)
    .filter(([, w]) => Number.isFinite(w) && w > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    resourceWeights: weights,
    usage: (capacity, allocated) => {
      let used = 0;
      let total = 0;
      for (const [name, weight] of terms) {
        const cap = capacity[name];
        if (cap === undefined) continue;
        const share = 1 - (cap - (allocated[name] ?? 0)) / cap;
        if (Number.isNaN(share)) continue;
        used += share * weight;
        total += weight;
      }
      return total === 0 ? 0 : used / total;
    },
  };
}

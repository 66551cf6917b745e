/**
 * The loaded configuration: what the core consumes. Frozen, normalised (root present, names
 * lower-cased, quantities in base units, ACLs and filters parsed) and free of any YAML detail.
 */
import type { Resource } from '../resources/resource.js';

export const RULE_NAMES = ['provided', 'user', 'fixed', 'tag'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const NODE_SORT_POLICIES = ['fair', 'binpacking'] as const;
export type NodeSortPolicyType = (typeof NODE_SORT_POLICIES)[number];

export const USER_GROUP_RESOLVERS = ['os', 'ldap', 'test'] as const;
export type UserGroupResolverType = (typeof USER_GROUP_RESOLVERS)[number];

/** An access control list: `*` allows everyone; otherwise named users and groups; '' allows no one. */
export interface Acl {
  readonly allowAll: boolean;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** The ACL as written, for display. */
  readonly text: string;
}

/** How a placement filter matches a user or group name. */
export type NameMatcher =
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly names: readonly string[] }
  | { readonly kind: 'regexp'; readonly pattern: string; readonly flags: string };

export interface FilterConfig {
  readonly type: 'allow' | 'deny';
  readonly users: NameMatcher;
  readonly groups: NameMatcher;
}

export interface PlacementRuleConfig {
  readonly name: RuleName;
  readonly create: boolean;
  /** The queue name of a fixed rule or the tag name of a tag rule; '' for the others. */
  readonly value: string;
  readonly filter: FilterConfig;
  readonly parent: PlacementRuleConfig | null;
}

export interface LimitConfig {
  /** The limit's description (`limit:` key). */
  readonly description: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly maxResources: Resource;
  /** 0 = not limited. */
  readonly maxApplications: number;
}

export interface ChildTemplateConfig {
  readonly maxApplications: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly guaranteed: Resource;
  readonly max: Resource;
}

export interface QueueConfig {
  /** Lower-cased, as YuniKorn names queues. */
  readonly name: string;
  /** Fully qualified: `root.tenants.team-a`. */
  readonly path: string;
  /** A parent may hold child queues (configured or created by placement); a leaf holds applications. */
  readonly parent: boolean;
  readonly guaranteed: Resource;
  readonly max: Resource;
  /** 0 = not limited. */
  readonly maxApplications: number;
  /** As written; typed readers live in properties.ts. Inheritance is applied by the core. */
  readonly properties: Readonly<Record<string, string>>;
  readonly adminAcl: Acl;
  readonly submitAcl: Acl;
  readonly childTemplate: ChildTemplateConfig | null;
  readonly limits: readonly LimitConfig[];
  readonly queues: readonly QueueConfig[];
}

export interface PartitionConfig {
  readonly name: string;
  readonly root: QueueConfig;
  readonly placementRules: readonly PlacementRuleConfig[];
  readonly limits: readonly LimitConfig[];
  readonly preemption: { readonly enabled: boolean; readonly quotaPreemptionEnabled: boolean };
  readonly nodeSortPolicy: { readonly type: NodeSortPolicyType; readonly resourceWeights: Readonly<Record<string, number>> };
  readonly userGroupResolver: { readonly type: UserGroupResolverType; readonly args: Readonly<Record<string, string>> };
}

export interface DroverConfig {
  readonly partitions: readonly PartitionConfig[];
  /** SHA-256 of the text (without any `checksum:` line), upper-case hex, as YuniKorn computes it. */
  readonly checksum: string;
}

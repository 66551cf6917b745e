/**
 * A queue of the running scheduler: its settings (from configuration or a child template), its place
 * in the tree, and what it holds now (allocated and pending resources, applications, running count).
 *
 * Managed queues come from queues.yaml; dynamic queues are created by placement rules and disappear
 * when empty. A managed queue removed from the configuration drains: it keeps its applications, takes
 * no new ones, and disappears when empty.
 */
import type { Acl, ChildTemplateConfig, LimitConfig, QueueConfig } from '../config/model.js';
import { PROPERTY_READERS } from '../config/properties.js';
import type { PreemptionPolicy, PriorityPolicy, SortPolicy } from '../config/properties.js';
import { isZero } from '../resources/resource.js';
import type { MutableResource, Resource } from '../resources/resource.js';
import type { ApplicationId } from '../port.js';

export type QueueStatus = 'Active' | 'Draining';

/** The settings of a queue, after property inheritance. */
export interface QueueSettings {
  readonly guaranteed: Resource;
  /** The configured max; the root's comes from the cluster size (see Queue.max). */
  readonly max: Resource;
  readonly maxApplications: number;
  /** Effective properties: the parent's, overridden by the queue's own. */
  readonly properties: Readonly<Record<string, string>>;
  readonly submitAcl: Acl;
  readonly adminAcl: Acl;
  readonly template: ChildTemplateConfig | null;
  readonly limits: readonly LimitConfig[];
}

const NO_ACL: Acl = { allowAll: false, users: [], groups: [], text: '' };

/** Properties a child does not inherit from its parent (they describe the queue itself). */
const NOT_INHERITED = new Set(['priority.offset']);

/**
 * A child takes its parent's properties, but a preemption fence marks one queue: its children are
 * inside it, not fences of their own (otherwise a fence on a parent would shut every leaf in itself).
 */
export function inheritProperties(parent: Readonly<Record<string, string>>, own: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (NOT_INHERITED.has(k)) continue;
    if (k === 'preemption.policy' && v.toLowerCase() === 'fence') continue;
    out[k] = v;
  }
  return { ...out, ...own };
}

export function settingsFromConfig(q: QueueConfig, parent: Queue | null): QueueSettings {
  return {
    guaranteed: q.guaranteed,
    max: q.max,
    maxApplications: q.maxApplications,
    properties: inheritProperties(parent?.settings.properties ?? {}, q.properties),
    submitAcl: q.submitAcl,
    adminAcl: q.adminAcl,
    template: q.childTemplate ?? (parent?.settings.template ?? null),
    limits: q.limits,
  };
}

export function settingsFromTemplate(parent: Queue, leaf: boolean): QueueSettings {
  const t = parent.settings.template;
  return {
    guaranteed: leaf && t !== null ? t.guaranteed : {},
    max: leaf && t !== null ? t.max : {},
    maxApplications: leaf && t !== null ? t.maxApplications : 0,
    properties: inheritProperties(parent.settings.properties, leaf && t !== null ? t.properties : {}),
    submitAcl: NO_ACL,
    adminAcl: NO_ACL,
    template: t,
    limits: [],
  };
}

export class Queue {
  readonly children = new Map<string, Queue>();
  readonly allocated: MutableResource = {};
  readonly pending: MutableResource = {};
  /** Pending asks in this queue's subtree by priority (count), for queue priority. */
  readonly pendingPriorities = new Map<number, number>();
  /** Applications placed in this leaf that are not finished. */
  readonly applications = new Set<ApplicationId>();
  runningApps = 0;
  status: QueueStatus = 'Active';
  sortPolicy: SortPolicy = 'fifo';
  prioritySorting = true;
  priorityOffset = 0;
  priorityPolicy: PriorityPolicy = 'default';
  preemptionPolicy: PreemptionPolicy = 'default';
  /** How long an ask of this (leaf) queue waits before it may preempt. */
  preemptionDelayMs = 30_000;
  /** Allocations in this subtree the core asked the resource manager to remove, not gone yet. */
  readonly releasing: MutableResource = {};

  private readonly lineage: readonly Queue[];

  constructor(
    readonly name: string,
    readonly path: string,
    readonly parent: Queue | null,
    public isLeaf: boolean,
    public isManaged: boolean,
    public settings: QueueSettings,
  ) {
    this.lineage = parent === null ? [this] : [this, ...parent.ancestry()];
    this.applySettings(settings);
  }

  applySettings(settings: QueueSettings): void {
    this.settings = settings;
    const p = settings.properties;
    this.sortPolicy = PROPERTY_READERS['application.sort.policy'](p['application.sort.policy'] ?? '').value;
    this.prioritySorting = PROPERTY_READERS['application.sort.priority'](p['application.sort.priority'] ?? '').value === 'enabled';
    this.priorityOffset = PROPERTY_READERS['priority.offset'](p['priority.offset'] ?? '').value;
    this.priorityPolicy = PROPERTY_READERS['priority.policy'](p['priority.policy'] ?? '').value;
    this.preemptionPolicy = PROPERTY_READERS['preemption.policy'](p['preemption.policy'] ?? '').value;
    this.preemptionDelayMs = PROPERTY_READERS['preemption.delay'](p['preemption.delay'] ?? '').value;
  }

  /**
   * The queue's priority among its siblings: the highest priority pending in its subtree plus its
   * `priority.offset`; a fenced queue (`priority.policy: fence`) shows only its offset outside.
   */
  currentPriority(): number {
    let max = Number.MIN_SAFE_INTEGER;
    for (const p of this.pendingPriorities.keys()) if (p > max) max = p;
    if (max === Number.MIN_SAFE_INTEGER) return max;
    return (this.priorityPolicy === 'fence' ? 0 : max) + this.priorityOffset;
  }

  /** Nothing placed here and nothing below: a dynamic or draining queue can go. */
  isEmpty(): boolean {
    return this.applications.size === 0 && this.children.size === 0 && isZero(this.allocated);
  }

  /** The queues from this one up to the root (computed once: a queue never changes parent). */
  ancestry(): readonly Queue[] {
    return this.lineage;
  }

  /** May `count + 1` applications run here, along the whole path? */
  hasRunningSlot(): boolean {
    for (const q of this.ancestry()) {
      const max = q.settings.maxApplications;
      if (max > 0 && q.runningApps >= max) return false;
    }
    return true;
  }
}

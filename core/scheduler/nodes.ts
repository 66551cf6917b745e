/**
 * The nodes of a partition: what each holds, and the cluster size that is the root queue's maximum
 * (the sum of the capacity of schedulable nodes, kept current as nodes come, go or are cordoned).
 */
import { addInPlace, subInPlace } from '../resources/resource.js';
import type { MutableResource, Resource } from '../resources/resource.js';
import type { NodeOrder } from '../nodes/index.js';
import type { AllocationKey, NodeId, NodeInfo } from '../port.js';
import type { AllocationRecord, Application } from './application.js';

/** An allocation with its application, as the partition books it; linked into its node's list. */
export interface NodeAllocation {
  readonly app: Application;
  readonly record: AllocationRecord;
  prev: NodeAllocation | null;
  next: NodeAllocation | null;
}

export class NodeState {
  readonly allocated: MutableResource = {};
  /** Number of allocations on the node. */
  count = 0;
  /** The ask this node is kept free for (see allocate.ts, reservations), or null. */
  reservedBy: AllocationKey | null = null;
  /**
   * The allocations on the node with their applications, a list linked through the entries
   * themselves (preemption looks for victims here; keeping it costs two pointer writes, no hashing).
   */
  first: NodeAllocation | null = null;

  constructor(public info: NodeInfo) {}

  get id(): NodeId {
    return this.info.nodeId;
  }

  link(entry: NodeAllocation): void {
    entry.prev = null;
    entry.next = this.first;
    if (this.first !== null) this.first.prev = entry;
    this.first = entry;
  }

  unlink(entry: NodeAllocation): void {
    if (entry.prev !== null) entry.prev.next = entry.next;
    else if (this.first === entry) this.first = entry.next;
    if (entry.next !== null) entry.next.prev = entry.prev;
    entry.prev = null;
    entry.next = null;
  }

  /** What the node has left: capacity - occupied - allocated. */
  available(): MutableResource {
    const out: MutableResource = { ...this.info.capacity };
    if (this.info.occupied !== undefined) subInPlace(out, this.info.occupied);
    subInPlace(out, this.allocated);
    return out;
  }

  /** Does `r` fit in what the node has left? (No allocation: this runs for every node tried.) */
  fits(r: Resource): boolean {
    const cap = this.info.capacity;
    const occ = this.info.occupied;
    const al = this.allocated;
    for (const k in r) {
      const v = r[k] ?? 0;
      if (v > 0 && v > (cap[k] ?? 0) - (occ?.[k] ?? 0) - (al[k] ?? 0)) return false;
    }
    return true;
  }

  /** Would `r` fit on the node if nothing of ours ran on it? (Can a reservation ever succeed?) */
  couldFit(r: Resource): boolean {
    const cap = this.info.capacity;
    const occ = this.info.occupied;
    for (const k in r) {
      const v = r[k] ?? 0;
      if (v > 0 && v > (cap[k] ?? 0) - (occ?.[k] ?? 0)) return false;
    }
    return true;
  }

  /**
   * Used, as the node sorting sees it: ours and other schedulers'. Without other schedulers' pods this
   * is the live `allocated` map, not a copy: every change to it is followed by a reorder.
   */
  used(): Resource {
    if (this.info.occupied === undefined) return this.allocated;
    const out: MutableResource = { ...this.allocated };
    if (this.info.occupied !== undefined) addInPlace(out, this.info.occupied);
    return out;
  }
}

export class NodeRegistry {
  readonly byId = new Map<NodeId, NodeState>();
  /** Sum of the capacity of schedulable nodes: the root queue's maximum. */
  readonly capacity: MutableResource = {};

  constructor(readonly order: NodeOrder<NodeId>) {}

  upsert(info: NodeInfo): NodeState {
    const old = this.byId.get(info.nodeId);
    if (old !== undefined && old.info.schedulable) subInPlace(this.capacity, old.info.capacity);
    const node = old ?? new NodeState(info);
    node.info = info;
    this.byId.set(info.nodeId, node);
    if (info.schedulable) addInPlace(this.capacity, info.capacity);
    this.reorder(node);
    return node;
  }

  remove(nodeId: NodeId): NodeState | undefined {
    const node = this.byId.get(nodeId);
    if (node === undefined) return undefined;
    if (node.info.schedulable) subInPlace(this.capacity, node.info.capacity);
    this.byId.delete(nodeId);
    this.order.remove(nodeId);
    return node;
  }

  reorder(node: NodeState): void {
    this.order.upsert(node.id, node.info.capacity, node.used(), node.info.schedulable);
  }
}

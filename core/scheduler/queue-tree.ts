/**
 * The queue tree of a partition: built from configuration, updated atomically on reload (new queues
 * appear, changed ones take their new settings, removed ones drain), grown by placement (dynamic
 * queues from child templates) and pruned when dynamic or draining queues become empty.
 */
import type { QueueConfig } from '../config/model.js';
import { Queue, settingsFromConfig, settingsFromTemplate } from './queue.js';

export class QueueTree {
  private readonly byPath = new Map<string, Queue>();
  readonly root: Queue;

  constructor(rootConfig: QueueConfig) {
    this.root = new Queue('root', 'root', null, false, true, settingsFromConfig(rootConfig, null));
    this.byPath.set('root', this.root);
    this.sync(this.root, rootConfig);
  }

  get(path: string): Queue | undefined {
    return this.byPath.get(path.toLowerCase());
  }

  all(): IterableIterator<Queue> {
    return this.byPath.values();
  }

  /** Apply a new configuration: create, update, and mark removed managed queues as draining. */
  update(rootConfig: QueueConfig): void {
    this.root.applySettings(settingsFromConfig(rootConfig, null));
    this.sync(this.root, rootConfig);
    this.prune();
  }

  private sync(queue: Queue, config: QueueConfig): void {
    const seen = new Set<string>();
    for (const childConfig of config.queues) {
      seen.add(childConfig.name);
      let child = queue.children.get(childConfig.name);
      const settings = settingsFromConfig(childConfig, queue);
      if (child === undefined) {
        child = new Queue(childConfig.name, childConfig.path, queue, !childConfig.parent, true, settings);
        queue.children.set(child.name, child);
        this.byPath.set(child.path, child);
      } else {
        child.applySettings(settings);
        child.isManaged = true;
        child.status = 'Active';
        // A leaf with applications stays a leaf until it drains; otherwise it takes the new type.
        if (child.applications.size === 0) child.isLeaf = !childConfig.parent;
      }
      this.sync(child, childConfig);
    }
    for (const child of queue.children.values()) {
      if (seen.has(child.name) || !child.isManaged) continue;
      this.drain(child);
    }
  }

  private drain(queue: Queue): void {
    queue.status = 'Draining';
    for (const child of queue.children.values()) if (child.isManaged) this.drain(child);
  }

  /**
   * Create the missing queues of `path` below its deepest existing ancestor, from child templates.
   * Returns the leaf, or a reason when it cannot be created.
   */
  createDynamic(path: string): { ok: true; queue: Queue } | { ok: false; reason: string } {
    const parts = path.toLowerCase().split('.');
    if (parts[0] !== 'root') return { ok: false, reason: `queue path ${path} does not start at root` };
    let cur = this.root;
    for (let i = 1; i < parts.length; i++) {
      const name = parts[i] ?? '';
      const existing = cur.children.get(name);
      const last = i === parts.length - 1;
      if (existing !== undefined) {
        if (existing.status === 'Draining') return { ok: false, reason: `queue ${existing.path} is draining (removed from the configuration)` };
        if (existing.isLeaf && !last) return { ok: false, reason: `queue ${existing.path} is a leaf, so ${path} cannot be created below it` };
        cur = existing;
        continue;
      }
      if (cur.isLeaf) return { ok: false, reason: `queue ${cur.path} is a leaf, so ${path} cannot be created below it` };
      const child = new Queue(name, `${cur.path}.${name}`, cur, last, false, settingsFromTemplate(cur, last));
      cur.children.set(name, child);
      this.byPath.set(child.path, child);
      cur = child;
    }
    return { ok: true, queue: cur };
  }

  /** Remove empty dynamic queues and empty draining queues, bottom up. */
  prune(): void {
    const visit = (q: Queue): void => {
      for (const child of [...q.children.values()]) visit(child);
      if (q.parent !== null && q.isEmpty() && (!q.isManaged || q.status === 'Draining')) {
        q.parent.children.delete(q.name);
        this.byPath.delete(q.path);
      }
    };
    visit(this.root);
  }
}

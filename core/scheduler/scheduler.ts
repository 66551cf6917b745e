/**
 * `createScheduler`: wires the partitions to the port. Each call returns a fresh instance; time, the
 * logger, the callback and the node ordering are injected. The algorithm lives in allocate.ts; the
 * books in partition.ts.
 */
import { loadConfig } from '../config/load.js';
import type { DroverConfig } from '../config/model.js';
import { NO_LOGGER } from '../port.js';
import type { Allocation, AllocationKey, ApplicationId, ApplicationInfo, AskInfo, Clock, ConfigUpdateResult, Logger, NodeId, NodeInfo, ResourceManagerCallback, SchedulerApi } from '../port.js';
import { giveReasons, runCycle } from './allocate.js';
import { nextDeadline } from './deadlines.js';
import { expireGangs, releaseIdlePlaceholders } from './gang-timers.js';
import { Partition } from './partition.js';

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly callback: ResourceManagerCallback;
  readonly logger?: Logger;
}

export interface Scheduler extends SchedulerApi {
  /** The configuration in force. */
  config(): DroverConfig;
  partitions(): readonly Partition[];
  partition(name: string): Partition | undefined;
  /** The next moment at which time alone changes something (see Partition.nextDeadline); null when none. */
  nextDeadline(): number | null;
}

/** Create a scheduler with an initial configuration; throws only if that configuration is invalid (a bug at the edge). */
export function createScheduler(initial: DroverConfig, deps: SchedulerDeps): Scheduler {
  const logger = deps.logger ?? NO_LOGGER;
  let current = initial;
  const partitions = new Map<string, Partition>();
  for (const p of initial.partitions) partitions.set(p.name, new Partition(p, deps));
  const first = (): Partition | undefined => partitions.values().next().value;
  const partitionFor = (name: string | undefined) => (name === undefined ? first() : partitions.get(name));
  const appIndex = new Map<ApplicationId, Partition>();
  const askIndex = new Map<AllocationKey, Partition>();

  return {
    config: () => current,
    partitions: () => [...partitions.values()],
    partition: (name) => partitions.get(name),
    nextDeadline: () => {
      let next: number | null = null;
      for (const p of partitions.values()) {
        const t = nextDeadline(p);
        if (t !== null && (next === null || t < next)) next = t;
      }
      return next;
    },

    updateConfig(text: string): ConfigUpdateResult {
      const loaded = loadConfig(text);
      if (!loaded.ok) {
        const errors = loaded.issues.filter((i) => i.severity === 'error');
        logger.warn({ errors: errors.length }, 'configuration update rejected; the running configuration stays');
        return { ok: false, message: errors.map((i) => `${i.code} at ${i.path}: ${i.message}`).join('; ') };
      }
      for (const p of loaded.config.partitions) {
        const existing = partitions.get(p.name);
        if (existing !== undefined) existing.updateConfig(p);
        else partitions.set(p.name, new Partition(p, deps));
      }
      current = loaded.config;
      logger.info({ checksum: current.checksum }, 'configuration updated');
      return { ok: true };
    },

    addNode(node: NodeInfo): void {
      partitionFor(node.partition)?.upsertNode(node);
    },
    updateNode(node: NodeInfo): void {
      partitionFor(node.partition)?.upsertNode(node);
    },
    removeNode(nodeId: NodeId): void {
      for (const p of partitions.values()) if (p.nodes.byId.has(nodeId)) p.removeNode(nodeId);
    },

    addApplication(app: ApplicationInfo): void {
      const p = partitionFor(app.partition);
      if (p === undefined) {
        logger.warn({ appId: app.applicationId, partition: app.partition }, 'application for an unknown partition');
        return;
      }
      appIndex.set(app.applicationId, p);
      p.addApplication(app);
    },
    removeApplication(id: ApplicationId): void {
      appIndex.get(id)?.removeApplication(id);
      appIndex.delete(id);
    },

    addAsk(ask: AskInfo): void {
      const p = appIndex.get(ask.applicationId);
      if (p === undefined) return;
      askIndex.set(ask.allocationKey, p);
      p.addAsk(ask);
    },
    removeAsk(key: AllocationKey): void {
      askIndex.get(key)?.removeAsk(key);
    },
    recoverAllocation(a): void {
      const p = appIndex.get(a.applicationId);
      if (p === undefined) {
        logger.warn({ appId: a.applicationId }, 'recovered allocation of an unknown application');
        return;
      }
      askIndex.set(a.allocationKey, p);
      p.recover(a);
    },
    releaseAllocation(key: AllocationKey): void {
      askIndex.get(key)?.release(key);
      askIndex.delete(key);
    },
    releaseRefused(key: AllocationKey): void {
      askIndex.get(key)?.releaseRefused(key);
    },

    explain(): void {
      for (const p of partitions.values()) giveReasons(p, deps.callback, false);
    },

    forgetReasons(): void {
      for (const p of partitions.values()) for (const { ask } of p.asks.values()) ask.reason = null;
    },

    schedule(): readonly Allocation[] {
      const made: Allocation[] = [];
      for (const p of partitions.values()) {
        p.expireCompleting();
        expireGangs(p);
        releaseIdlePlaceholders(p);
        made.push(...runCycle(p, deps.callback));
        p.tree.prune();
      }
      return made;
    },
  };
}

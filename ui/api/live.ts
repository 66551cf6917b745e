/**
 * The live side of the REST layer: how it learns that the scheduler changed. Every `pollMs` (500 ms)
 * it walks each partition once (changes.ts: O(applications + asks + allocations + nodes + queues), a
 * few milliseconds for 50,000 applications) and turns the differences into YuniKorn event records for
 * the event log. When anything changed (an event, or a new configuration) the state version goes up
 * and the listeners (the UI's server-sent events) hear the new version: at most one notice per poll, so
 * a busy cluster costs the browser two refetches a second, not one per pod.
 *
 * Polling was chosen over hooks because the core's callback belongs to the resource manager (the shim
 * binds pods on it) and the core must not learn about HTTP; the price is up to one poll of delay.
 *
 * It also keeps YuniKorn's internal history: every `historyMs` (a minute) the number of active
 * applications and of allocations, for the last `historyLength` (1,440: a day) samples.
 */
import { randomUUID } from 'node:crypto';
import type { DroverConfig } from '../../core/config/model.js';
import type { Logger } from '../../core/port.js';
import { applicationGroup } from '../../core/readmodel/applications.js';
import { ns } from '../../core/readmodel/json.js';
import type { Partition } from '../../core/scheduler/partition.js';
import type { Scheduler } from '../../core/scheduler/scheduler.js';
import { PartitionWatch } from './changes.js';
import { EventLog } from './event-log.js';
import { eventRecord } from './event-record.js';
import type { EventInput } from './event-record.js';

export const DEFAULT_POLL_MS = 500;
export const DEFAULT_HISTORY_MS = 60_000;
export const DEFAULT_HISTORY_LENGTH = 1_440;

export interface LiveOptions {
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly historyMs?: number;
  readonly historyLength?: number;
  readonly eventCapacity?: number;
}

export interface HistorySample {
  /** Unix nanoseconds. */
  readonly timestamp: number;
  readonly totalApplications: number;
  readonly totalContainers: number;
}

export class LiveState {
  readonly events: EventLog;
  /** Identifies this run of the scheduler: event ids start again from 0 after a restart. */
  readonly instanceUuid = randomUUID();
  /** Goes up by one whenever an observation found a change. */
  version = 0;
  /** How long the last observation took, in ms (for the benchmark and the curious). */
  lastPollMs = 0;
  private readonly history: HistorySample[] = [];
  private readonly watches = new Map<Partition, PartitionWatch>();
  private config: DroverConfig | null = null;
  private readonly listeners = new Set<(version: number) => void>();
  /** How to end each open stream (server-sent events, event streams) when the server closes. */
  readonly streams = new Set<() => void>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: LiveOptions) {
    this.events = new EventLog(o.eventCapacity);
  }

  get scheduler(): Scheduler {
    return this.o.scheduler;
  }

  /** Observe now and keep observing; timers do not hold the process open. */
  start(): void {
    if (this.timers.length > 0) return;
    this.poll();
    this.sample();
    const poll = setInterval(() => this.poll(), this.o.pollMs ?? DEFAULT_POLL_MS);
    const sample = setInterval(() => this.sample(), this.o.historyMs ?? DEFAULT_HISTORY_MS);
    poll.unref();
    sample.unref();
    this.timers = [poll, sample];
  }

  /** Stop observing and end the open streams. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const end of [...this.streams]) end();
  }

  /** One observation; true when something changed. Never throws: a failure is logged and skipped. */
  poll(): boolean {
    const started = performance.now();
    try {
      const found: EventInput[] = [];
      for (const p of this.o.scheduler.partitions()) {
        let watch = this.watches.get(p);
        if (watch === undefined) {
          watch = new PartitionWatch(p);
          this.watches.set(p, watch);
        }
        watch.observe(found);
      }
      // Oldest first; sort is stable, so what happened at the same instant keeps its order.
      found.sort((a, b) => a.timestampNano - b.timestampNano);
      for (const e of found) this.events.add(eventRecord(e));
      const config = this.o.scheduler.config();
      const changed = found.length > 0 || config !== this.config;
      this.config = config;
      if (changed) {
        this.version++;
        for (const listener of this.listeners) listener(this.version);
      }
      return changed;
    } catch (err) {
      this.o.logger.warn({ error: String(err) }, 'observing the scheduler failed; the REST event log may miss a change');
      return false;
    } finally {
      this.lastPollMs = performance.now() - started;
    }
  }

  /** Hear each new version; returns the way to stop. */
  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Record one history sample now. */
  sample(): void {
    const partitions = this.o.scheduler.partitions();
    let apps = 0;
    let containers = 0;
    for (const p of partitions) {
      for (const app of p.apps.values()) if (applicationGroup(app) === 'active') apps++;
      containers += p.allocations.size;
    }
    const now = partitions[0]?.now() ?? Date.now();
    this.history.push({ timestamp: ns(now), totalApplications: apps, totalContainers: containers });
    const max = this.o.historyLength ?? DEFAULT_HISTORY_LENGTH;
    if (this.history.length > max) this.history.splice(0, this.history.length - max);
  }

  historySamples(): readonly HistorySample[] {
    return this.history;
  }
}

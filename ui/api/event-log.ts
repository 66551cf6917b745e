/**
 * The event log behind `/ws/v1/events/*`: a bounded ring buffer of event records with sequential ids
 * from 0, as YuniKorn's eventRingBuffer keeps them. When full, the oldest record goes; a reader asks
 * for records from an id on and learns the lowest and highest ids still held, so it can tell what it
 * missed. Listeners (the open event streams) are told of each record as it is added.
 */
import type { EventRecord } from './event-record.js';

/** YuniKorn's default `event.ringBufferCapacity` is 100,000; drover's records are kept in memory too. */
export const DEFAULT_EVENT_CAPACITY = 10_000;

export interface EventSlice {
  readonly records: readonly EventRecord[];
  readonly lowestId: number;
  readonly highestId: number;
}

export class EventLog {
  private readonly buffer: (EventRecord | undefined)[];
  /** The id the next record gets; ids below `next - size` are gone. */
  private next = 0;
  private readonly listeners = new Set<(record: EventRecord) => void>();

  constructor(readonly capacity: number = DEFAULT_EVENT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log capacity must be a whole number of 1 or more, not ${capacity}`);
    this.buffer = new Array<EventRecord | undefined>(capacity);
  }

  get size(): number {
    return Math.min(this.next, this.capacity);
  }

  /** The lowest id still held (0 when empty). */
  get lowestId(): number {
    return this.next - this.size;
  }

  /** The highest id given out (0 when empty, as YuniKorn reports it). */
  get highestId(): number {
    return Math.max(0, this.next - 1);
  }

  add(record: EventRecord): void {
    this.buffer[this.next % this.capacity] = record;
    this.next++;
    for (const listener of this.listeners) listener(record);
  }

  /** Up to `count` records from id `start` on; none when `start` is no longer (or not yet) held. */
  fromId(start: number, count: number): EventSlice {
    const records: EventRecord[] = [];
    if (start >= this.lowestId && start < this.next) {
      const end = Math.min(this.next, start + count);
      for (let id = start; id < end; id++) {
        const r = this.buffer[id % this.capacity];
        if (r !== undefined) records.push(r);
      }
    }
    return { records, lowestId: this.lowestId, highestId: this.highestId };
  }

  /** The most recent `count` records, oldest first. */
  recent(count: number): EventRecord[] {
    const n = Math.min(count, this.size);
    return [...this.fromId(this.next - n, n).records];
  }

  /** Hear of every record added from now on; returns the way to stop. */
  subscribe(listener: (record: EventRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

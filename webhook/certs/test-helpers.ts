/**
 * A clock for tests: time moves only when the test says so, and timers that come due on the way fire
 * in order. Lets a test fast-forward a year of certificate lifetime in a few milliseconds.
 */
import type { Clock } from './clock.js';

interface Timer {
  readonly at: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private readonly timers: Timer[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Move to `time` (never back), firing the timers due by then, earliest first. */
  moveTo(time: number): void {
    this.time = Math.max(this.time, time);
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) return;
      due.cancelled = true;
      due.fn();
    }
  }

  advance(ms: number): void {
    this.moveTo(this.time + ms);
  }

  /** Timers not yet fired nor cancelled. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

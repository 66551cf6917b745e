/**
 * The time the certificate manager decides by, injected so that tests can fast-forward to a renewal:
 * `now()` and a one-shot timer at a delay. The system clock re-arms timers longer than Node's limit
 * (2^31-1 ms, about 24.8 days), which Node would otherwise fire at once: a renewal 60 days away must
 * not run now.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Call `fn` once, `delayMs` from now; the result cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const due = Date.now() + Math.max(0, delayMs);
    let handle: NodeJS.Timeout;
    const arm = () => {
      const left = due - Date.now();
      // unref: a pending renewal never keeps the process alive on its own.
      handle = setTimeout(left > MAX_TIMER_MS ? arm : fn, Math.max(0, Math.min(left, MAX_TIMER_MS)));
      handle.unref();
    };
    arm();
    return () => clearTimeout(handle);
  },
};

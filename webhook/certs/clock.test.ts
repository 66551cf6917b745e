import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM_CLOCK } from './clock.js';
import { FakeClock } from './test-helpers.js';

const DAY = 86_400_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('SYSTEM_CLOCK', () => {
  it('waits out a delay longer than setTimeout can hold (40 days > 24.8)', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    SYSTEM_CLOCK.setTimer(40 * DAY, fired);
    vi.advanceTimersByTime(39 * DAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('can be cancelled, also after re-arming', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancel = SYSTEM_CLOCK.setTimer(30 * DAY, fired);
    vi.advanceTimersByTime(26 * DAY);
    cancel();
    vi.advanceTimersByTime(10 * DAY);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe('FakeClock', () => {
  it('fires due timers in order when moved, and cancelled ones never', () => {
    const clock = new FakeClock(0);
    const order: string[] = [];
    clock.setTimer(20, () => order.push('b'));
    clock.setTimer(10, () => order.push('a'));
    clock.setTimer(15, () => order.push('x'))();
    clock.advance(30);
    expect(order).toEqual(['a', 'b']);
    expect(clock.pending()).toBe(0);
  });
});

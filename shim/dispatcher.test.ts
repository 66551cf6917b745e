import { describe, expect, it } from 'vitest';
import { Dispatcher, retriable } from './dispatcher.js';

/** A manual clock: timers fire when the test advances time. */
function manualTime() {
  let t = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => timers.push({ at: t + ms, fn }),
    async advance(ms: number) {
      const until = t + ms;
      for (;;) {
        await new Promise((r) => setImmediate(r));
        timers.sort((a, b) => a.at - b.at);
        const first = timers[0];
        if (first === undefined || first.at > until) break;
        timers.shift();
        t = first.at;
        first.fn();
      }
      t = until;
      await new Promise((r) => setImmediate(r));
    },
  };
}

const apiError = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });

describe('Dispatcher', () => {
  it('lets a burst go at once, then paces calls at qps', async () => {
    const time = manualTime();
    const d = new Dispatcher({ qps: 10, burst: 5, concurrency: 100, now: time.now, setTimer: time.setTimer });
    let done = 0;
    for (let i = 0; i < 15; i++) void d.submit('bind', () => Promise.resolve()).then(() => done++);
    await time.advance(0);
    expect(done).toBe(5);
    await time.advance(500);
    expect(done).toBe(10);
    await time.advance(500);
    expect(done).toBe(15);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const d = new Dispatcher({ concurrency: 3 });
    let inFlight = 0;
    let most = 0;
    const call = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 20 }, () => d.submit('bind', call)));
    expect(most).toBe(3);
  });

  it('runs waiting bindings before waiting reports', async () => {
    const d = new Dispatcher({ concurrency: 1 });
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = d.submit('bind', () => new Promise<void>((r) => (release = r)).then(() => order.push('b1')));
    const rest = [d.submit('report', () => Promise.resolve(order.push('r1'))), d.submit('bind', () => Promise.resolve(order.push('b2')))];
    release();
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['b1', 'b2', 'r1']);
  });

  it("gives reports a budget of their own, so events never take a binding's turn", async () => {
    const time = manualTime();
    const d = new Dispatcher({ qps: 1, burst: 1, reportShare: 1, now: time.now, setTimer: time.setTimer });
    const order: string[] = [];
    void d.submit('bind', () => Promise.resolve(order.push('b1')));
    void d.submit('bind', () => Promise.resolve(order.push('b2')));
    void d.submit('report', () => Promise.resolve(order.push('r1')));
    await time.advance(0);
    expect(order).toEqual(['b1', 'r1']);
    await time.advance(1000);
    expect(order).toEqual(['b1', 'r1', 'b2']);
  });

  it('paces reports at a tenth of the bindings by default', async () => {
    const time = manualTime();
    const d = new Dispatcher({ qps: 100, burst: 100, now: time.now, setTimer: time.setTimer });
    let reports = 0;
    for (let i = 0; i < 100; i++) void d.submit('report', () => Promise.resolve(reports++));
    await time.advance(0);
    expect(reports).toBe(10);
    await time.advance(1000);
    expect(reports).toBe(20);
  });

  it('retries 5xx, 429 and network failures with backoff, not 4xx', async () => {
    const time = manualTime();
    const d = new Dispatcher({ attempts: 3, backoffMs: 100, now: time.now, setTimer: time.setTimer });
    let calls = 0;
    const flaky = d.submit('bind', () => (++calls < 3 ? Promise.reject(apiError(503)) : Promise.resolve('ok')));
    await time.advance(99);
    expect(calls).toBe(1);
    await time.advance(1);
    expect(calls).toBe(2);
    await time.advance(200);
    await expect(flaky).resolves.toBe('ok');

    let conflicts = 0;
    await expect(d.submit('bind', () => (conflicts++, Promise.reject(apiError(409))))).rejects.toThrow('HTTP 409');
    expect(conflicts).toBe(1);

    let down = 0;
    const gone = d.submit('bind', () => (down++, Promise.reject(apiError(500))));
    const settled = gone.catch((e: unknown) => e);
    await time.advance(1000);
    expect(down).toBe(3);
    expect(await settled).toMatchObject({ code: 500 });
  });

  it('classifies failures', () => {
    expect(retriable(apiError(500))).toBe(true);
    expect(retriable(apiError(429))).toBe(true);
    expect(retriable(new Error('socket hang up'))).toBe(true);
    expect(retriable(apiError(404))).toBe(false);
    expect(retriable(apiError(409))).toBe(false);
  });

  it('fails queued calls when closed', async () => {
    const time = manualTime();
    const d = new Dispatcher({ qps: 1, burst: 1, now: time.now, setTimer: time.setTimer });
    const first = d.submit('bind', () => Promise.resolve(1));
    const second = d.submit('bind', () => Promise.resolve(2));
    d.close();
    await expect(first).resolves.toBe(1);
    await expect(second).rejects.toThrow('closed');
    await expect(d.submit('bind', () => Promise.resolve(3))).rejects.toThrow('closed');
  });
});

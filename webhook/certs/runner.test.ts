import { describe, expect, it } from 'vitest';
import { eventually } from '../cluster/test-helpers.js';
import { serialRunner } from './runner.js';
import type { Outcome } from './runner.js';

describe('serialRunner', () => {
  it('never runs twice at once, and runs once more for requests made during a run', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    let release: () => void = () => undefined;
    const task = async (): Promise<Outcome> => {
      active++;
      most = Math.max(most, active);
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
      active--;
      return { ok: true };
    };
    const runner = serialRunner(task, { first: 10, max: 10 }, () => undefined);
    const first = runner.run();
    // three requests while the first run waits: one more run, not three
    const during = [runner.run(), runner.run(), runner.run()];
    release();
    await Promise.all([first, ...during]);
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
    await runner.stop();
  });

  it('retries a failed run with a doubling backoff, and forgets the failure after a success', async () => {
    const outcomes: Outcome[] = [{ ok: false, message: 'Secret drover/x: HTTP 500' }, { ok: false, message: 'again' }, { ok: true }];
    const delays: number[] = [];
    const runner = serialRunner(() => Promise.resolve(outcomes.shift() ?? { ok: true }), { first: 5, max: 8 }, (_m, ms) => delays.push(ms));
    await runner.run();
    expect(runner.lastError()).toBe('Secret drover/x: HTTP 500');
    await eventually('the retries', () => outcomes.length, (n) => n === 0);
    await eventually('the success', () => runner.lastError(), (e) => e === null);
    // 5 ms, then doubled to 10 and capped at 8
    expect(delays).toEqual([5, 8]);
    expect(runner.backoffMs()).toBe(5);
    await runner.stop();
  });

  it('reports a task that throws as a failure', async () => {
    const runner = serialRunner(() => Promise.reject(new Error('boom')), { first: 1_000, max: 1_000 }, () => undefined);
    await runner.run();
    expect(runner.lastError()).toContain('boom');
    await runner.stop();
  });
});

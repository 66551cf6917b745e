/**
 * Shared by the read-model tests: a scheduler driven through its port (the harness of
 * scheduler.test.ts), with a fake clock that starts at 1 s so that every time is non-zero and survives
 * `omitempty`, and a JSON round trip to assert on what the REST layer would actually send.
 */
import { harness as baseHarness } from '../scheduler/test-helpers.js';

/** The fake clock's start, in ms: 1 s after the epoch. */
export const T0 = 1_000;

export { GiB, OPEN } from '../scheduler/test-helpers.js';

/** The core's test harness, its clock starting at T0. */
export const harness = (yaml: string) => baseHarness(yaml, { start: T0 });

/** What the REST layer sends: the view through JSON.stringify and back. */
export function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}


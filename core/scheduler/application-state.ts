/**
 * The application life cycle, YuniKorn's states and transitions as a table the compiler checks.
 *
 *   New -accept-> Accepted -run-> Running -complete-> Completing -completed-> Completed -expire-> Expired
 *   New -reject-> Rejected -expire-> Expired
 *   Accepted | Running | Completing -fail-> Failing -failed-> Failed -expire-> Expired
 *   Completing -run-> Running (new work arrived); Accepted | Running -resume-> Resuming -run-> Running
 *
 * maxapplications gates Accepted -> Running: an application runs once it gets its first allocation,
 * and it may only get one while its queues and its user have a running slot.
 */
import type { ApplicationState } from '../port.js';

export const APPLICATION_EVENTS = ['accept', 'reject', 'run', 'complete', 'completed', 'fail', 'failed', 'expire', 'resume'] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

export const APPLICATION_TRANSITIONS = {
  New: { accept: 'Accepted', reject: 'Rejected', fail: 'Failing' },
  Accepted: { run: 'Running', complete: 'Completing', fail: 'Failing', resume: 'Resuming' },
  Running: { complete: 'Completing', fail: 'Failing', resume: 'Resuming' },
  Completing: { run: 'Running', completed: 'Completed', fail: 'Failing' },
  Completed: { expire: 'Expired' },
  Rejected: { expire: 'Expired' },
  Failing: { failed: 'Failed' },
  Failed: { expire: 'Expired' },
  Expired: {},
  Resuming: { run: 'Running', accept: 'Accepted', fail: 'Failing' },
} as const satisfies Record<ApplicationState, Partial<Record<ApplicationEvent, ApplicationState>>>;

/** The state after `event`, or null when the event does not apply in `state`. */
export function transition(state: ApplicationState, event: ApplicationEvent): ApplicationState | null {
  const row: Partial<Record<ApplicationEvent, ApplicationState>> = APPLICATION_TRANSITIONS[state];
  return row[event] ?? null;
}

/** States in which an application holds or may ask for resources. */
export function isActive(state: ApplicationState): boolean {
  return state === 'New' || state === 'Accepted' || state === 'Running' || state === 'Completing' || state === 'Resuming';
}

/**
 * States that count against maxapplications: Running only. An application in Completing holds no
 * resources and gives its slot back; if work arrives again it needs a slot like a new one.
 */
export function isRunning(state: ApplicationState): boolean {
  return state === 'Running';
}

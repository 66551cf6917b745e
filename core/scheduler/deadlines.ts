/**
 * When time alone next changes something in a partition: a simulation runs on while such a moment lies
 * ahead, so a scenario without a fixed length still reaches its timeouts.
 */
import type { Application } from './application.js';
import { COMPLETING_TIMEOUT_MS } from './partition.js';
import type { Partition } from './partition.js';
import { PREEMPTION_EXPIRY_MS, PREEMPTION_RETRY_MS } from './preemption.js';

/**
 * The next moment at which time alone changes something here (a completing or gang timeout, an ask
 * reaching its preemption delay, victims given up on); null when nothing waits on the clock. A
 * simulation runs on while this lies ahead.
 */
export function nextDeadline(p: Partition): number | null {
  const now = p.now();
  let next: number | null = null;
  const consider = (t: number) => {
    if (t > now && (next === null || t < next)) next = t;
  };
  for (const app of p.apps.values()) {
    if (app.state === 'Completing') consider(app.completingSince + COMPLETING_TIMEOUT_MS);
    // A gang's timeout matters while it reserves, or while placeholders are left to time out.
    const gang = app.gang;
    const waits = gang !== null && (gang.phase === 'Reserving' || (gang.phase === 'Reserved' && hasPlaceholder(app)));
    const at = waits ? (gang?.expiresAt() ?? null) : null;
    if (at !== null) consider(at);
  }
  if (p.config.preemption.enabled) {
    for (const { app, ask } of p.asks.values()) {
      if (ask.preemption !== undefined) consider(ask.preemption.at + PREEMPTION_EXPIRY_MS);
      else if (ask.reason?.code !== 'InsufficientCapacity' || app.queue === null) continue;
      // Not tried yet: at its delay, or at once when a busy cycle left it for later.
      else if (ask.preemptTriedAt === undefined) consider(Math.max(ask.createdAt + app.queue.preemptionDelayMs, now + 1));
      // Tried and failed: again only if something changed since.
      else if (ask.preemptTriedAt < p.changedAt) consider(Math.max(ask.preemptTriedAt + PREEMPTION_RETRY_MS, now + 1));
    }
  }
  return next;
}

/** Does the application still hold or ask for a placeholder no real pod has taken over? */
function hasPlaceholder(app: Application): boolean {
  for (const a of app.asks.values()) if (a.info.placeholder === true) return true;
  for (const r of app.allocations.values()) if (r.ask.info.placeholder === true && r.releasing === null) return true;
  return false;
}

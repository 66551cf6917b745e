/**
 * The clock of gangs (see gang.ts for the phases): a gang whose time is up fails (Hard) or gives up
 * its placeholders (Soft), or, once reserved, lets its unused placeholders go; a gang whose own pods
 * are all gone lets the rest go. Run once per scheduling cycle; the booking is the partition's.
 */
import type { Partition } from './partition.js';
import { describeGroups } from './gang.js';

/**
 * Gangs whose time is up: one still reserving fails (Hard) or gives up its placeholders and is
 * scheduled as usual (Soft); one reserved releases the placeholders no real pod took.
 */
export function expireGangs(p: Partition): void {
  const now = p.now();
  for (const app of p.apps.values()) {
    const gang = app.gang;
    const at = gang?.expiresAt() ?? null;
    if (gang === null || at === null || now < at) continue;
    const seconds = Math.round(gang.spec.timeoutMs / 1000);
    if (gang.phase === 'Reserving' && gang.spec.style === 'Hard') {
      gang.phase = 'Failed';
      const message = `gang scheduling failed: ${gang.placed()} of ${gang.members()} placeholders (${describeGroups(gang.spec)}) were placed within ${seconds}s (gangSchedulingStyle Hard)`;
      p.releasePlaceholders(app, 'GangFailed', message);
      p.failApplication(app, message);
    } else if (gang.phase === 'Reserving') {
      gang.phase = 'Abandoned';
      p.releasePlaceholders(app, 'GangAbandoned', `the gang was not placed within ${seconds}s; its pods are scheduled without it (gangSchedulingStyle Soft)`);
      p.fire(app, 'resume');
      p.settleResuming(app);
    } else if (gang.phase === 'Reserved') {
      gang.phase = 'Done';
      p.releasePlaceholders(app, 'PlaceholderTimeout', `placeholder not used by a real pod within ${seconds}s`);
    }
  }
}

/**
 * Gangs whose own pods are all gone (after some ran): the placeholders left have nothing to wait for.
 * Checked once per cycle, not on each release, so a pod given back for a moment (a binding that
 * failed, asked again at once) does not cost the gang its reservation.
 */
export function releaseIdlePlaceholders(p: Partition): void {
  for (const app of p.apps.values()) {
    const gang = app.gang;
    if (gang === null || !gang.realPlaced || (gang.phase !== 'Reserved' && gang.phase !== 'Done')) continue;
    let real = false;
    for (const a of app.asks.values()) if (a.info.placeholder !== true) real = true;
    for (const r of app.allocations.values()) if (r.ask.info.placeholder !== true) real = true;
    if (!real) p.releasePlaceholders(app, 'ApplicationGone', 'the application has no pods left that could use it');
  }
}

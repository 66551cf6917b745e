/**
 * Why an application waits, in words: its waiting asks grouped by reason, the most specific reason
 * first (the core's order: queue quota, user quota, group quota, not runnable, no node fits, gang,
 * rejected). The words come from drover's `/api/v1/partition/{p}/pending`; an application's own
 * requests carry the same reason and serve when that list is not at hand.
 */
import type { Application, PendingList, PendingReason } from '../api/model.js';

/** The core's PENDING_REASONS, most specific first, with a short label for filters and counts. */
export const REASON_LABELS = {
  QueueQuotaExceeded: 'Queue quota',
  UserQuotaExceeded: 'User limit',
  GroupQuotaExceeded: 'Group limit',
  AppNotRunnable: 'Not runnable (max applications)',
  InsufficientCapacity: 'No node fits',
  GangPending: 'Gang incomplete',
  ApplicationRejected: 'Rejected',
} as const satisfies Record<string, string>;

/** The code drover's pending list uses for an ask no allocation cycle has looked at yet. */
export const NOT_CONSIDERED = 'none';
const NOT_CONSIDERED_REASON: PendingReason = { code: NOT_CONSIDERED, message: 'no scheduling cycle has looked at it yet' };

export const reasonLabel = (code: string): string => (code === NOT_CONSIDERED ? 'Not considered yet' : ((REASON_LABELS as Readonly<Record<string, string>>)[code] ?? code));

const rank = (code: string) => {
  const i = Object.keys(REASON_LABELS).indexOf(code);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};

export interface WaitingGroup {
  readonly code: string;
  /** The message of the first ask waiting for this reason. */
  readonly message: string;
  readonly asks: number;
}

export type WaitingIndex = ReadonlyMap<string, readonly WaitingGroup[]>;

function group(reasons: readonly PendingReason[]): WaitingGroup[] {
  const byCode = new Map<string, { message: string; asks: number }>();
  for (const r of reasons) {
    const g = byCode.get(r.code);
    if (g === undefined) byCode.set(r.code, { message: r.message, asks: 1 });
    else g.asks += 1;
  }
  return [...byCode.entries()].map(([code, g]) => ({ code, ...g })).sort((a, b) => rank(a.code) - rank(b.code));
}

/** Application id -> its waiting groups, from the pending list. */
export function indexPending(pending: PendingList): WaitingIndex {
  const byApp = new Map<string, PendingReason[]>();
  for (const ask of pending.asks) {
    const reason = ask.reason ?? NOT_CONSIDERED_REASON;
    const list = byApp.get(ask.applicationId);
    if (list === undefined) byApp.set(ask.applicationId, [reason]);
    else list.push(reason);
  }
  const out = new Map<string, WaitingGroup[]>();
  for (const [app, reasons] of byApp) out.set(app, group(reasons));
  return out;
}

/** Why `app` waits: from the pending list when there is one, else from its own requests. */
export function waitingFor(app: Application, index: WaitingIndex | undefined): readonly WaitingGroup[] {
  if (app.state === 'Rejected') return [{ code: 'ApplicationRejected', message: app.rejectedMessage ?? 'rejected', asks: app.requests.length }];
  const listed = index?.get(app.id);
  if (listed !== undefined) return listed;
  if (index !== undefined) return [];
  return group(app.requests.flatMap((r) => (r.reason === undefined ? [] : [r.reason])));
}

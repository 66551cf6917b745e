/**
 * drover's additions for the UI, beside YuniKorn's API (never changing its shapes):
 *   GET /api/v1/partition/{p}/pending?queue=&application=&user=&reason=&limit=
 *                                      every waiting ask and why it waits (drover-views.ts)
 *   GET /api/v1/partition/{p}/summary  the dashboard's numbers in one answer
 *   GET /api/v1/stream                 server-sent events: `changed` with `{ version }` when the
 *                                      scheduler's state changed (at most one per poll, see live.ts),
 *                                      once at connection so a reconnecting page refetches, and a
 *                                      keep-alive comment every `keepAliveMs` (15 s)
 */
import express from 'express';
import type { Router } from 'express';
import { PENDING_REASONS } from '../../core/port.js';
import type { PendingReasonCode } from '../../core/port.js';
import { pendingView, summaryView } from './drover-views.js';
import type { PendingFilter } from './drover-views.js';
import { badRequest, sendAnswer } from './http.js';
import type { LiveState } from './live.js';
import { partitionOf, pathParam, queryInteger, queryValue, queuePath, userName } from './params.js';
import type { Checked, Query } from './params.js';

export const DEFAULT_KEEPALIVE_MS = 15_000;

const REASONS: readonly string[] = [...PENDING_REASONS, 'none'];
const isReason = (s: string): s is PendingReasonCode | 'none' => REASONS.includes(s);

/** The pending view's filters from the query, each checked. */
export function pendingFilter(query: Query): Checked<PendingFilter> {
  const queue = queryValue(query, 'queue');
  const application = queryValue(query, 'application');
  const user = queryValue(query, 'user');
  const reason = queryValue(query, 'reason');
  const limit = queryInteger(query, 'limit', Number.MAX_SAFE_INTEGER, 1);
  if (!queue.ok) return queue;
  if (!application.ok) return application;
  if (!user.ok) return user;
  if (!reason.ok) return reason;
  if (!limit.ok) return limit;
  const q = queue.value === undefined ? undefined : queuePath(queue.value);
  if (q !== undefined && !q.ok) return q;
  const u = user.value === undefined ? undefined : userName(user.value);
  if (u !== undefined && !u.ok) return u;
  let code: PendingReasonCode | 'none' | undefined;
  if (reason.value !== undefined) {
    if (!isReason(reason.value)) return { ok: false, error: badRequest('Invalid pending reason', `reason must be one of ${REASONS.join(', ')}`) };
    code = reason.value;
  }
  return {
    ok: true,
    value: {
      ...(q === undefined ? {} : { queue: q.value }),
      ...(application.value === undefined ? {} : { application: application.value }),
      ...(u === undefined ? {} : { user: u.value }),
      ...(code === undefined ? {} : { reason: code }),
      ...(query['limit'] === undefined ? {} : { limit: limit.value }),
    },
  };
}

export function droverRouter(live: LiveState, keepAliveMs = DEFAULT_KEEPALIVE_MS): Router {
  const s = live.scheduler;
  const router = express.Router();

  router.get('/api/v1/partition/:partition/pending', (req, res) => {
    const p = partitionOf(s, pathParam(req.params, 'partition'));
    if (!p.ok) return sendAnswer(res, p);
    const filter = pendingFilter(req.query);
    return sendAnswer(res, filter.ok ? { ok: true, body: pendingView(p.value, filter.value) } : filter);
  });

  router.get('/api/v1/partition/:partition/summary', (req, res) => {
    const p = partitionOf(s, pathParam(req.params, 'partition'));
    if (!p.ok) return sendAnswer(res, p);
    return sendAnswer(res, { ok: true, body: { ...summaryView(s, p.value), version: live.version } });
  });

  router.get('/api/v1/stream', (_req, res) => {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const changed = (version: number): void => {
      res.write(`id: ${version}\nevent: changed\ndata: ${JSON.stringify({ version })}\n\n`);
    };
    // How long a browser waits before reconnecting, then the state it should show now.
    res.write('retry: 2000\n\n');
    changed(live.version);
    const unsubscribe = live.onChange(changed);
    const keepAlive = setInterval(() => res.write(': keepalive\n\n'), keepAliveMs);
    keepAlive.unref();
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      unsubscribe();
      live.streams.delete(end);
      res.end();
    };
    live.streams.add(end);
    res.on('close', end);
  });

  return router;
}

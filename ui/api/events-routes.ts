/**
 * YuniKorn's event endpoints over the event log (live.ts fills it):
 *   GET /ws/v1/events/batch?count=&start=  up to `count` (10,000) records from id `start` (0) on, with the
 *                                          lowest and highest ids held: `{ InstanceUUID, LowestID,
 *                                          HighestID, EventRecords }` (PascalCase, as upstream)
 *   GET /ws/v1/events/stream?count=        newline-delimited JSON kept open: first `{ InstanceUUID }`,
 *                                          then the last `count` (0) records, then each new one
 * At most `maxStreams` streams are open at once (503 beyond, as YuniKorn limits them); a client that
 * does not read is dropped once a few megabytes wait for it, with YuniKorn's closing message.
 */
import express from 'express';
import type { Router } from 'express';
import { JSON_TYPE, sendAnswer, sendError } from './http.js';
import type { LiveState } from './live.js';
import { queryInteger } from './params.js';

export const DEFAULT_BATCH_COUNT = 10_000;
export const DEFAULT_MAX_STREAMS = 100;
/** Bytes waiting for a stream's client before it is dropped. */
const MAX_BACKLOG_BYTES = 4 * 2 ** 20;

export function eventsRouter(live: LiveState, maxStreams = DEFAULT_MAX_STREAMS): Router {
  const router = express.Router();
  let open = 0;

  router.get('/ws/v1/events/batch', (req, res) => {
    const count = queryInteger(req.query, 'count', DEFAULT_BATCH_COUNT, 1);
    const start = queryInteger(req.query, 'start', 0, 0);
    if (!count.ok) return sendAnswer(res, count);
    if (!start.ok) return sendAnswer(res, start);
    const slice = live.events.fromId(start.value, count.value);
    return sendAnswer(res, { ok: true, body: { InstanceUUID: live.instanceUuid, LowestID: slice.lowestId, HighestID: slice.highestId, EventRecords: slice.records } });
  });

  router.get('/ws/v1/events/stream', (req, res) => {
    const count = queryInteger(req.query, 'count', 0, 0, live.events.capacity);
    if (!count.ok) return sendAnswer(res, count);
    if (open >= maxStreams) return sendError(res, { status: 503, message: 'Too many streaming connections', description: `at most ${maxStreams} event streams may be open at once` });
    open++;
    res.status(200);
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const line = (value: unknown): void => {
      res.write(`${JSON.stringify(value)}\n`);
    };
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      open--;
      unsubscribe();
      live.streams.delete(end);
      res.end();
    };
    line({ InstanceUUID: live.instanceUuid });
    for (const r of live.events.recent(count.value)) line(r);
    const unsubscribe = live.events.subscribe((record) => {
      if (res.writableLength > MAX_BACKLOG_BYTES) {
        line({ status_code: 503, message: 'Event stream was closed by the producer', description: 'the client did not read the events fast enough' });
        end();
        return;
      }
      line(record);
    });
    live.streams.add(end);
    // The response closes when the client goes (the request's own 'close' fires once its body is read).
    res.on('close', end);
    return undefined;
  });

  return router;
}

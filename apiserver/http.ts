/**
 * The embedded API server on HTTPS: express in front of `ApiServer.request`. JSON in and out, watches
 * streamed as newline-delimited JSON events (a watch from a resourceVersion the history no longer
 * holds gets an ERROR event with a 410 Status, as the real API server sends it), `timeoutSeconds`
 * honoured, a bearer token checked when one is configured. A GET that asks for a Table (`kubectl get`)
 * gets one (`tables.ts`), watches included; writes' warnings go out as `Warning` headers.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { tlsOptions } from '../tls/certificates.js';
import type { ServingCertificate } from '../tls/certificates.js';
import { ApiServer, statusBody } from './api.js';
import type { ApiResponse } from './api.js';
import { admit } from './admission.js';
import { faultFor, NO_FAULTS } from './faults.js';
import { asTable, wantsTable } from './tables.js';
import type { FaultPlan } from './faults.js';

/** The faults in force; tests change them while the server runs. */
export interface FaultControl {
  plan: FaultPlan;
  random: () => number;
}

export interface HttpOptions {
  readonly certificate: ServingCertificate;
  readonly port?: number;
  readonly host?: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly api?: ApiServer;
  readonly faults?: FaultControl;
  /** How often watches that allow bookmarks get one; default BOOKMARK_INTERVAL_MS. */
  readonly bookmarkIntervalMs?: number;
}

export interface RunningApiServer {
  readonly api: ApiServer;
  readonly faults: FaultControl;
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/** How often a watch that allows bookmarks gets one (the real server sends them about every minute). */
export const BOOKMARK_INTERVAL_MS = 10_000;

const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml'];

function query(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function createApp(api: ApiServer, token?: string, faults: FaultControl = { plan: NO_FAULTS, random: Math.random }, bookmarkIntervalMs = BOOKMARK_INTERVAL_MS): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      res.status(401).json(statusBody(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    next();
  });
  app.use(express.json({ limit: '3mb', type: JSON_TYPES }));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err === undefined || err === null) {
      next();
      return;
    }
    const status = typeof err === 'object' && 'status' in err && typeof err.status === 'number' ? err.status : 400;
    res.status(status).json(statusBody(status, status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err instanceof Error ? err.message : 'bad request'));
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (faults.plan.latencyMs > 0) setTimeout(next, faults.plan.latencyMs);
    else next();
  });
  app.all(/.*/, (req: Request, res: Response, next: NextFunction) => {
    handle(api, faults, bookmarkIntervalMs, req, res).catch(next);
  });
  return app;
}

/** An object or a list of objects (not discovery, a Status or an OpenAPI document): what a Table can show. */
function isPrintable(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const { kind, items, metadata } = body as { kind?: unknown; items?: unknown; metadata?: unknown };
  if (typeof kind !== 'string' || kind === 'Status') return false;
  return kind.endsWith('List') ? Array.isArray(items) : typeof metadata === 'object' && metadata !== null;
}

/** The user a request acts as: the token's user, or whom it impersonates (`kubectl --as`). */
function userOf(req: Request): { username: string; groups: string[] } {
  const as = req.headers['impersonate-user'];
  const groups = req.headers['impersonate-group'];
  if (typeof as === 'string' && as !== '') return { username: as, groups: Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : ['system:authenticated'] };
  return { username: 'drover-dev-admin', groups: ['system:masters', 'system:authenticated'] };
}

async function handle(api: ApiServer, faults: FaultControl, bookmarkIntervalMs: number, req: Request, res: Response): Promise<void> {
    const isWatch = req.query.watch === 'true' || req.query.watch === '1';
    const fault = faultFor(faults.plan, req.method, isWatch, faults.random);
    if (fault.kind === 'status') {
      const body = statusBody(fault.code, fault.reason, fault.message);
      // A watch learns of an expired resourceVersion from an ERROR event, as from the real server.
      if (fault.code === 410) res.status(200).type('application/json').end(`${JSON.stringify({ type: 'ERROR', object: body })}\n`);
      else res.status(fault.code).json(body);
      return;
    }
    const contentType = req.headers['content-type'];
    const table = req.method === 'GET' && wantsTable(req.headers.accept);
    const apiReq = { method: req.method, path: req.path, query: query(req), body: req.body as unknown, ...(contentType === undefined ? {} : { contentType }) };
    const candidate = api.candidate(apiReq);
    let r: ApiResponse;
    if (candidate === null) r = api.request(apiReq);
    else if ('kind' in candidate) r = candidate;
    else {
      const admitted = await admit(api.store, { ...candidate.call, user: userOf(req) });
      if (admitted.ok) {
        const committed = candidate.commit(admitted.object);
        r = committed.kind === 'json' && admitted.warnings.length > 0 ? { ...committed, warnings: [...(committed.warnings ?? []), ...admitted.warnings] } : committed;
      } else r = { kind: 'json', status: admitted.code, body: statusBody(admitted.code, admitted.code === 500 ? 'InternalError' : 'Forbidden', admitted.message) };
    }
    if (r.kind === 'json') {
      // RFC 7234 warnings, as the real server sends them (kubectl prints them as "Warning: ...").
      for (const w of r.warnings ?? []) res.append('Warning', `299 - ${JSON.stringify(w)}`);
      res.status(r.status).json(table && r.status === 200 && isPrintable(r.body) ? asTable(r.body, new Date()) : r.body);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Transfer-Encoding', 'chunked');
    res.flushHeaders();
    // A watch asked as a Table streams each object as a one-row Table; the first carries the columns.
    let columns = true;
    // Events of one turn of the event loop go out in one write (a burst is thousands of them).
    let batch: string[] = [];
    const flush = () => {
      if (!res.destroyed && !res.writableEnded && batch.length > 0) res.write(batch.join(''));
      batch = [];
    };
    const started = r.start((e) => {
      const event = table && e.type !== 'BOOKMARK' ? { type: e.type, object: asTable(e.object, new Date(), columns) } : e;
      if (event !== e) columns = false;
      if (batch.length === 0) setImmediate(flush);
      batch.push(`${JSON.stringify(event)}\n`);
    });
    if (!started.ok) {
      flush();
      res.end(`${JSON.stringify({ type: 'ERROR', object: statusBody(started.error.code, started.error.reason, started.error.message) })}\n`);
      return;
    }
    const stop = started.value;
    const seconds = Number(query(req).timeoutSeconds ?? '');
    const timer = Number.isFinite(seconds) && seconds > 0 ? setTimeout(() => {
          flush();
          res.end();
        }, seconds * 1000) : null;
    const drop = faults.plan.dropWatchAfterMs > 0 ? setTimeout(() => res.destroy(), faults.plan.dropWatchAfterMs) : null;
    // Bookmarks tell a quiet watch how far the server is, so that its restart need not relist.
    const bookmarks =
      query(req).allowWatchBookmarks === 'true'
        ? setInterval(() => res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Bookmark', apiVersion: 'v1', metadata: { resourceVersion: api.store.resourceVersion } } })}\n`), bookmarkIntervalMs)
        : null;
    res.on('close', () => {
      stop();
      if (timer !== null) clearTimeout(timer);
      if (drop !== null) clearTimeout(drop);
      if (bookmarks !== null) clearInterval(bookmarks);
    });
}

export async function startApiServer(options: HttpOptions): Promise<RunningApiServer> {
  const api = options.api ?? new ApiServer();
  const faults = options.faults ?? { plan: NO_FAULTS, random: Math.random };
  const server = createServer(tlsOptions(options.certificate), createApp(api, options.token, faults, options.bookmarkIntervalMs));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    api,
    faults,
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

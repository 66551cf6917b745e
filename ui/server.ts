/**
 * The UI server of the scheduler process (port 9080, as YuniKorn's): YuniKorn's REST API (`/ws/v1`,
 * ../shared/specs/rest-api.md), drover's additions for the UI (`/api/v1`), Prometheus metrics
 * (`/ws/v1/metrics`, `/metrics`) from whoever keeps them, and the browser UI's static files at `/` with
 * a single-page-app fallback so that deep links (`/queues/root.a`) load the page.
 *
 * Read-only: GET, HEAD and OPTIONS everywhere, POST only for `/ws/v1/validate-conf`; anything else is
 * a 405. Every answer carries `Access-Control-Allow-Origin: *`; every error under the API is YuniKorn's
 * `{ status_code, message, description }`, and nothing a client sends can crash the process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../core/port.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { bearerAuth } from './api/auth.js';
import { droverRouter } from './api/drover-routes.js';
import { eventsRouter } from './api/events-routes.js';
import type { Health } from './api/health.js';
import { badRequest, corsHeaders, sendError } from './api/http.js';
import type { ApiError } from './api/http.js';
import { LiveState } from './api/live.js';
import { wsV1Router } from './api/ws-v1.js';

export interface UiMetrics {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface UiOptions {
  /** Where to listen; all interfaces by default. */
  readonly host?: string;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** Prometheus metrics; `/ws/v1/metrics` and `/metrics` answer 404 without them. */
  readonly metrics?: UiMetrics;
  /** The built browser UI; default `ui/web/dist` of the repository. Not served if it does not exist. */
  readonly webRoot?: string;
  /** The process's health checks; default: the core's own consistency checks (api/health.ts). */
  readonly health?: () => Health;
  /** The resource manager's id in `/ws/v1/partitions` (default `mycluster`, as YuniKorn's shim). */
  readonly clusterId?: string;
  /** How often the scheduler is observed for changes and events, in ms (default 500). */
  readonly pollMs?: number;
  /** How often server-sent event streams get a keep-alive comment, in ms (default 15 s). */
  readonly keepAliveMs?: number;
  /** Event records kept for `/ws/v1/events` (default 10,000). */
  readonly eventCapacity?: number;
  /** When set, every request needs this bearer token (or the session of a browser signed in at /login). */
  readonly token?: string;
}

export interface UiServerOptions extends UiOptions {
  /** 0 picks a free port. */
  readonly port: number;
}

export interface RunningUiServer {
  readonly port: number;
  /** Stop observing, end the open streams, finish the requests in flight. */
  close(): Promise<void>;
}

/** The repository root: the nearest directory above this module with a package.json (from ui/ or dist/ui/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Where the built browser UI is looked for when no webRoot is given. */
export function defaultWebRoot(): string {
  return join(repositoryRoot(), 'ui', 'web', 'dist');
}

function packageVersion(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Paths that belong to the API: never the UI's page, always YuniKorn's error document. */
const API_PREFIXES = ['/ws/', '/api/', '/debug/', '/metrics'];
const isApiPath = (path: string) => API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WRITABLE = '/ws/v1/validate-conf';

export function createUiApp(o: UiOptions, live: LiveState = startedLive(o)): express.Express {
  const root = repositoryRoot();
  const clusterId = o.clusterId ?? 'mycluster';
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  if (o.token !== undefined) {
    app.use((_req, res, next) => {
      corsHeaders(res);
      next();
    });
    app.use(bearerAuth(o.token));
  }

  app.use((req, res, next) => {
    corsHeaders(res);
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const allowed = path === WRITABLE ? 'GET,POST,HEAD,OPTIONS' : 'GET,HEAD,OPTIONS';
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', allowed);
      res.status(204).end();
      return;
    }
    if (!READ_METHODS.has(req.method) && !(req.method === 'POST' && path === WRITABLE)) {
      res.setHeader('Allow', allowed);
      sendError(res, { status: 405, message: 'Method not allowed', description: `${req.method} is not allowed on ${req.path}: the REST API is read-only (POST only to ${WRITABLE})` });
      return;
    }
    next();
  });

  app.use(wsV1Router({ live, clusterId, buildInfo: { buildVersion: packageVersion(root), isPluginVersion: 'false', rmId: clusterId }, ...(o.health === undefined ? {} : { health: o.health }) }));
  app.use(eventsRouter(live));
  app.use(droverRouter(live, o.keepAliveMs));

  const metrics: RequestHandler = (_req, res, next) => {
    if (o.metrics === undefined) {
      sendError(res, { status: 404, message: 'Metrics not available', description: 'this process keeps no Prometheus metrics' });
      return;
    }
    const m = o.metrics;
    m.text()
      .then((text) => {
        res.setHeader('Content-Type', m.contentType);
        res.end(text);
      })
      .catch(next);
  };
  app.get(['/ws/v1/metrics', '/metrics'], metrics);

  app.use((req, res, next) => {
    if (isApiPath(req.path)) sendError(res, { status: 404, message: 'Not found', description: `no endpoint ${req.method} ${req.path}` });
    else next();
  });

  const webRoot = o.webRoot ?? defaultWebRoot();
  if (existsSync(webRoot)) {
    app.use(express.static(webRoot, { index: 'index.html', redirect: false }));
    const index = join(webRoot, 'index.html');
    // A deep link (`/queues/root.a`) asked for by a browser gets the page, which routes it itself.
    app.use((req, res, next) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !(req.headers.accept ?? '').includes('text/html') || !existsSync(index)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (err) => {
        if (err !== undefined && !res.headersSent) next(err);
      });
    });
  }

  app.use((req, res) => {
    sendError(res, { status: 404, message: 'Not found', description: `nothing at ${req.path}` });
  });
  app.use(errorHandler(o.logger));
  return app;
}

function startedLive(o: UiOptions): LiveState {
  const live = new LiveState({ scheduler: o.scheduler, logger: o.logger, ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }), ...(o.eventCapacity === undefined ? {} : { eventCapacity: o.eventCapacity }) });
  live.start();
  return live;
}

/** Errors with an HTTP status of their own (malformed bodies, undecodable paths) are the client's; the rest are bugs. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    let answer: ApiError;
    if (status === 413) answer = { status: 413, message: 'Request body too large', description: message };
    else if (status >= 400 && status < 500) answer = badRequest('Bad request', message);
    else {
      logger.warn({ path: req.path, method: req.method, error: message }, 'REST request failed');
      answer = { status: 500, message: 'Internal server error', description: message };
    }
    sendError(res, answer);
  };
}

export async function startUiServer(o: UiServerOptions): Promise<RunningUiServer> {
  const live = startedLive(o);
  const server = createServer(createUiApp(o, live));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    live.stop();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        live.stop();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeIdleConnections();
      }),
  };
}

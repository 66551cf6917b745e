/**
 * The webhook's express application, built from injected dependencies (settings, ConfigMap names and
 * contents, cluster lookups, logger) so that tests start it on port 0 and the command wires the real ones:
 *
 *   POST /mutate         AdmissionReview v1 for pods and workloads -> AdmissionReview with a JSONPatch
 *   POST /validate-conf  AdmissionReview v1 for ConfigMaps         -> allowed, or refused with the issues
 *   GET  /health         200 {"status":"ok"}
 *   GET  /metrics        Prometheus text: admission requests by operation, kind and outcome, and their latency
 *
 * Bad input never reaches the decisions: a body that is not `application/json` is a 415, one that is
 * larger than the limit a 413 (the declared length is checked before anything is read), one that is
 * not JSON or not an AdmissionReview v1 naming a uid a 400; all are answered as a Kubernetes Status
 * document. Anything a handler throws is a bug, answered 500 and logged, never a crash.
 */
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AdmissionSettings } from '../admission/index.js';
import { validateConfigMap } from './config-validation.js';
import type { MergeContext } from './config-validation.js';
import type { AdmissionMetrics, AdmissionOutcome } from './metrics.js';
import { createAdmissionMetrics, kindLabel, operationLabel } from './metrics.js';
import type { ClusterLookups } from './mutate.js';
import { mutate, NO_LOOKUPS } from './mutate.js';
import { readAdmissionReview, reviewResponse } from './review.js';
import type { AdmissionRequest, ReviewAnswer } from './review.js';

/** The API server sends at most 3 MiB of object in a request; the review around it adds little. */
export const DEFAULT_BODY_LIMIT_BYTES = 3 * 1024 * 1024 + 64 * 1024;

export interface WebhookDeps {
  /** The admission settings, or where to read the current ones (hot-reloaded from the ConfigMaps). */
  readonly settings: AdmissionSettings | (() => AdmissionSettings);
  /** The ConfigMaps whose queues.yaml /validate-conf checks; any other ConfigMap is allowed unchecked. */
  readonly configMapNames: ReadonlySet<string>;
  /** With a cluster: the ConfigMaps' roles and contents, so that an edit is checked merged with its pair. */
  readonly configMaps?: MergeContext;
  readonly logger: Logger;
  readonly lookups?: ClusterLookups;
  readonly bodyLimitBytes?: number;
  /** Where the admission requests are counted (and what `/metrics` serves); a registry of its own by default. */
  readonly metrics?: AdmissionMetrics;
}

/** What is known of an admission request in flight, for its metrics. */
interface Seen {
  operation: string | null;
  kind: string | null;
  outcome: AdmissionOutcome;
}

function outcomeOf(answer: ReviewAnswer): AdmissionOutcome {
  if (!answer.allowed) return 'denied';
  return (answer.patch?.length ?? 0) > 0 ? 'mutated' : 'unchanged';
}

/** A Kubernetes Status document, which is what the API server logs when a webhook call fails. */
export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

export function createWebhookApp(deps: WebhookDeps): express.Express {
  const { logger, configMapNames } = deps;
  const source = deps.settings;
  const settings = typeof source === 'function' ? source : () => source;
  const lookups = deps.lookups ?? NO_LOOKUPS;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const json = express.json({ limit, type: 'application/json', strict: true });
  const metrics = deps.metrics ?? createAdmissionMetrics();

  // Every request to a review endpoint is counted once, when its answer is sent (or the connection
  // drops): an error until the handler has read the review and decided.
  const inFlight = new WeakMap<Response, Seen>();
  const track: RequestHandler = (_req, res, next) => {
    const start = performance.now();
    const seen: Seen = { operation: null, kind: null, outcome: 'error' };
    inFlight.set(res, seen);
    let counted = false;
    const count = (outcome: AdmissionOutcome) => {
      if (counted) return;
      counted = true;
      metrics.observe({ operation: operationLabel(seen.operation), kind: kindLabel(seen.kind), outcome }, (performance.now() - start) / 1000);
    };
    res.once('finish', () => count(seen.outcome));
    // Closed before the answer was sent: the client gave up, or the connection dropped.
    res.once('close', () => count('error'));
    next();
  };

  const requireJson: RequestHandler = (req, res, next) => {
    if (req.is('application/json') === false || req.headers['content-type'] === undefined) {
      fail(res, 415, 'UnsupportedMediaType', `the body must be application/json, not ${req.headers['content-type'] ?? 'absent'}`);
      return;
    }
    // body-parser refuses a declared length over the limit too, but only answers once the whole body
    // has arrived (it drains it), so a client that declares 10 MiB and sends 2 bytes would hold the
    // request until the timeout. Answer at once and close the connection instead.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      logger.warn({ path: req.path, code: 'entity.too.large', httpStatus: 413 }, 'bad request body');
      res.setHeader('Connection', 'close');
      fail(res, 413, 'RequestEntityTooLarge', `the body is larger than ${limit} bytes`);
      return;
    }
    next();
  };

  const review = (path: string, handle: (request: AdmissionRequest) => ReviewAnswer): RequestHandler => (req, res) => {
    const read = readAdmissionReview(req.body);
    if (!read.ok && read.scope === 'envelope') {
      logger.warn({ path, code: read.code }, 'not an AdmissionReview v1');
      fail(res, 400, 'BadRequest', read.message);
      return;
    }
    if (!read.ok) {
      logger.warn({ path, reviewUid: read.uid, code: read.code }, 'malformed AdmissionReview request');
      res.json(reviewResponse(read.uid, { allowed: false, statusCode: 400, message: read.message }));
      return;
    }
    const answer = handle(read.request);
    const seen = inFlight.get(res);
    if (seen !== undefined) {
      seen.operation = read.request.operation;
      seen.kind = read.request.kind.kind;
      seen.outcome = outcomeOf(answer);
    }
    res.json(reviewResponse(read.request.uid, answer));
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/metrics', async (_req, res) => {
    const text = await metrics.text();
    res.setHeader('Content-Type', metrics.contentType);
    res.send(text);
  });

  app.post('/mutate', track, requireJson, json, review('/mutate', (request) => {
    const { answer, code } = mutate(request, settings(), lookups);
    const fields = { reviewUid: request.uid, kind: request.kind.kind, namespace: request.namespace, name: request.name, operation: request.operation, code, allowed: answer.allowed, dryRun: request.dryRun };
    if (answer.allowed) logger.debug(fields, 'admitted');
    else logger.info({ ...fields, user: request.user.username }, 'refused');
    return answer;
  }));

  app.post('/validate-conf', track, requireJson, json, review('/validate-conf', (request) => {
    const result = validateConfigMap(request, configMapNames, deps.configMaps);
    const fields = { reviewUid: request.uid, configMap: result.configMap, namespace: request.namespace, operation: request.operation, code: result.code, allowed: result.answer.allowed, queuesFrom: result.queuesFrom, issueCount: result.issues.length };
    if (result.code === 'not-watched') logger.debug(fields, 'configmap not watched');
    else logger.info({ ...fields, user: request.user.username }, result.answer.allowed ? 'configuration accepted' : 'configuration refused');
    return result.answer;
  }));

  for (const [path, allow] of [['/mutate', 'POST'], ['/validate-conf', 'POST'], ['/health', 'GET'], ['/metrics', 'GET']] as const) {
    app.all(path, (req, res) => {
      res.setHeader('Allow', allow);
      fail(res, 405, 'MethodNotAllowed', `${req.method} is not allowed on ${path}; use ${allow}`);
    });
  }
  app.use((req, res) => {
    fail(res, 404, 'NotFound', `no endpoint ${req.method} ${req.path}; the webhook serves POST /mutate, POST /validate-conf, GET /health and GET /metrics`);
  });
  app.use(errorHandler(logger, limit));
  return app;
}

function fail(res: Response, code: number, reason: string, message: string): void {
  res.status(code).json(statusBody(code, reason, message));
}

/** body-parser's errors carry a `type`; each maps to one answer. Anything else is a bug. */
const PARSER_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  'entity.parse.failed': [400, 'BadRequest'],
  'entity.too.large': [413, 'RequestEntityTooLarge'],
  'entity.verify.failed': [400, 'BadRequest'],
  'request.aborted': [400, 'BadRequest'],
  'request.size.invalid': [400, 'BadRequest'],
  'charset.unsupported': [415, 'UnsupportedMediaType'],
  'encoding.unsupported': [415, 'UnsupportedMediaType'],
};

function errorHandler(logger: Logger, limit: number): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const type = typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' ? err.type : '';
    const known = Object.hasOwn(PARSER_ERRORS, type) ? PARSER_ERRORS[type] : undefined;
    if (known !== undefined) {
      const [code, reason] = known;
      const message = type === 'entity.too.large' ? `the body is larger than ${limit} bytes` : type === 'entity.parse.failed' ? 'the body is not valid JSON' : `the body cannot be read (${type})`;
      logger.warn({ path: req.path, code: type, httpStatus: code }, 'bad request body');
      fail(res, code, reason, message);
      return;
    }
    logger.error({ path: req.path, err }, 'bug: unexpected error in the webhook');
    fail(res, 500, 'InternalError', 'internal error in the drover webhook');
  };
}

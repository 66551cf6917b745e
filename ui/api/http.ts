/**
 * The wire rules every REST answer follows, in one place: YuniKorn's headers (`application/json;
 * charset=UTF-8`, spelled exactly so, and `Access-Control-Allow-Origin: *`) and its error document
 * `{ status_code, message, description }`. Bodies are serialised here rather than with `res.json`, which
 * would lower-case the charset and hash every body for an ETag (a 50,000-application listing is tens of
 * megabytes).
 */
import type { Response } from 'express';

export const JSON_TYPE = 'application/json; charset=UTF-8';

/** YuniKorn's YAPIError. `message` is short and stable; `description` says what was wrong with this request. */
export interface ApiErrorBody {
  readonly status_code: number;
  readonly message: string;
  readonly description: string;
}

/** An expected refusal of a request: a value the handlers return, turned into the error document at the edge. */
export interface ApiError {
  readonly status: 400 | 401 | 404 | 405 | 413 | 500 | 501 | 503;
  readonly message: string;
  readonly description: string;
}

export const badRequest = (message: string, description = message): ApiError => ({ status: 400, message, description });
export const notFound = (message: string, description = message): ApiError => ({ status: 404, message, description });

/** The headers of every answer, as YuniKorn's writeHeaders sets them. */
export function corsHeaders(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', 'GET,POST,HEAD,OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'X-Requested-With,Content-Type,Accept,Origin');
}

export function sendJson(res: Response, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.status(status);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: Response, error: ApiError): void {
  const body: ApiErrorBody = { status_code: error.status, message: error.message, description: error.description };
  sendJson(res, body, error.status);
}

/** A handler's answer: a body to send, or a refusal. */
export type Answer<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly error: ApiError };

export const ok = <T>(body: T): Answer<T> => ({ ok: true, body });
export const fail = (error: ApiError): Answer<never> => ({ ok: false, error });

export function sendAnswer(res: Response, answer: Answer<unknown>): void {
  if (answer.ok) sendJson(res, answer.body);
  else sendError(res, answer.error);
}

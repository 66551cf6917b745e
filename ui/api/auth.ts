/**
 * Optional authentication of the UI and the REST API with one bearer token (for anything richer, an
 * OIDC proxy in front: docs/install.md). Scripts and Prometheus send `Authorization: Bearer <token>`;
 * a browser signs in once at `/login` and then carries an HttpOnly, SameSite=Strict cookie holding a
 * digest of the token (never the token itself), which the page's requests and its event stream send
 * by themselves. Comparisons take constant time. Without a token configured, nothing changes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { sendError } from './http.js';

const COOKIE = 'drover_session';

const digest = (text: string): Buffer => createHash('sha256').update(`drover-ui:${text}`).digest();

function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Where a signed-in browser may be sent back to: a path on this server only. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(res: Response, status: number, next: string, failed: boolean): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>drover: sign in</title>` +
        `<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;margin:0}form{display:grid;gap:.75rem;min-width:20rem}input,button{font:inherit;padding:.5rem}.error{color:#b00020}</style></head>` +
        `<body><form method="post" action="/login"><h1>drover</h1><label for="token">Access token</label>` +
        `<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>` +
        `<input type="hidden" name="next" value="${escape(next)}">` +
        (failed ? '<p class="error" role="alert">That token is not valid.</p>' : '') +
        `<button type="submit">Sign in</button></form></body></html>`,
    );
}

/** The middleware: `/login` and `/logout`, then every other request must carry the token. */
export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  const matches = (candidate: string | null): boolean => candidate !== null && timingSafeEqual(digest(candidate), expected);
  const sessionMatches = (value: string | null): boolean => {
    if (value === null || !/^[0-9a-f]{64}$/.test(value)) return false;
    return timingSafeEqual(Buffer.from(value, 'hex'), expected);
  };
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    if (req.path === '/login') {
      if (req.method === 'GET') return loginPage(res, 200, safeNext(req.query.next), false);
      if (req.method !== 'POST') return next();
      form(req, res, () => {
        const body = (req.body ?? {}) as { token?: unknown; next?: unknown };
        const target = safeNext(body.next);
        if (!matches(typeof body.token === 'string' ? body.token : null)) return loginPage(res, 401, target, true);
        res.setHeader('Set-Cookie', `${COOKIE}=${expected.toString('hex')}; HttpOnly; SameSite=Strict; Path=/`);
        res.redirect(303, target);
      });
      return;
    }
    if (req.path === '/logout') {
      res.setHeader('Set-Cookie', `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
      res.redirect(303, '/login');
      return;
    }
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? null;
    if (matches(bearer) || sessionMatches(cookieOf(req, COOKIE))) return next();
    const api = /^\/(ws|api|debug|metrics)(\/|$)/.test(req.path);
    if (!api && req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="drover"');
    sendError(res, { status: 401, message: 'Unauthorized', description: 'this drover requires a token: send Authorization: Bearer <token>, or sign in at /login' });
  };
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cluster, serve } from './test-helpers.js';
import type { Served } from './test-helpers.js';

const TOKEN = 's3cret-token';
const INDEX = '<!doctype html><title>drover</title>';

describe('with a token', () => {
  let s: Served;
  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'drover-web-'));
    writeFileSync(join(web, 'index.html'), INDEX);
    s = await serve(cluster(), { token: TOKEN, webRoot: web });
  });
  afterAll(() => s.close());

  it('refuses the API without the token, in YuniKorn error shape with a WWW-Authenticate challenge', async () => {
    for (const path of ['/ws/v1/partitions', '/api/v1/partition/default/summary', '/metrics']) {
      const r = await call(`${s.base}${path}`);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="drover"');
      expect(r.body).toMatchObject({ status_code: 401, message: 'Unauthorized' });
    }
    expect((await call(`${s.base}/ws/v1/partitions`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('answers the API with the bearer token', async () => {
    const r = await call(`${s.base}/ws/v1/partitions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
  });

  it('sends a browser to sign in, then serves it with a session cookie that is not the token', async () => {
    const page = await fetch(`${s.base}/queues/root.a`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fqueues%2Froot.a');
    const form = await call(`${s.base}/login?next=/queues/root.a`, { headers: { accept: 'text/html' } });
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="token"');

    const wrong = await fetch(`${s.base}/login`, { method: 'POST', body: new URLSearchParams({ token: 'nope', next: '/queues/root.a' }), redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const signed = await fetch(`${s.base}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, next: '/queues/root.a' }), redirect: 'manual' });
    expect(signed.status).toBe(303);
    expect(signed.headers.get('location')).toBe('/queues/root.a');
    const cookie = signed.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^drover_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0] ?? '';
    const again = await call(`${s.base}/queues/root.a`, { headers: { accept: 'text/html', cookie: session } });
    expect(again.status).toBe(200);
    expect(again.text).toBe(INDEX);
    expect((await call(`${s.base}/ws/v1/partitions`, { headers: { cookie: session } })).status).toBe(200);
    expect((await call(`${s.base}/ws/v1/partitions`, { headers: { cookie: 'drover_session=' + '0'.repeat(64) } })).status).toBe(401);
  });

  it('never sends a signed-in browser off the server', async () => {
    const r = await fetch(`${s.base}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, next: '//evil.example/x' }), redirect: 'manual' });
    expect(r.headers.get('location')).toBe('/');
  });

  it('lets a CORS preflight through', async () => {
    expect((await call(`${s.base}/ws/v1/partitions`, { method: 'OPTIONS' })).status).toBe(204);
  });
});

describe('without a token', () => {
  it('serves everyone, as YuniKorn does', async () => {
    const s = await serve(cluster());
    try {
      expect((await call(`${s.base}/ws/v1/partitions`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

/**
 * The UI server around the API: static files and the single-page-app fallback, metrics, the read-only
 * rule (405), CORS preflight, health checks given by the process, errors that must not take it down,
 * and starting and closing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LOGGER } from '../core/port.js';
import { call, cluster, expectError, keys, serve } from './api/test-helpers.js';
import type { Served } from './api/test-helpers.js';
import { defaultWebRoot, startUiServer } from './server.js';

const INDEX = '<!doctype html><title>drover</title><div id="root"></div>';

function webRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-web-'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("drover")');
  return dir;
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the browser UI', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(cluster(), { webRoot: webRoot() });
  });
  afterAll(() => s.close());

  it.each([
    { name: 'the page at /', path: '/', headers: HTML, type: /^text\/html/, body: INDEX },
    { name: 'an asset', path: '/assets/app.js', headers: {}, type: /javascript/, body: 'console.log("drover")' },
    { name: 'a deep link, to a browser', path: '/queues/root.a', headers: HTML, type: /^text\/html/, body: INDEX },
    { name: 'a deep link several levels down', path: '/applications/root.a/x', headers: HTML, type: /^text\/html/, body: INDEX },
  ])('serves $name', async ({ path, headers, type, body }) => {
    const reply = await call(`${s.base}${path}`, { headers });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(type);
    expect(reply.text).toBe(body);
  });

  it.each([
    { name: 'an unknown path to a client that does not want HTML', path: '/queues/root.a', headers: { accept: 'application/json' } },
    { name: 'a missing asset', path: '/assets/missing.js', headers: { accept: '*/*' } },
    { name: 'an unknown API path, even to a browser', path: '/ws/v1/nope', headers: HTML },
    { name: 'an unknown drover API path, even to a browser', path: '/api/v2/x', headers: HTML },
  ])('answers 404 with the error document for $name', async ({ path, headers }) => {
    expectError(await call(`${s.base}${path}`, { headers }), 404);
  });

  it('serves no page when the UI is not built, and says so in the error document', async () => {
    const t = await serve(cluster(), { webRoot: join(tmpdir(), 'drover-no-such-dir') });
    expectError(await call(`${t.base}/`, { headers: HTML }), 404);
    expect((await call(`${t.base}/ws/v1/partitions`)).status).toBe(200);
    await t.close();
  });

  it('looks for the built UI in ui/web/dist of the repository by default', () => {
    const repository = dirname(dirname(fileURLToPath(import.meta.url)));
    expect(defaultWebRoot()).toBe(join(repository, 'ui', 'web', 'dist'));
  });
});

describe('metrics', () => {
  it('serves the metrics it is given at /ws/v1/metrics and /metrics', async () => {
    const t = await serve(cluster(), { metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', text: () => Promise.resolve('drover_up 1\n') } });
    for (const path of ['/ws/v1/metrics', '/metrics']) {
      const reply = await call(`${t.base}${path}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(reply.text).toBe('drover_up 1\n');
    }
    await t.close();
  });

  it('answers 404 without metrics, and 500 (then goes on) when they fail', async () => {
    const t = await serve();
    expectError(await call(`${t.base}/metrics`), 404);
    expectError(await call(`${t.base}/ws/v1/metrics`), 404);
    await t.close();
    const failing = await serve(cluster(), { metrics: { contentType: 'text/plain', text: () => Promise.reject(new Error('registry broken')) } });
    const reply = await call(`${failing.base}/metrics`);
    expectError(reply, 500);
    expect(reply.body).toMatchObject({ description: 'registry broken' });
    expect((await call(`${failing.base}/ws/v1/partitions`)).status).toBe(200);
    await failing.close();
  });
});

describe('read-only', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(() => s.close());

  it.each([
    { method: 'POST', path: '/ws/v1/partitions' },
    { method: 'PUT', path: '/ws/v1/partition/default/queue/root.a' },
    { method: 'DELETE', path: '/ws/v1/partition/default/application/x' },
    { method: 'PATCH', path: '/ws/v1/config' },
    { method: 'PUT', path: '/ws/v1/validate-conf' },
    { method: 'POST', path: '/api/v1/stream' },
    { method: 'DELETE', path: '/' },
    { method: 'POST', path: '/nowhere' },
  ])('405 for $method $path', async ({ method, path }) => {
    const reply = await call(`${s.base}${path}`, { method, body: method === 'DELETE' ? null : '{}' });
    expectError(reply, 405);
    expect(reply.headers.get('allow')).toMatch(/^GET,(POST,)?HEAD,OPTIONS$/);
  });

  it('answers a CORS preflight', async () => {
    const reply = await call(`${s.base}/ws/v1/validate-conf`, { method: 'OPTIONS', headers: { origin: 'http://example.com', 'access-control-request-method': 'POST' } });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET,POST,HEAD,OPTIONS');
    expect(reply.headers.get('allow')).toBe('GET,POST,HEAD,OPTIONS');
  });
});

describe('health', () => {
  it('gives the process\'s own checks in YuniKorn\'s PascalCase', async () => {
    const t = await serve(cluster(), { health: () => ({ healthy: false, checks: [{ name: 'informers', succeeded: false, description: 'informers synced', diagnosisMessage: 'pods not listed yet' }] }) });
    const reply = await call(`${t.base}/ws/v1/scheduler/healthcheck`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ Healthy: false, HealthChecks: [{ Name: 'informers', Succeeded: false, Description: 'informers synced', DiagnosisMessage: 'pods not listed yet' }] });
    await t.close();
  });

  it('finds books that do not add up', async () => {
    const t = await serve();
    const root = t.h.partition().tree.root;
    root.allocated['vcore'] = -5; // what a bookkeeping bug would leave
    const reply = await call(`${t.base}/ws/v1/scheduler/healthcheck`);
    const body = reply.body as { Healthy: boolean; HealthChecks: { Name: string; Succeeded: boolean; DiagnosisMessage: string }[] };
    expect(body.Healthy).toBe(false);
    expect(body.HealthChecks.filter((c) => !c.Succeeded).map((c) => c.Name)).toEqual(['Negative resources', 'Consistency of data']);
    expect(body.HealthChecks[0]?.DiagnosisMessage).toBe('default: root allocated vcore');
    await t.close();
  });
});

describe('startUiServer', () => {
  it('fails to start on a port in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    await expect(startUiServer({ port, host: '127.0.0.1', scheduler: cluster().s, logger: NO_LOGGER })).rejects.toThrow(/EADDRINUSE/);
    taken.close();
  });

  it('answers on the port it picked, with keys of the spec', async () => {
    const t = await serve();
    const reply = await call(`${t.base}/ws/v1/partitions`);
    expect(keys((reply.body as unknown[])[0])).toContain('nodeSortingPolicy');
    await t.close();
    await expect(fetch(`${t.base}/ws/v1/partitions`)).rejects.toThrow();
  });
});

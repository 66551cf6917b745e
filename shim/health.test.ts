/**
 * The health checks and their HTTP server: which checks each probe runs, the Kubernetes-style body,
 * failures from throws and timeouts, and the paths served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LOGGER } from '../core/port.js';
import { createHealthChecks, failed, gate, PASSED, startHealthServer } from './health.js';
import type { RunningHealthServer } from './health.js';

describe('health checks', () => {
  it('pass with a bare ok when every check passes', async () => {
    const checks = createHealthChecks();
    checks.addReadiness('config', () => PASSED);
    expect(await checks.run('readyz')).toEqual({ status: 200, body: 'ok' });
    expect(await checks.run('livez')).toEqual({ status: 200, body: 'ok' });
  });

  it('list every check with the failing one and its reason', async () => {
    const checks = createHealthChecks();
    checks.addReadiness('informer-sync', () => failed('pods not synced'));
    checks.addReadiness('config', () => PASSED);
    expect(await checks.run('readyz')).toEqual({ status: 500, body: '[+]ping ok\n[-]informer-sync failed: pods not synced\n[+]config ok\nreadyz check failed\n' });
  });

  it('keep readiness out of liveness, and liveness in readiness', async () => {
    const checks = createHealthChecks();
    checks.addReadiness('informer-sync', () => failed('not synced'));
    expect((await checks.run('livez')).status).toBe(200);
    checks.addLiveness('loop', () => failed('the scheduling loop has not run for 30 s'));
    expect(await checks.run('livez')).toEqual({ status: 500, body: '[+]ping ok\n[-]loop failed: the scheduling loop has not run for 30 s\nlivez check failed\n' });
    expect((await checks.run('readyz')).body).toContain('[-]loop failed');
  });

  it('count a throw, a rejection and a check that does not answer as failures', async () => {
    const checks = createHealthChecks({ checkTimeoutMs: 10 });
    checks.addReadiness('throws', () => {
      throw new Error('boom');
    });
    checks.addReadiness('rejects', () => Promise.reject(new Error('no connection')));
    checks.addReadiness('hangs', () => new Promise(() => undefined));
    const { status, body } = await checks.run('readyz');
    expect(status).toBe(500);
    expect(body.split('\n')).toEqual(['[+]ping ok', '[-]throws failed: boom', '[-]rejects failed: no connection', '[-]hangs failed: no answer within 10 ms', 'readyz check failed', '']);
  });

  it('answer verbosely, without excluded checks, or for one check alone', async () => {
    const checks = createHealthChecks();
    checks.addReadiness('config', () => PASSED);
    checks.addReadiness('informer-sync', () => failed('nodes not synced'));
    expect(await checks.run('readyz', { exclude: ['informer-sync'], verbose: true })).toEqual({ status: 200, body: '[+]ping ok\n[+]config ok\nreadyz check passed\n' });
    expect(await checks.run('readyz', { only: 'config' })).toEqual({ status: 200, body: 'ok' });
    expect((await checks.run('readyz', { only: 'informer-sync' })).status).toBe(500);
    expect((await checks.run('livez', { only: 'config' })).status).toBe(404);
  });

  it('refuse a second check of the same name and names that do not fit a path', () => {
    const checks = createHealthChecks();
    checks.addReadiness('config', () => PASSED);
    expect(() => checks.addLiveness('config', () => PASSED)).toThrow(/already/);
    expect(() => checks.addReadiness('Config Loaded', () => PASSED)).toThrow(/name/);
  });

  it('gate: fails until opened, and again once closed', async () => {
    const synced = gate('informers not synced');
    expect(await synced.check()).toEqual(failed('informers not synced'));
    synced.open();
    expect(await synced.check()).toEqual(PASSED);
    synced.close();
    expect((await synced.check()).ok).toBe(false);
  });
});

describe('the health server', () => {
  let server: RunningHealthServer;
  const synced = gate('pods not synced');

  beforeAll(async () => {
    const checks = createHealthChecks();
    checks.addReadiness('informer-sync', synced.check);
    server = await startHealthServer({ checks, port: 0, host: '127.0.0.1', logger: NO_LOGGER });
  });

  afterAll(async () => {
    await server.close();
  });

  const request = async (path: string, method = 'GET') => {
    const res = await fetch(`http://127.0.0.1:${String(server.port)}${path}`, { method });
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };

  it.each([
    { name: 'healthz is alive', path: '/healthz', status: 200, body: 'ok' },
    { name: 'livez is alive', path: '/livez', status: 200, body: 'ok' },
    { name: 'readyz waits for the informers', path: '/readyz', status: 500, body: '[+]ping ok\n[-]informer-sync failed: pods not synced\nreadyz check failed\n' },
    { name: 'one check alone', path: '/readyz/informer-sync', status: 500, body: '[-]informer-sync failed: pods not synced\nreadyz check failed\n' },
    { name: 'a readiness check is not a liveness check', path: '/livez/informer-sync', status: 404, body: 'no livez check named informer-sync\n' },
    { name: 'excluded', path: '/readyz?exclude=informer-sync', status: 200, body: 'ok' },
    { name: 'an unknown path', path: '/metrics', status: 404, body: 'not found\n' },
    { name: 'too deep', path: '/readyz/informer-sync/more', status: 404, body: 'not found\n' },
  ])('$name', async ({ path, status, body }) => {
    expect(await request(path)).toEqual({ status, body, type: 'text/plain; charset=utf-8' });
  });

  it('turns ready when the gate opens', async () => {
    synced.open();
    try {
      expect(await request('/readyz')).toMatchObject({ status: 200, body: 'ok' });
      expect(await request('/readyz?verbose')).toMatchObject({ status: 200, body: '[+]ping ok\n[+]informer-sync ok\nreadyz check passed\n' });
    } finally {
      synced.close();
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    expect(await request('/livez', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect(await request('/livez', 'POST')).toMatchObject({ status: 405 });
  });
});

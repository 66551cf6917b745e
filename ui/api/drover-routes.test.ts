/**
 * drover's additions for the UI over real HTTP: the pending view (every waiting ask and its reason,
 * filters, bad filters), the summary, and the live feed of server-sent events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiB, call, cluster, expectError, keys, openStream, serve } from './test-helpers.js';
import type { Served } from './test-helpers.js';

let s: Served;
beforeAll(async () => {
  s = await serve();
});
afterAll(() => s.close());

const PENDING = '/api/v1/partition/default/pending';
const asked = (body: unknown) => (body as { asks: { allocationKey: string }[] }).asks.map((a) => a.allocationKey);

describe('GET /api/v1/partition/{p}/pending', () => {
  it('lists every waiting ask, oldest first, with its application, queue, user and reason', async () => {
    const reply = await call(`${s.base}${PENDING}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(keys(reply.body)).toEqual(['asks', 'byReason', 'partition', 'total']);
    expect(reply.body).toMatchObject({
      partition: 'default',
      total: 3,
      byReason: { none: 0, QueueQuotaExceeded: 2, UserQuotaExceeded: 0, GroupQuotaExceeded: 0, AppNotRunnable: 0, InsufficientCapacity: 1, GangPending: 0, ApplicationRejected: 0 },
    });
    const [x3, y1, z2] = (reply.body as { asks: unknown[] }).asks;
    expect(keys(x3)).toEqual(['allocationKey', 'applicationId', 'applicationState', 'count', 'groups', 'lastOccurrence', 'priority', 'queue', 'reason', 'requestTime', 'resource', 'user']);
    expect(x3).toEqual({
      allocationKey: 'x3',
      applicationId: 'x',
      applicationState: 'Running',
      queue: 'root.a',
      user: 'alice',
      groups: [],
      resource: { pods: 1, vcore: 1000 },
      priority: 0,
      requestTime: 1_010_000_000,
      reason: { code: 'QueueQuotaExceeded', message: 'queue root.a uses {vcore: 2} of its max {vcore: 2}; this pod needs {vcore: 1} more' },
      lastOccurrence: 1_020_000_000,
      count: 1,
    });
    expect(y1).toMatchObject({ allocationKey: 'y1', user: 'bob', groups: ['dev'], queue: 'root.b', reason: { code: 'InsufficientCapacity' } });
    expect(z2).toMatchObject({ allocationKey: 'z2', queue: 'root.small', reason: { code: 'QueueQuotaExceeded' } });
  });

  it.each([
    { name: 'a queue and those below it', query: 'queue=root', keys: ['x3', 'y1', 'z2'] },
    { name: 'one leaf queue', query: 'queue=root.small', keys: ['z2'] },
    { name: 'a queue whose name starts like another', query: 'queue=root.s', keys: [] },
    { name: 'an application', query: 'application=y', keys: ['y1'] },
    { name: 'a user', query: 'user=carol', keys: ['z2'] },
    { name: 'a reason', query: 'reason=InsufficientCapacity', keys: ['y1'] },
    { name: 'asks no cycle has looked at', query: 'reason=none', keys: [] },
    { name: 'a limit', query: 'limit=2', keys: ['x3', 'y1'] },
  ])('filters by $name', async ({ query, keys: expected }) => {
    const reply = await call(`${s.base}${PENDING}?${query}`);
    expect(reply.status).toBe(200);
    expect(asked(reply.body)).toEqual(expected);
  });

  it('counts asks before the limit, and asks not looked at yet under `none`', async () => {
    const t = await serve();
    t.h.ask('x4', 'x', { vcore: 100 });
    const reply = await call(`${t.base}${PENDING}?limit=1`);
    expect(reply.body).toMatchObject({ total: 4, byReason: { none: 1, QueueQuotaExceeded: 2 } });
    expect(asked(reply.body)).toEqual(['x3']);
    expect((await call(`${t.base}${PENDING}?reason=none`)).body).toMatchObject({ asks: [{ allocationKey: 'x4', reason: null, lastOccurrence: 0, count: 0 }] });
    await t.close();
  });

  it.each([
    { name: 'a bad queue name', path: `${PENDING}?queue=root..a`, status: 400 },
    { name: 'an unknown reason', path: `${PENDING}?reason=Busy`, status: 400 },
    { name: 'a limit of 0', path: `${PENDING}?limit=0`, status: 400 },
    { name: 'a limit that is not a number', path: `${PENDING}?limit=all`, status: 400 },
    { name: 'a user name that is not one', path: `${PENDING}?user=1x`, status: 400 },
    { name: 'a filter given twice', path: `${PENDING}?queue=root&queue=root.a`, status: 400 },
    { name: 'an unknown partition', path: '/api/v1/partition/nope/pending', status: 404 },
    { name: 'an unknown partition (summary)', path: '/api/v1/partition/nope/summary', status: 404 },
    { name: 'an unknown endpoint', path: '/api/v1/nope', status: 404 },
  ])('$status for $name', async ({ path, status }) => {
    expectError(await call(`${s.base}${path}`), status);
  });
});

describe('GET /api/v1/partition/{p}/summary', () => {
  it('gives the dashboard: capacity and use, applications by state, the node histogram, counts', async () => {
    const reply = await call(`${s.base}/api/v1/partition/default/summary`);
    expect(reply.status).toBe(200);
    const body = reply.body as Record<string, unknown>;
    expect(keys(body)).toEqual(['allocations', 'applications', 'capacity', 'nodeUtilization', 'nodes', 'partition', 'pending', 'queues', 'version']);
    expect(body['version']).toEqual(expect.any(Number));
    // two nodes of 4 cores, 8 GiB, 110 pods; x1 (1 core, 1 GiB) and x2 (1 core), y2 (100m), z1 (400m)
    expect(body['capacity']).toEqual({
      capacity: { memory: 16 * GiB, pods: 220, vcore: 8000 },
      used: { memory: GiB, pods: 4, vcore: 2500 },
      pending: { pods: 3, vcore: 101_400 }, // x3 1000m, y1 100 cores, z2 400m
      utilization: { memory: 6, pods: 1, vcore: 31 }, // 1/16, 4/220, 2500/8000, truncated
    });
    expect(body['applications']).toEqual({ New: 0, Accepted: 0, Running: 3, Completing: 0, Completed: 0, Rejected: 0, Failing: 0, Failed: 0, Resuming: 0, total: 3 });
    expect(body['nodes']).toEqual({ total: 2, schedulable: 2, unschedulable: 0, reserved: 0 });
    // root.a uses 2 cores of a 1-core guarantee and all of its 2-core max; root.small 400m of 500m
    expect(body['queues']).toEqual({ total: 4, leaves: 3, dynamic: 0, draining: 0, overGuaranteed: 1, atMax: 1 });
    expect(body['pending']).toEqual({ asks: 3, byReason: { none: 0, QueueQuotaExceeded: 2, UserQuotaExceeded: 0, GroupQuotaExceeded: 0, AppNotRunnable: 0, InsufficientCapacity: 1, GangPending: 0, ApplicationRejected: 0 } });
    expect(body['allocations']).toBe(4);
    const vcore = (body['nodeUtilization'] as { type: string; buckets: { bucketName: string; numOfNodes: number }[] }[]).find((h) => h.type === 'vcore');
    // n1: x1 1000m of 4000m = 25 %; n2: x2 + y2 + z1 = 1500m = 37 %
    expect(vcore?.buckets.map((b) => b.numOfNodes)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(vcore?.buckets[0]).toEqual({ bucketName: '0-10%', numOfNodes: 0 });
  });
});

describe('GET /api/v1/stream', () => {
  it('sends `changed` with the version at once, after each change, and keep-alive comments', async () => {
    const t = await serve(cluster(), { pollMs: 20, keepAliveMs: 50 });
    const stream = await openStream(`${t.base}/api/v1/stream`, '\n\n');
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('access-control-allow-origin')).toBe('*');
    const changed = (block: string) => block.includes('event: changed');
    const version = (block: string) => (JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? 'null') as { version: number }).version;
    const first = version(await stream.next(changed));
    t.h.ask('x4', 'x', { vcore: 100 });
    const second = await stream.next(changed);
    expect(version(second)).toBe(first + 1);
    expect(second).toBe(`id: ${first + 1}\nevent: changed\ndata: {"version":${first + 1}}`);
    await stream.next((block) => block === ': keepalive');
    stream.close();
    await t.close();
  });

  it('is ended when the server closes', async () => {
    const t = await serve();
    const stream = await openStream(`${t.base}/api/v1/stream`, '\n\n');
    await stream.next((b) => b.includes('event: changed'));
    await t.close();
    await expect(stream.next((b) => b.includes('never'))).rejects.toThrow(/ended/);
  });
});

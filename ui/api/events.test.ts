/**
 * The event log: the ring buffer, the changes the REST layer sees in the core (driven through the port
 * with a fake clock, one observation at a time), and `/ws/v1/events/batch` and `/stream` over HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { NO_LOGGER, asApplicationId, asNodeId } from '../../core/port.js';
import { GiB, OPEN, harness } from '../../core/readmodel/test-helpers.js';
import { EventLog } from './event-log.js';
import { CHANGE_DETAIL, CHANGE_TYPE, EVENT_TYPE } from './event-record.js';
import type { EventRecord } from './event-record.js';
import { eventsRouter } from './events-routes.js';
import { LiveState } from './live.js';
import { call, cluster, expectError, keys, openStream, serve } from './test-helpers.js';

const name = <T extends Record<string, number>>(table: T, n: number | undefined): string => Object.entries(table).find(([, v]) => v === (n ?? 0))?.[0] ?? `?${n}`;

/** A record in one line: `APP ADD APP_NEW x`, with the reference after a slash. */
function line(r: EventRecord): string {
  const ref = r.referenceID === undefined ? '' : `/${r.referenceID}`;
  return `${name(EVENT_TYPE, r.type)} ${name(CHANGE_TYPE, r.eventChangeType)} ${name(CHANGE_DETAIL, r.eventChangeDetail)} ${r.objectID ?? ''}${ref}`;
}

describe('EventLog', () => {
  it('keeps the last `capacity` records with sequential ids', () => {
    const log = new EventLog(3);
    expect(log.fromId(0, 10)).toEqual({ records: [], lowestId: 0, highestId: 0 });
    for (let i = 0; i < 5; i++) log.add({ message: `m${i}` });
    // ids 0..4 given, 2..4 held
    expect(log.lowestId).toBe(2);
    expect(log.highestId).toBe(4);
    expect(log.fromId(0, 10).records).toEqual([]);
    expect(log.fromId(2, 2).records.map((r) => r.message)).toEqual(['m2', 'm3']);
    expect(log.fromId(3, 10).records.map((r) => r.message)).toEqual(['m3', 'm4']);
    expect(log.fromId(5, 10).records).toEqual([]);
    expect(log.recent(2).map((r) => r.message)).toEqual(['m3', 'm4']);
    expect(log.recent(10).map((r) => r.message)).toEqual(['m2', 'm3', 'm4']);
  });

  it('tells listeners of each record until they stop listening', () => {
    const log = new EventLog(2);
    const heard: string[] = [];
    const stop = log.subscribe((r) => heard.push(r.message ?? ''));
    log.add({ message: 'a' });
    stop();
    log.add({ message: 'b' });
    expect(heard).toEqual(['a']);
  });
});

describe('what the REST layer sees change', () => {
  const QUEUES = OPEN('          - name: a\n            resources: {max: {vcore: 2}}\n          - name: b\n');

  function watched() {
    const h = harness(QUEUES);
    const live = new LiveState({ scheduler: h.s, logger: NO_LOGGER });
    let seen = 0;
    /** The records of one observation. */
    const observe = (): string[] => {
      live.poll();
      const slice = live.events.fromId(seen, 1000);
      seen = live.events.highestId + 1;
      return slice.records.map(line);
    };
    return { h, live, observe };
  }

  it('reports what exists at the first look, then only what changed', () => {
    const { h, live, observe } = watched();
    h.node('n1', 4, 8);
    h.app('x', 'root.a');
    // all at the same instant: queues, nodes, then applications
    expect(observe()).toEqual([
      'QUEUE ADD QUEUE_CONFIG root',
      'QUEUE ADD QUEUE_CONFIG root.a',
      'QUEUE ADD QUEUE_CONFIG root.b',
      'NODE ADD DETAILS_NONE n1',
      'APP ADD APP_NEW x',
      'APP SET APP_ACCEPTED x',
      'QUEUE ADD QUEUE_APP root.a/x',
    ]);
    expect(live.version).toBe(1);
    expect(observe()).toEqual([]);
    expect(live.poll()).toBe(false);
    expect(live.version).toBe(1);
  });

  it('follows asks, allocations, reasons and application states, with the core\'s times', () => {
    const { h, observe } = watched();
    h.node('n1', 4, 8);
    h.app('x', 'root.a');
    observe();
    h.clock.ms += 100;
    h.ask('x1', 'x', { vcore: 1500 });
    h.ask('x2', 'x', { vcore: 1500 });
    h.clock.ms += 100;
    h.s.schedule(); // x1 fits; x2 would take root.a over its 2 cores
    // x1 was asked for and allocated between two looks: only its allocation is seen
    expect(observe()).toEqual([
      'APP ADD APP_REQUEST x/x2',
      'APP SET APP_RUNNING x',
      'REQUEST NONE DETAILS_NONE x2/x',
      'APP ADD APP_ALLOC x/x1',
      'NODE ADD NODE_ALLOC n1/x1',
    ]);
    h.clock.ms += 100;
    h.removeAsk('x2');
    h.release('x1');
    expect(observe()).toEqual(['APP SET APP_COMPLETING x', 'APP REMOVE REQUEST_CANCEL x/x2', 'APP REMOVE ALLOC_CANCEL x/x1', 'NODE REMOVE NODE_ALLOC n1/x1']);
  });

  it('gives each record YuniKorn\'s fields: times in nanoseconds, the resource, the reason as message', () => {
    const { h, live } = watched();
    h.node('n1', 1, 1);
    h.app('x', 'root.a');
    live.poll();
    h.clock.ms = 5_000;
    h.ask('x1', 'x', { vcore: 3000, memory: GiB });
    h.s.schedule();
    live.poll();
    const records = live.events.recent(2);
    expect(records[0]).toEqual({ type: 2, objectID: 'x', referenceID: 'x1', timestampNano: 5_000_000_000, eventChangeType: 2, eventChangeDetail: 201, resource: { resources: { memory: { value: GiB }, pods: { value: 1 }, vcore: { value: 3000 } } } });
    expect(records[1]).toMatchObject({ type: 1, objectID: 'x1', referenceID: 'x', message: expect.stringContaining('root.a') as unknown, timestampNano: 5_000_000_000 });
    expect(keys(records[1])).toEqual(['message', 'objectID', 'referenceID', 'timestampNano', 'type']);
  });

  it('follows nodes: cordon, capacity, reservation-free removal', () => {
    const { h, observe } = watched();
    h.node('n1', 4, 8);
    observe();
    h.node('n1', 4, 8, { schedulable: false });
    expect(observe()).toEqual(['NODE SET NODE_SCHEDULABLE n1']);
    h.node('n1', 8, 8, { schedulable: false });
    expect(observe()).toEqual(['NODE SET NODE_CAPACITY n1']);
    h.s.removeNode(asNodeId('n1'));
    expect(observe()).toEqual(['NODE REMOVE NODE_DECOMISSION n1']);
  });

  it('follows queues: reloads, draining, dynamic queues, removal', () => {
    const { h, live, observe } = watched();
    observe();
    const before = live.version;
    expect(h.s.updateConfig(OPEN('          - name: a\n            resources: {max: {vcore: 3}}\n          - name: c\n')).ok).toBe(true);
    // root.a's max changed, root.c is new, root.b is gone (empty, so drained and removed at once)
    expect(observe().sort()).toEqual(['QUEUE ADD QUEUE_CONFIG root.c', 'QUEUE REMOVE QUEUE_CONFIG root.b', 'QUEUE SET QUEUE_MAX root.a'].sort());
    expect(live.version).toBe(before + 1);
    h.app('d', 'root.dyn');
    expect(observe()).toEqual(['QUEUE ADD QUEUE_DYNAMIC root.dyn', 'APP ADD APP_NEW d', 'APP SET APP_ACCEPTED d', 'QUEUE ADD QUEUE_APP root.dyn/d']);
    h.s.removeApplication(asApplicationId('d'));
    h.s.schedule(); // prunes the empty dynamic queue
    expect(observe()).toEqual(['APP SET APP_COMPLETING d', 'APP SET APP_COMPLETED d', 'QUEUE REMOVE QUEUE_APP root.dyn/d', 'QUEUE REMOVE QUEUE_DYNAMIC root.dyn']);
  });

  it('counts a new configuration as a change even when no queue changed', () => {
    const { h, live } = watched();
    live.poll();
    const before = live.version;
    expect(h.s.updateConfig(`${QUEUES}\n# a comment\n`).ok).toBe(true);
    expect(live.poll()).toBe(true);
    expect(live.version).toBe(before + 1);
  });
});

describe('/ws/v1/events', () => {
  it('gives a batch from an id, with the ids held', async () => {
    const s = await serve();
    const all = await call(`${s.base}/ws/v1/events/batch`);
    expect(all.status).toBe(200);
    expect(keys(all.body)).toEqual(['EventRecords', 'HighestID', 'InstanceUUID', 'LowestID']);
    const body = all.body as { InstanceUUID: string; LowestID: number; HighestID: number; EventRecords: EventRecord[] };
    expect(body.InstanceUUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.LowestID).toBe(0);
    expect(body.EventRecords).toHaveLength(body.HighestID + 1);
    expect(body.EventRecords.map(line)).toContain('APP SET APP_RUNNING x');
    const some = await call(`${s.base}/ws/v1/events/batch?start=2&count=3`);
    expect((some.body as typeof body).EventRecords).toEqual(body.EventRecords.slice(2, 5));
    const beyond = await call(`${s.base}/ws/v1/events/batch?start=100000`);
    expect(beyond.body).toMatchObject({ LowestID: 0, HighestID: body.HighestID, EventRecords: [] });
    await s.close();
  });

  it.each([
    { path: '/ws/v1/events/batch?count=0' },
    { path: '/ws/v1/events/batch?count=ten' },
    { path: '/ws/v1/events/batch?start=-1' },
    { path: '/ws/v1/events/batch?start=1.5' },
    { path: '/ws/v1/events/stream?count=x' },
  ])('400 for $path', async ({ path }) => {
    const s = await serve();
    expectError(await call(`${s.base}${path}`), 400);
    await s.close();
  });

  it('streams newline-delimited JSON: the instance, the last `count` records, then each new one', async () => {
    const s = await serve(cluster(), { pollMs: 20 });
    const batch = (await call(`${s.base}/ws/v1/events/batch`)).body as { InstanceUUID: string; EventRecords: EventRecord[] };
    const stream = await openStream(`${s.base}/ws/v1/events/stream?count=2`, '\n');
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(await stream.next())).toEqual({ InstanceUUID: batch.InstanceUUID });
    expect(JSON.parse(await stream.next())).toEqual(batch.EventRecords.at(-2));
    expect(JSON.parse(await stream.next())).toEqual(batch.EventRecords.at(-1));
    s.h.node('n3', 2, 2);
    const added = JSON.parse(await stream.next()) as EventRecord;
    expect(line(added)).toBe('NODE ADD DETAILS_NONE n3');
    stream.close();
    await s.close();
  });

  it('refuses a stream beyond the limit with 503, and ends streams when the server closes', async () => {
    const live = new LiveState({ scheduler: cluster().s, logger: NO_LOGGER });
    const server = createServer(express().use(eventsRouter(live, 1)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const first = await openStream(`${base}/ws/v1/events/stream`, '\n');
    await first.next();
    const refused = await call(`${base}/ws/v1/events/stream`);
    expect(refused.status).toBe(503);
    expect(keys(refused.body)).toEqual(['description', 'message', 'status_code']);
    live.stop(); // what closing the UI server does
    await expect(first.next()).rejects.toThrow(/ended/);
    // the slot is free again
    const second = await openStream(`${base}/ws/v1/events/stream`, '\n');
    expect(second.status).toBe(200);
    live.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

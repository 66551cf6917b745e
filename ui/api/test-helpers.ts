/**
 * Shared by the REST tests: a real core (the read models' harness: fake clock from 1 s, a callback that
 * records) behind a real UI server on a free port, and small clients for JSON, server-sent events and
 * newline-delimited JSON streams.
 */
import { expect } from 'vitest';
import { GiB, OPEN, harness } from '../../core/readmodel/test-helpers.js';
import { NO_LOGGER } from '../../core/port.js';
import { startUiServer } from '../server.js';
import type { UiOptions } from '../server.js';

export { GiB, OPEN };

/**
 * The standard cluster: two nodes of 4 cores and 8 GiB; root.a (guaranteed 1 core, max 2 cores and
 * 4 GiB), root.b (a limit for group dev), root.small (max 500m); x (alice) in root.a asking 3 x 1
 * core (one waits on the queue's max), y (bob, group dev) in root.b asking for 100 cores (no node fits)
 * and 100m (runs), z (carol) in root.small with two 400m pods (the second waits on the queue's max),
 * all after one scheduling cycle.
 */
export const QUEUES = OPEN(`          - name: a
            resources: {guaranteed: {vcore: 1}, max: {vcore: 2, memory: 4Gi}}
          - name: b
            limits: [{limit: developers, groups: [dev], maxapplications: 10}]
          - name: small
            resources: {max: {vcore: 500m}}
`);

export function cluster() {
  const h = harness(QUEUES);
  h.node('n1', 4, 8);
  h.node('n2', 4, 8);
  h.app('x', 'root.a', 'alice');
  h.app('y', 'root.b', 'bob', ['dev']);
  h.app('z', 'root.small', 'carol');
  h.ask('x1', 'x', { vcore: 1000, memory: GiB });
  h.ask('x2', 'x', { vcore: 1000 });
  h.clock.ms += 10;
  h.ask('x3', 'x', { vcore: 1000 });
  h.ask('y1', 'y', { vcore: 100_000 });
  h.ask('y2', 'y', { vcore: 100 });
  h.ask('z1', 'z', { vcore: 400 });
  h.ask('z2', 'z', { vcore: 400 });
  h.clock.ms += 10;
  h.s.schedule();
  return h;
}

export type Harness = ReturnType<typeof cluster>;

export interface Served {
  readonly h: Harness;
  readonly base: string;
  close(): Promise<void>;
}

/** The UI server on a free port of 127.0.0.1 around the harness's scheduler. */
export async function serve(h: Harness = cluster(), options: Partial<UiOptions> = {}): Promise<Served> {
  const server = await startUiServer({ port: 0, host: '127.0.0.1', scheduler: h.s, logger: NO_LOGGER, webRoot: '/nonexistent/drover-web', ...options });
  return { h, base: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined if it is not JSON). */
  readonly body: unknown;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** The keys of an object answer, sorted. */
export function keys(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return expect.fail(`not an object: ${JSON.stringify(value)}`);
  return Object.keys(value).sort();
}

/** Assert YuniKorn's error document with that status. */
export function expectError(reply: Reply, status: number): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  expect(keys(reply.body)).toEqual(['description', 'message', 'status_code']);
  expect(reply.body).toMatchObject({ status_code: status, message: expect.any(String) as unknown, description: expect.any(String) as unknown });
}

/**
 * A streaming response read as it arrives. `next` resolves with the first unread item matching the
 * predicate (items are lines, or server-sent event blocks), waiting for more to arrive if needed.
 */
export async function openStream(url: string, separator: '\n' | '\n\n') {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body?.getReader();
  if (reader === undefined) return expect.fail('no body');
  const decoder = new TextDecoder();
  const items: string[] = [];
  let buffer = '';
  let done = false;
  let wake: () => void = () => undefined;
  void (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value as Uint8Array, { stream: true });
        let at: number;
        while ((at = buffer.indexOf(separator)) >= 0) {
          items.push(buffer.slice(0, at));
          buffer = buffer.slice(at + separator.length);
        }
        wake();
      }
    } catch {
      // aborted
    } finally {
      done = true;
      wake();
    }
  })();
  let read = 0;
  const next = async (match: (item: string) => boolean = () => true): Promise<string> => {
    for (;;) {
      while (read < items.length) {
        const item = items[read++] ?? '';
        if (match(item)) return item;
      }
      if (done) return expect.fail(`the stream ended without a matching item; read: ${JSON.stringify(items)}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return { status: res.status, headers: res.headers, next, ended: () => done, close: () => abort.abort() };
}

/**
 * What the benchmarks use to load the embedded API server without measuring a client library: the
 * server started in its own process, and a keep-alive HTTPS client that sends JSON, several requests
 * at a time.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';

export interface Target {
  readonly url: string;
  readonly ca: string;
  readonly token: string;
  readonly child: ChildProcess;
}

/** The API server in its own process, with `nodes` simulated nodes. */
export async function startTarget(nodes = 0): Promise<Target> {
  const child = spawn(process.execPath, [new URL('./apiserver-target.js', import.meta.url).pathname, String(nodes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the API server exited (${String(code)})`)));
  });
  return { ...(JSON.parse(line) as { url: string; ca: string; token: string }), child };
}

export interface RawClient {
  post(path: string, body: unknown): Promise<void>;
  close(): void;
}

export function rawClient(target: Target, maxSockets = 16): RawClient {
  const agent = new Agent({ keepAlive: true, ca: target.ca, maxSockets });
  return {
    post: (path, body) =>
      new Promise<void>((resolve, reject) => {
        const data = JSON.stringify(body);
        const req = request(`${target.url}${path}`, { method: 'POST', agent, headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode ?? 0} on ${path}`))));
        });
        req.on('error', reject);
        req.end(data);
      }),
    close: () => agent.destroy(),
  };
}

/** Run `count` calls, `concurrency` at a time; resolves with the seconds it took. */
export async function inParallel(count: number, concurrency: number, call: (i: number) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

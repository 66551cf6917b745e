/**
 * Health endpoints for the kubelet's probes, in the Kubernetes API server's format: `/livez` (and its
 * older name `/healthz`) answers whether the process should be restarted, `/readyz` whether it can do
 * its work (informers synced, configuration loaded). Checks are named functions registered by the
 * parts that own the state; each path also serves one check alone (`/readyz/informer-sync`).
 *
 * Bodies are text: `ok` on success, and on failure one line per check,
 *   [+]ping ok
 *   [-]informer-sync failed: pods not synced
 *   readyz check failed
 * with status 500; `?verbose` lists the checks on success too, `?exclude=NAME` skips one.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/port.js';

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A check: a value when it knows, a promise when it must ask; a throw counts as a failure. */
export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export const PASSED: CheckResult = { ok: true };
export const failed = (reason: string): CheckResult => ({ ok: false, reason });

export const PROBES = ['livez', 'readyz'] as const;
export type Probe = (typeof PROBES)[number];

export interface ProbeAnswer {
  readonly status: 200 | 404 | 500;
  readonly body: string;
}

export interface HealthChecks {
  /** Restart me if this fails; also part of readiness. */
  addLiveness(name: string, check: HealthCheck): void;
  /** Send me no work until this passes. */
  addReadiness(name: string, check: HealthCheck): void;
  run(probe: Probe, options?: { readonly only?: string; readonly verbose?: boolean; readonly exclude?: readonly string[] }): Promise<ProbeAnswer>;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Checks that have not answered by then fail, so that a stuck dependency cannot hang the probe. */
export const CHECK_TIMEOUT_MS = 5_000;

export function createHealthChecks(options: { readonly checkTimeoutMs?: number } = {}): HealthChecks {
  const timeoutMs = options.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const checks = new Map<string, { readonly probe: Probe; readonly check: HealthCheck }>([['ping', { probe: 'livez', check: () => PASSED }]]);

  const add = (probe: Probe) => (name: string, check: HealthCheck) => {
    if (!NAME.test(name)) throw new Error(`health check name ${JSON.stringify(name)}: lower-case letters, digits and '-' only`);
    if (checks.has(name)) throw new Error(`health check ${name} is already registered`);
    checks.set(name, { probe, check });
  };

  const runOne = async (check: HealthCheck): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => (timer = setTimeout(() => resolve(failed(`no answer within ${String(timeoutMs)} ms`)), timeoutMs)));
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch (err) {
      return failed(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    addLiveness: add('livez'),
    addReadiness: add('readyz'),
    run: async (probe, { only, verbose = false, exclude = [] } = {}) => {
      // Readiness includes liveness: a process that should be restarted is not ready either.
      const inProbe = (c: { readonly probe: Probe }) => probe === 'readyz' || c.probe === 'livez';
      const selected = [...checks].filter(([name, c]) => inProbe(c) && (only === undefined ? !exclude.includes(name) : name === only));
      if (only !== undefined && selected.length === 0) return { status: 404, body: `no ${probe} check named ${only}\n` };
      const results = await Promise.all(selected.map(async ([name, c]) => ({ name, result: await runOne(c.check) })));
      const ok = results.every((r) => r.result.ok);
      if (ok && !verbose) return { status: 200, body: 'ok' };
      const lines = results.map(({ name, result }) => (result.ok ? `[+]${name} ok` : `[-]${name} failed: ${oneLine(result.reason)}`));
      return { status: ok ? 200 : 500, body: `${[...lines, `${probe} check ${ok ? 'passed' : 'failed'}`].join('\n')}\n` };
    },
  };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

/**
 * A check that fails with `reason` until opened (informers synced, configuration loaded), and again
 * if closed.
 */
export function gate(reason: string): { readonly check: HealthCheck; open(): void; close(): void } {
  let isOpen = false;
  return {
    check: () => (isOpen ? PASSED : failed(reason)),
    open: () => void (isOpen = true),
    close: () => void (isOpen = false),
  };
}

export interface HealthServerOptions {
  readonly checks: HealthChecks;
  /** 0 picks a free port. */
  readonly port: number;
  /** Default: every interface, as the kubelet probes the pod's IP. */
  readonly host?: string;
  readonly logger: Logger;
}

export interface RunningHealthServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** The paths served and the probe each runs; `/healthz` is kept for probes written before `/livez`. */
const PATHS: Readonly<Record<string, Probe>> = { '/healthz': 'livez', '/livez': 'livez', '/readyz': 'readyz' };

export async function startHealthServer(o: HealthServerOptions): Promise<RunningHealthServer> {
  const server = createServer((req, res) => {
    answer(o.checks, req, res).catch((err: unknown) => {
      o.logger.warn({ error: String(err) }, 'health probe failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  o.logger.info({ port }, 'health endpoints listening');
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(checks: HealthChecks, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://probe');
  const [, first = '', only, ...more] = url.pathname.split('/');
  const probe = PATHS[`/${first}`];
  let a: { readonly status: number; readonly body: string };
  if (probe === undefined || more.length > 0 || only === '') a = { status: 404, body: 'not found\n' };
  else if (req.method !== 'GET' && req.method !== 'HEAD') a = { status: 405, body: 'method not allowed\n' };
  else a = await checks.run(probe, { ...(only === undefined ? {} : { only }), verbose: url.searchParams.has('verbose'), exclude: url.searchParams.getAll('exclude') });
  res.writeHead(a.status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : a.body);
}

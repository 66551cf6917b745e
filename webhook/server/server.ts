/**
 * The HTTPS listener around the express application: TLS 1.2 or newer, timeouts so that a client
 * that sends half a request cannot hold a connection for long (the API server gives a webhook at most
 * 30 s), and a close that waits for requests in flight.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { ServingCertificate } from '../../tls/certificates.js';
import { tlsOptions } from '../../tls/certificates.js';

export interface ListenOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  readonly certificate: ServingCertificate;
  /** Longest time to receive a whole request (headers and body); default 30 s. */
  readonly requestTimeoutMs?: number;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stop accepting connections, finish the requests in flight, close idle keep-alive connections. */
  readonly close: () => Promise<void>;
}

export async function listen(app: RequestListener, options: ListenOptions): Promise<RunningServer> {
  const timeout = options.requestTimeoutMs ?? 30_000;
  // A TLS handshake that never completes is dropped after 10 s; Node checks the request timeouts
  // every connectionsCheckingInterval.
  const server = createServer({ ...tlsOptions(options.certificate), handshakeTimeout: 10_000, requestTimeout: timeout, headersTimeout: Math.min(timeout, 10_000), connectionsCheckingInterval: 1_000 }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeIdleConnections();
      }),
  };
}

/**
 * API clients that reuse their connections. @kubernetes/client-node gives every request a new HTTPS
 * agent, so each call pays a TCP and TLS handshake: a few hundred calls a second at most. A scheduler
 * binds thousands of pods a second in a burst, so the shim's clients keep a pool of keep-alive
 * connections, made from the same TLS options the kubeconfig gives (and made again when they change,
 * as with rotated client certificates). Authentication headers are still applied per request.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AgentOptions } from 'node:https';
import { createConfiguration, ServerConfiguration } from '@kubernetes/client-node';
import type { Configuration, KubeConfig, RequestContext, SecurityAuthentication } from '@kubernetes/client-node';

export interface PoolOptions {
  /** Connections kept open to the API server at most; default 32. */
  readonly maxSockets?: number;
}

const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** The TLS options that decide which connections may be shared, as one comparable string. */
function tlsKey(options: AgentOptions): string {
  return JSON.stringify(TLS_KEYS.map((k) => {
    const v: unknown = options[k];
    return Buffer.isBuffer(v) ? v.toString('base64') : Array.isArray(v) ? v.map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : String(x))) : (v ?? null);
  }));
}

class PooledAuthentication implements SecurityAuthentication {
  private pooled: { readonly agent: HttpAgent | HttpsAgent; readonly key: string } | null = null;

  constructor(
    private readonly kc: KubeConfig,
    private readonly maxSockets: number,
  ) {}

  getName(): string {
    return 'pooled';
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.kc.applySecurityAuthentication(context);
    const fresh = context.getAgent();
    // A proxy agent, or none: leave it as the client made it.
    if (fresh === undefined || (fresh.constructor !== HttpsAgent && fresh.constructor !== HttpAgent)) return;
    const options = (fresh as unknown as { options: AgentOptions }).options;
    const key = `${fresh.constructor.name}:${tlsKey(options)}`;
    if (this.pooled?.key !== key) {
      // New credentials (or the first call): a new pool. The old one is left to finish its calls in
      // flight; its idle connections close with the server's keep-alive timeout.
      const pool = { ...options, keepAlive: true, maxSockets: this.maxSockets, maxFreeSockets: this.maxSockets, scheduling: 'lifo' as const };
      this.pooled = { agent: fresh instanceof HttpsAgent ? new HttpsAgent(pool) : new HttpAgent(pool), key };
    }
    fresh.destroy();
    context.setAgent(this.pooled.agent);
  }

  close(): void {
    this.pooled?.agent.destroy();
    this.pooled = null;
  }
}

export interface PooledClients {
  /** An API client (CoreV1Api, CoordinationV1Api, ...) over the shared connection pool. */
  make<T>(api: new (configuration: Configuration) => T): T;
  /** Close the pooled connections. */
  close(): void;
}

export function pooledClients(kc: KubeConfig, options: PoolOptions = {}): PooledClients {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const auth = new PooledAuthentication(kc, options.maxSockets ?? 32);
  const configuration = createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: auth } });
  return { make: (api) => new api(configuration), close: () => auth.close() };
}

/**
 * The kubeconfig the embedded API server writes, so that kubectl, @kubernetes/client-node and the
 * shim reach it as they reach a cluster: its URL, its CA, and a bearer token.
 */
import { dump } from 'js-yaml';

export interface KubeconfigOptions {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly name?: string;
}

export function kubeconfig(o: KubeconfigOptions): string {
  const name = o.name ?? 'drover-dev';
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') } }],
    users: [{ name, user: { token: o.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
  });
}

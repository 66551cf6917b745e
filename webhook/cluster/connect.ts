/**
 * Which cluster `drover webhook` reads, if any: the kubeconfig given with `--kubeconfig`, else the
 * in-cluster service account when running in a pod (KUBERNETES_SERVICE_HOST is set), else none;
 * `--no-cluster` forces none. Without a cluster the webhook works as a plain HTTPS server: namespaces
 * known by name only, settings from the command line, certificates in memory or mounted.
 */
import { KubeConfig } from '@kubernetes/client-node';

export type Cluster =
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'cluster'; readonly kubeConfig: KubeConfig; readonly source: string };

export type ClusterChoice = { readonly ok: true; readonly cluster: Cluster } | { readonly ok: false; readonly message: string };

export function connect(o: { readonly kubeconfig: string | null; readonly noCluster: boolean }, env: Readonly<Record<string, string | undefined>>): ClusterChoice {
  if (o.noCluster) return { ok: true, cluster: { kind: 'none', why: '--no-cluster' } };
  const kubeConfig = new KubeConfig();
  if (o.kubeconfig !== null) {
    try {
      kubeConfig.loadFromFile(o.kubeconfig);
    } catch (e) {
      return { ok: false, message: `cannot read the kubeconfig ${o.kubeconfig}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (kubeConfig.getCurrentCluster() === null) return { ok: false, message: `the kubeconfig ${o.kubeconfig} names no current cluster` };
    return { ok: true, cluster: { kind: 'cluster', kubeConfig, source: o.kubeconfig } };
  }
  if ((env.KUBERNETES_SERVICE_HOST ?? '') !== '') {
    kubeConfig.loadFromCluster();
    return { ok: true, cluster: { kind: 'cluster', kubeConfig, source: 'in-cluster' } };
  }
  return { ok: true, cluster: { kind: 'none', why: 'no --kubeconfig and not running in a pod (KUBERNETES_SERVICE_HOST unset)' } };
}

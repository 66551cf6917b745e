/** A cluster for the shim's tests: the embedded API server over HTTPS, simulated kubelets, a kubeconfig. */
import { KubeConfig } from '@kubernetes/client-node';
import type { ApiServer } from '../apiserver/api.js';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets } from '../apiserver/kubelets.js';
import type { NodeSpec } from '../apiserver/kubelets.js';
import { generateCertificates } from '../tls/certificates.js';

export interface TestCluster {
  readonly api: RunningApiServer;
  readonly kubelets: Kubelets;
  readonly kc: KubeConfig;
  close(): Promise<void>;
}

/** `api`: the server's request handling, when a test wants to watch or refuse requests (a subclass of ApiServer). */
export async function startCluster(nodes: readonly NodeSpec[], api0?: ApiServer): Promise<TestCluster> {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  const api = await startApiServer({ certificate, token: 's', ...(api0 === undefined ? {} : { api: api0 }) });
  const kubelets = new Kubelets(api.api.store);
  kubelets.addNodes(nodes);
  kubelets.start();
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig({ server: api.url, caPem: certificate.caPem ?? '', token: 's' }));
  return {
    api,
    kubelets,
    kc,
    close: async () => {
      kubelets.shutdown();
      await api.close();
    },
  };
}

/** Wait until `read` gives something `ok` accepts, polling every 10 ms (informers run asynchronously). */
export async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`the condition did not hold in ${timeoutMs} ms; last value: ${JSON.stringify(v)?.slice(0, 300) ?? 'undefined'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

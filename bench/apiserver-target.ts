/**
 * The embedded API server for the benchmarks, in its own process. `node apiserver-target.js [NODES]`
 * adds that many simulated nodes (8 cores, 32Gi, 110 pods) with their kubelets. Prints one JSON line
 * `{"url", "ca", "token"}` on stdout once listening, then serves until killed.
 */
import { startApiServer } from '../apiserver/http.js';
import { Kubelets } from '../apiserver/kubelets.js';
import { generateCertificates } from '../tls/certificates.js';

const nodes = Number(process.argv[2] ?? '0');
const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
const token = 'bench';
const server = await startApiServer({ certificate, token });
if (nodes > 0) {
  const kubelets = new Kubelets(server.api.store);
  kubelets.addNodes(Array.from({ length: nodes }, (_, i) => ({ name: `node-${String(i).padStart(4, '0')}`, cpu: '8', memory: '32Gi' })));
  kubelets.start();
}
process.stdout.write(`${JSON.stringify({ url: server.url, ca: certificate.caPem, token })}\n`);

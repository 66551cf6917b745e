/**
 * The embedded API server for the `apiserver.*` benchmark, in its own process. Prints one JSON line
 * `{"url", "ca", "token"}` on stdout once listening, then serves until killed.
 */
import { startApiServer } from '../apiserver/http.js';
import { generateCertificates } from '../tls/certificates.js';

const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
const token = 'bench';
const server = await startApiServer({ certificate, token });
process.stdout.write(`${JSON.stringify({ url: server.url, ca: certificate.caPem, token })}\n`);

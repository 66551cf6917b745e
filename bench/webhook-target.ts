/**
 * A server for the `webhook.admission` benchmark, run in its own process: `webhook` is the real
 * admission application (express, the decision, pino at info), `bare` a plain node:https handler that
 * reads the body and returns a fixed AdmissionReview response of the same size. Both use the same
 * generated certificate kind and TLS settings. Prints one JSON line `{"port", "ca"}` on stdout once
 * listening, then serves until killed.
 */
import { createServer } from 'node:https';
import type { RequestListener } from 'node:http';
import { pino } from 'pino';
import { DEFAULT_ADMISSION_SETTINGS } from '../webhook/admission/index.js';
import { createWebhookApp, DEFAULT_CONFIG_MAP_NAMES, generateCertificates, listen, mutate, NO_LOOKUPS, readAdmissionReview, reviewResponse, tlsOptions } from '../webhook/server/index.js';
import { admissionReview, POD_KIND, sparkExecutorPod } from '../webhook/server/examples.js';

const kind = process.argv[2];
const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });

function fixedResponse(): string {
  const read = readAdmissionReview(admissionReview(POD_KIND, sparkExecutorPod()));
  if (!read.ok) throw new Error('bug: the example review does not read');
  return JSON.stringify(reviewResponse(read.request.uid, mutate(read.request, DEFAULT_ADMISSION_SETTINGS, NO_LOOKUPS).answer));
}

let port: number;
if (kind === 'webhook') {
  const logger = pino({ level: 'info' }, pino.destination(2));
  const app = createWebhookApp({ settings: DEFAULT_ADMISSION_SETTINGS, configMapNames: new Set(DEFAULT_CONFIG_MAP_NAMES), logger });
  port = (await listen(app, { port: 0, host: '127.0.0.1', certificate })).port;
} else if (kind === 'bare') {
  const body = fixedResponse();
  const handler: RequestListener = (req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(body);
    });
  };
  const server = createServer(tlsOptions(certificate), handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
} else {
  throw new Error(`usage: webhook-target webhook|bare, not ${String(kind)}`);
}
process.stdout.write(`${JSON.stringify({ port, ca: certificate.caPem })}\n`);

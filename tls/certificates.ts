/**
 * Serving certificates for drover's HTTPS servers (the webhook, the embedded API server): read from
 * mounted files (cert-manager, or a mounted Secret), or generated in memory when none are given: a
 * self-signed CA and a serving certificate it signs for the given DNS names, both ECDSA P-256
 * (`authority.ts`). The CA certificate is the bundle clients trust (a webhook configuration's
 * `caBundle`, a kubeconfig's certificate authority). Private keys are never logged; those generated
 * here stay in the process (the webhook's certificate manager keeps its own in a Secret).
 */
import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import { generateCa, issueServingCertificate, readCertificate, summaryOf } from './authority.js';

/** TLS 1.2 or newer, as the API server requires of webhooks. */
export const MIN_TLS_VERSION = 'TLSv1.2';

export interface ServingCertificate {
  /** PEM of the serving certificate (and any chain after it). */
  readonly certPem: string;
  /** PEM of the private key. Secret: never log it. */
  readonly keyPem: string;
  /** PEM of the CA that signed the certificate, when drover generated it; null for mounted files. */
  readonly caPem: string | null;
  /** What may be logged about the certificate. */
  readonly summary: CertificateSummary;
}

export interface CertificateSummary {
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notAfter: string;
  readonly sha256Fingerprint: string;
}

export interface GenerateOptions {
  /** The names the API server (and tests) call the webhook by. */
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly now: Date;
  /** Validity of the serving certificate; the CA lives ten times as long. */
  readonly validityDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The names a Service is reached by from the API server: `<service>.<namespace>.svc` is the one a
 * webhook configuration's `service` reference resolves to; the others cover clients that use the
 * short or fully qualified names, and localhost for running the webhook outside a cluster.
 */
export function serviceDnsNames(service: string, namespace: string): readonly string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, 'localhost'];
}

export async function generateCertificates(options: GenerateOptions): Promise<ServingCertificate> {
  const validityMs = options.validityDays * DAY_MS;
  const ca = await generateCa({ now: options.now, validityMs: 10 * validityMs });
  return issueServingCertificate(ca, { dnsNames: options.dnsNames, ipAddresses: options.ipAddresses ?? [], now: options.now, validityMs });
}

/** Read mounted files. Errors (missing file, not PEM) are thrown: this runs at process start. */
export async function loadCertificates(certFile: string, keyFile: string): Promise<ServingCertificate> {
  const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { certPem, keyPem, caPem: null, summary: summarise(certPem) };
}

/** The Node TLS options for a serving certificate. */
export function tlsOptions(cert: ServingCertificate): SecureContextOptions & { minVersion: 'TLSv1.2' } {
  return { cert: cert.certPem, key: cert.keyPem, minVersion: MIN_TLS_VERSION };
}

/** The `caBundle` field of a webhook configuration: the base64 of the CA's PEM. */
export function caBundle(caPem: string): string {
  return Buffer.from(caPem).toString('base64');
}

function summarise(certPem: string): CertificateSummary {
  const info = readCertificate(certPem);
  if (!info.ok) throw new Error(`the serving certificate is ${info.message}`);
  return summaryOf(info.value);
}

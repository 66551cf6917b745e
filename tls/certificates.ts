/**
 * Serving certificates for drover's HTTPS servers (the webhook, the embedded API server): read from
 * mounted files (cert-manager, or the chart's Secret), or generated in memory when none are given: a
 * self-signed CA and a serving certificate it signs for the given DNS names, both ECDSA P-256. The CA
 * certificate is the bundle clients trust (a webhook configuration's `caBundle`, a kubeconfig's
 * certificate authority); the private keys never leave the process and are never logged.
 */
import { createHash, webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

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

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
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
  const { now, validityDays } = options;
  const [first] = options.dnsNames;
  if (first === undefined) throw new Error('bug: a serving certificate needs at least one DNS name');
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  // Backdated a little: a node whose clock is slightly behind must not see a certificate from the future.
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=drover-webhook-ca-${now.getTime()}`,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * validityDays * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const names = [...options.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${first}`,
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const certPem = cert.toString('pem');
  return { certPem, keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), caPem: ca.toString('pem'), summary: summarise(certPem) };
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
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames = san === null ? [] : san.names.items.filter((n) => n.type === 'dns').map((n) => n.value);
  return {
    subject: cert.subject,
    dnsNames,
    notAfter: cert.notAfter.toISOString(),
    sha256Fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
  };
}

/** A positive 16-byte serial number (RFC 5280: at most 20 octets, positive). */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

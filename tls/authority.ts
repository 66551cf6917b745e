/**
 * A certificate authority drover runs itself: generate a CA, issue serving certificates from it
 * (also from a CA read back from a Secret), read certificates from PEM, and check that a certificate
 * was signed by a CA and that a key belongs to a certificate. ECDSA P-256 throughout. Reading returns
 * typed results naming what is wrong; only generation failures (a broken crypto provider) throw.
 */
import { createHash, createPrivateKey, X509Certificate as NodeCertificate, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateSummary, ServingCertificate } from './certificates.js';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * Certificates start this long before they are issued, so that a peer whose clock is slightly behind
 * does not see a certificate from the future. The issue time of a certificate drover made is therefore
 * `notBefore + BACKDATE_MS`.
 */
export const BACKDATE_MS = 5 * 60_000;

/** What drover reads from a certificate to decide about it (all of it may be logged). */
export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly sha256Fingerprint: string;
}

/** A CA drover can sign with: its certificate and its private key (secret: never log it). */
export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
  readonly info: CertificateInfo;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export interface IssueOptions {
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly now: Date;
  /** Validity wanted; the certificate never outlives the CA that signs it. */
  readonly validityMs: number;
}

export async function generateCa(options: { readonly now: Date; readonly validityMs: number }): Promise<CertificateAuthority> {
  const { now, validityMs } = options;
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    // The issue time in the name tells two generations of the CA apart in logs and in the bundle.
    name: `CN=drover-webhook-ca-${now.getTime()}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + validityMs),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, keyPem: await exportKey(keys.privateKey), info: describe(cert) };
}

export async function issueServingCertificate(ca: CertificateAuthority, options: IssueOptions): Promise<ServingCertificate> {
  const [first] = options.dnsNames;
  if (first === undefined) throw new Error('bug: a serving certificate needs at least one DNS name');
  const caCert = new x509.X509Certificate(ca.certPem);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const names = [...options.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const notAfter = Math.min(options.now.getTime() + options.validityMs, caCert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${first}`,
    issuer: caCert.subject,
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    signingKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, keyPem: await exportKey(keys.privateKey), caPem: ca.certPem, summary: summaryOf(describe(cert)) };
}

/** The first certificate of a PEM text. */
export function readCertificate(pem: string): Read<CertificateInfo> {
  try {
    return { ok: true, value: describe(new x509.X509Certificate(pem)) };
  } catch (e) {
    return { ok: false, message: `not a PEM certificate (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** A CA read back from PEM: a CA certificate and the private key that belongs to it. */
export function readAuthority(certPem: string, keyPem: string): Read<CertificateAuthority> {
  const info = readCertificate(certPem);
  if (!info.ok) return info;
  if (!info.value.isCa) return { ok: false, message: `${info.value.subject} is not a CA certificate` };
  const match = keyMatches(certPem, keyPem);
  return match.ok ? { ok: true, value: { certPem, keyPem, info: info.value } } : match;
}

/** Does the key belong to the certificate? */
export function keyMatches(certPem: string, keyPem: string): Read<true> {
  try {
    return new NodeCertificate(certPem).checkPrivateKey(createPrivateKey(keyPem)) ? { ok: true, value: true } : { ok: false, message: 'the private key does not belong to the certificate' };
  } catch (e) {
    return { ok: false, message: `the private key cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Was `certPem` signed by the CA of `caPem`? False for anything unreadable. */
export function signedBy(certPem: string, caPem: string): boolean {
  try {
    const ca = new NodeCertificate(caPem);
    const cert = new NodeCertificate(certPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

export function summaryOf(info: CertificateInfo): CertificateSummary {
  return { subject: info.subject, dnsNames: info.dnsNames, notAfter: info.notAfter.toISOString(), sha256Fingerprint: info.sha256Fingerprint };
}

function describe(cert: x509.X509Certificate): CertificateInfo {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san === null ? [] : san.names.items;
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCa: basic !== null && basic.ca,
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: items.filter((n) => n.type === 'ip').map((n) => n.value),
    sha256Fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
  };
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A positive 16-byte serial number (RFC 5280: at most 20 octets, positive). */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

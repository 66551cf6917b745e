/**
 * What the certificate Secret holds, read into typed values and written back. One Secret per
 * installation, shared by every replica of the webhook:
 *
 *   ca.crt, ca.key     the signing CA: it signs every new serving certificate
 *   previous-ca.crt    during a rotation only: the CA before it, still trusted (no key: it signs nothing again)
 *   tls.crt, tls.key   the serving certificate every replica presents
 *
 * The CA bundle written into the webhook configurations is `previous-ca.crt` (when present) followed by
 * `ca.crt`. Reading never fails: a part that is absent or unreadable reads as null, with a problem that
 * names the key and what is wrong, and the rotation plan replaces that part.
 */
import type { CertificateAuthority, CertificateInfo } from '../../tls/authority.js';
import { keyMatches, readAuthority, readCertificate, summaryOf } from '../../tls/authority.js';
import type { ServingCertificate } from '../../tls/certificates.js';

export const SECRET_KEYS = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  previousCaCert: 'previous-ca.crt',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
} as const;

/** A CA that is trusted but no longer signs. */
export interface TrustedCa {
  readonly certPem: string;
  readonly info: CertificateInfo;
}

export interface IssuedCertificate {
  readonly certificate: ServingCertificate;
  readonly info: CertificateInfo;
}

export interface StoredCerts {
  readonly signing: CertificateAuthority | null;
  readonly previous: TrustedCa | null;
  readonly serving: IssuedCertificate | null;
}

/** A state in which every part is there: what is written to the Secret. */
export interface CompleteCerts extends StoredCerts {
  readonly signing: CertificateAuthority;
  readonly serving: IssuedCertificate;
}

export interface ReadCerts {
  readonly stored: StoredCerts;
  /** What could not be read, each naming its key: `tls.key: the private key does not belong to the certificate`. */
  readonly problems: readonly string[];
}

export const EMPTY_CERTS: StoredCerts = { signing: null, previous: null, serving: null };

/** Read a Secret's `data` (base64 values, as the API returns them). */
export function readSecretData(data: Readonly<Record<string, string>> | undefined): ReadCerts {
  const problems: string[] = [];
  const text = (key: string): string | null => {
    const value = data !== undefined && Object.hasOwn(data, key) ? data[key] : undefined;
    return value === undefined || value === '' ? null : Buffer.from(value, 'base64').toString('utf8');
  };
  const caCert = text(SECRET_KEYS.caCert);
  const caKey = text(SECRET_KEYS.caKey);
  let signing: CertificateAuthority | null = null;
  if (caCert !== null && caKey !== null) {
    const read = readAuthority(caCert, caKey);
    if (read.ok) signing = read.value;
    else problems.push(`${SECRET_KEYS.caCert}/${SECRET_KEYS.caKey}: ${read.message}`);
  } else if (caCert !== null || caKey !== null) problems.push(`${caCert === null ? SECRET_KEYS.caCert : SECRET_KEYS.caKey}: missing`);

  let previous: TrustedCa | null = null;
  const previousPem = text(SECRET_KEYS.previousCaCert);
  if (previousPem !== null) {
    const read = readCertificate(previousPem);
    if (read.ok && read.value.isCa) previous = { certPem: previousPem, info: read.value };
    else problems.push(`${SECRET_KEYS.previousCaCert}: ${read.ok ? 'not a CA certificate' : read.message}`);
  }

  let serving: IssuedCertificate | null = null;
  const tlsCert = text(SECRET_KEYS.tlsCert);
  const tlsKey = text(SECRET_KEYS.tlsKey);
  if (tlsCert !== null && tlsKey !== null) {
    const read = readCertificate(tlsCert);
    const match = read.ok ? keyMatches(tlsCert, tlsKey) : read;
    if (read.ok && match.ok) serving = { certificate: { certPem: tlsCert, keyPem: tlsKey, caPem: signing?.certPem ?? null, summary: summaryOf(read.value) }, info: read.value };
    else problems.push(`${SECRET_KEYS.tlsCert}/${SECRET_KEYS.tlsKey}: ${match.ok ? 'unreadable' : match.message}`);
  } else if (tlsCert !== null || tlsKey !== null) problems.push(`${tlsCert === null ? SECRET_KEYS.tlsCert : SECRET_KEYS.tlsKey}: missing`);
  return { stored: { signing, previous, serving }, problems };
}

/** The Secret's `data` for a complete state (base64 values). */
export function secretData(certs: CompleteCerts): Record<string, string> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    [SECRET_KEYS.caCert]: b64(certs.signing.certPem),
    [SECRET_KEYS.caKey]: b64(certs.signing.keyPem),
    ...(certs.previous === null ? {} : { [SECRET_KEYS.previousCaCert]: b64(certs.previous.certPem) }),
    [SECRET_KEYS.tlsCert]: b64(certs.serving.certificate.certPem),
    [SECRET_KEYS.tlsKey]: b64(certs.serving.certificate.keyPem),
  };
}

export function isComplete(certs: StoredCerts): certs is CompleteCerts {
  return certs.signing !== null && certs.serving !== null;
}

/** The CA bundle (PEM): the previous CA, if any, then the signing CA. */
export function bundlePem(certs: StoredCerts): string {
  return [certs.previous?.certPem, certs.signing?.certPem].filter((p): p is string => p !== undefined).map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
}

/** What may be logged about a state: subjects, expiries and fingerprints, never a key. */
export function describeCerts(certs: StoredCerts): Record<string, unknown> {
  const brief = (info: CertificateInfo | undefined) => (info === undefined ? null : { subject: info.subject, notAfter: info.notAfter.toISOString(), sha256Fingerprint: info.sha256Fingerprint });
  return { signingCa: brief(certs.signing?.info), previousCa: brief(certs.previous?.info), serving: brief(certs.serving?.info) };
}

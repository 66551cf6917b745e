import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../tls/authority.js';
import { generateCa, issueServingCertificate, readCertificate } from '../../tls/authority.js';
import type { CompleteCerts } from './state.js';
import { bundlePem, describeCerts, readSecretData, SECRET_KEYS, secretData } from './state.js';

const HOUR = 3_600_000;
const NOW = new Date(Date.UTC(2030, 0, 1));
let ca: CertificateAuthority;
let other: CertificateAuthority;
let complete: CompleteCerts;

beforeAll(async () => {
  ca = await generateCa({ now: NOW, validityMs: 10 * HOUR });
  other = await generateCa({ now: NOW, validityMs: 10 * HOUR });
  const certificate = await issueServingCertificate(ca, { dnsNames: ['drover-webhook.drover.svc'], now: NOW, validityMs: 20 * HOUR });
  const info = readCertificate(certificate.certPem);
  if (!info.ok) throw new Error(info.message);
  complete = { signing: ca, previous: { certPem: other.certPem, info: other.info }, serving: { certificate, info: info.value } };
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('the certificate Secret', () => {
  it('reads back what it writes', () => {
    const read = readSecretData(secretData(complete));
    expect(read.problems).toEqual([]);
    expect(describeCerts(read.stored)).toEqual(describeCerts(complete));
  });

  it('never lets a serving certificate outlive its CA (20 h asked, the CA lives 10 h)', () => {
    expect(complete.serving.info.notAfter).toEqual(ca.info.notAfter);
  });

  it('puts the previous CA first in the bundle', () => {
    expect(bundlePem(complete).indexOf(other.certPem.trim())).toBe(0);
    expect(bundlePem(complete)).toContain(ca.certPem.trim());
  });

  it.each([
    { name: 'a key that belongs to another CA', data: () => ({ ...secretData(complete), [SECRET_KEYS.caKey]: b64(other.keyPem) }), problem: 'ca.crt/ca.key: the private key does not belong to the certificate', part: 'signing' },
    { name: 'a serving certificate as the CA', data: () => ({ ...secretData(complete), [SECRET_KEYS.caCert]: b64(complete.serving.certificate.certPem), [SECRET_KEYS.caKey]: b64(complete.serving.certificate.keyPem) }), problem: 'CN=drover-webhook.drover.svc is not a CA certificate', part: 'signing' },
    { name: 'a CA certificate without its key', data: () => ({ [SECRET_KEYS.caCert]: b64(ca.certPem) }), problem: 'ca.key: missing', part: 'signing' },
    { name: 'a serving key of another certificate', data: () => ({ ...secretData(complete), [SECRET_KEYS.tlsKey]: b64(ca.keyPem) }), problem: 'tls.crt/tls.key: the private key does not belong to the certificate', part: 'serving' },
    { name: 'a previous CA that is not PEM', data: () => ({ ...secretData(complete), [SECRET_KEYS.previousCaCert]: b64('junk') }), problem: 'previous-ca.crt: not a PEM certificate', part: 'previous' },
  ] as const)('names the key of $name, and reads that part as absent', ({ data, problem, part }) => {
    const read = readSecretData(data());
    expect(read.problems.join('\n')).toContain(problem);
    expect(read.stored[part]).toBeNull();
  });

  it('reads an empty Secret as empty, without problems', () => {
    expect(readSecretData(undefined)).toEqual({ stored: { signing: null, previous: null, serving: null }, problems: [] });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../tls/authority.js';
import { generateCa, issueServingCertificate, readCertificate } from '../../tls/authority.js';
import { checkPolicy, DEFAULT_ROTATION_POLICY, nextCheck, nextStep, renewalTime } from './plan.js';
import type { PlanContext, Step } from './plan.js';
import type { IssuedCertificate, StoredCerts } from './state.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2030, 0, 1);
const NAMES = { dnsNames: ['drover-webhook.drover.svc'], ipAddresses: ['127.0.0.1'] };

let ca1: CertificateAuthority;
let ca2: CertificateAuthority;
/** Serving certificates by issuer and issue day: `s1at0` is signed by ca1 on day 0. */
const serving: Record<string, IssuedCertificate> = {};

async function issue(ca: CertificateAuthority, day: number): Promise<IssuedCertificate> {
  const certificate = await issueServingCertificate(ca, { ...NAMES, now: new Date(T0 + day * DAY), validityMs: 90 * DAY });
  const info = readCertificate(certificate.certPem);
  if (!info.ok) throw new Error(info.message);
  return { certificate, info: info.value };
}

beforeAll(async () => {
  ca1 = await generateCa({ now: new Date(T0), validityMs: 365 * DAY });
  ca2 = await generateCa({ now: new Date(T0 + 250 * DAY), validityMs: 365 * DAY });
  serving.s1at0 = await issue(ca1, 0);
  serving.s1at240 = await issue(ca1, 240);
  serving.s2at251 = await issue(ca2, 251);
});

const steady = (s: string): StoredCerts => ({ signing: ca1, previous: null, serving: serving[s] ?? null });
const rotating = (s: string): StoredCerts => ({ signing: ca2, previous: { certPem: ca1.certPem, info: ca1.info }, serving: serving[s] ?? null });
const ctx = (day: number, extra: Partial<PlanContext> = {}): PlanContext => ({ now: T0 + day * DAY, policy: DEFAULT_ROTATION_POLICY, ...NAMES, signingCaPublished: true, ...extra });

// Policy: CA 365 d, serving 90 d, renewal at 2/3 of the lifetime (CA: day 243.3; serving issued on
// day 0: day 60), previous CA kept 1 day after the swap.
const cases: { name: string; certs: () => StoredCerts; context: () => PlanContext; step: Step }[] = [
  { name: 'steady: nothing to do', certs: () => steady('s1at0'), context: () => ctx(10), step: { kind: 'none' } },
  { name: 'the serving certificate at 2/3 of its life (day 61 > 60)', certs: () => steady('s1at0'), context: () => ctx(61), step: { kind: 'issue-serving', reason: 'renewal-due' } },
  { name: 'an expired serving certificate', certs: () => steady('s1at0'), context: () => ctx(91), step: { kind: 'issue-serving', reason: 'expired' } },
  { name: 'no serving certificate', certs: () => steady('none'), context: () => ctx(10), step: { kind: 'issue-serving', reason: 'missing' } },
  { name: 'a serving certificate without a wanted name', certs: () => steady('s1at0'), context: () => ctx(10, { dnsNames: ['other.drover.svc'] }), step: { kind: 'issue-serving', reason: 'names-changed' } },
  { name: 'a serving certificate from a CA not in the Secret', certs: () => ({ signing: ca2, previous: null, serving: serving.s1at240 ?? null }), context: () => ctx(252), step: { kind: 'issue-serving', reason: 'unknown-issuer' } },
  { name: 'the CA at 2/3 of its life (day 244 > 243.3)', certs: () => steady('s1at240'), context: () => ctx(244), step: { kind: 'rotate-ca', reason: 'renewal-due' } },
  { name: 'no CA', certs: () => ({ signing: null, previous: null, serving: null }), context: () => ctx(0), step: { kind: 'new-ca', reason: 'missing' } },
  { name: 'an expired CA', certs: () => steady('s1at240'), context: () => ctx(366), step: { kind: 'new-ca', reason: 'expired' } },
  { name: 'rotating, the new CA not in every bundle yet', certs: () => rotating('s1at240'), context: () => ctx(251, { signingCaPublished: false }), step: { kind: 'wait', reason: 'bundle-not-published', serving: 'new-ca' } },
  { name: 'rotating, the new CA in every bundle', certs: () => rotating('s1at240'), context: () => ctx(251), step: { kind: 'issue-serving', reason: 'new-ca' } },
  { name: 'rotating, the old serving certificate expired: no waiting', certs: () => rotating('s1at0'), context: () => ctx(251, { signingCaPublished: false }), step: { kind: 'issue-serving', reason: 'expired' } },
  { name: 'swapped, within the grace period', certs: () => rotating('s2at251'), context: () => ctx(251.5), step: { kind: 'none' } },
  { name: 'swapped, the grace period over', certs: () => rotating('s2at251'), context: () => ctx(252.1), step: { kind: 'drop-previous-ca', reason: 'grace-over' } },
  { name: 'the previous CA expired', certs: () => rotating('s2at251'), context: () => ctx(365.1), step: { kind: 'drop-previous-ca', reason: 'expired' } },
];

describe('nextStep', () => {
  it.each(cases)('$name', ({ certs, context, step }) => {
    expect(nextStep(certs(), context())).toEqual(step);
  });
});

describe('nextCheck', () => {
  it('is the serving certificate renewal in a steady state', () => {
    const s = serving.s1at0;
    if (s === undefined) throw new Error('setup');
    expect(nextCheck(steady('s1at0'), DEFAULT_ROTATION_POLICY, T0 + DAY)).toBe(renewalTime(s.info, 2 / 3));
  });
  it('is the end of the grace period while rotating', () => {
    // issued on day 251 (notBefore backdated 5 minutes), grace 1 day: day 252
    expect(nextCheck(rotating('s2at251'), DEFAULT_ROTATION_POLICY, T0 + 251.5 * DAY)).toBe(T0 + 252 * DAY);
  });
  it('is never in the past', () => {
    expect(nextCheck(steady('s1at0'), DEFAULT_ROTATION_POLICY, T0 + 400 * DAY)).toBeNull();
  });
});

describe('checkPolicy', () => {
  it.each([
    { name: 'the default', policy: {}, problems: 0 },
    { name: 'a fraction of 1', policy: { renewFraction: 1 }, problems: 1 },
    { name: 'a negative validity', policy: { servingValidityMs: -1 }, problems: 1 },
    { name: 'a grace longer than a CA lives after its renewal point (365 d / 3 = 121.7 d)', policy: { previousCaGraceMs: 122 * DAY }, problems: 1 },
  ])('$name', ({ policy, problems }) => {
    expect(checkPolicy({ ...DEFAULT_ROTATION_POLICY, ...policy })).toHaveLength(problems);
  });
});

/**
 * The rotation plan, pure: from what the Secret holds, the time and whether the signing CA is in every
 * webhook configuration's bundle, the one next step. Applied one at a time until the answer is `none`
 * (or `wait`), this renews without downtime, as YuniKorn does by keeping two CAs:
 *
 *   steady        bundle [CA1]        serving signed by CA1
 *   rotate-ca     bundle [CA1, CA2]   serving signed by CA1    (CA1 reached its renewal point)
 *   issue-serving bundle [CA1, CA2]   serving signed by CA2    (only once CA2 is in every bundle)
 *   drop-previous bundle [CA2]        serving signed by CA2    (after the grace period)
 *
 * The API server trusts the bundle, so at every step the certificate served is signed by a CA in it.
 * The grace period lets the other replicas pick up the new serving certificate from the Secret before
 * the CA their old one chains to leaves the bundle.
 */
import type { CertificateInfo } from '../../tls/authority.js';
import { BACKDATE_MS, signedBy } from '../../tls/authority.js';
import type { StoredCerts } from './state.js';

const DAY_MS = 86_400_000;

export interface RotationPolicy {
  /** Validity of a new CA (default 365 days). */
  readonly caValidityMs: number;
  /** Validity of a serving certificate (default 90 days); never beyond its CA's. */
  readonly servingValidityMs: number;
  /** A certificate is renewed once this fraction of its lifetime has passed (default 2/3). */
  readonly renewFraction: number;
  /** How long the previous CA stays in the bundle once the serving certificate no longer needs it (default 1 day). */
  readonly previousCaGraceMs: number;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = Object.freeze({ caValidityMs: 365 * DAY_MS, servingValidityMs: 90 * DAY_MS, renewFraction: 2 / 3, previousCaGraceMs: DAY_MS });

/** Problems with a policy, each naming the option. */
export function checkPolicy(p: RotationPolicy): string[] {
  const problems: string[] = [];
  for (const key of ['caValidityMs', 'servingValidityMs', 'previousCaGraceMs'] as const) {
    if (!(Number.isFinite(p[key]) && p[key] > 0)) problems.push(`${key} must be a positive number of milliseconds, not ${p[key]}`);
  }
  if (!(p.renewFraction > 0 && p.renewFraction < 1)) problems.push(`renewFraction must be between 0 and 1 (exclusive), not ${p.renewFraction}`);
  // The previous CA must be gone before the signing CA is due again, or a third would be needed.
  if (problems.length === 0 && p.previousCaGraceMs >= p.caValidityMs * (1 - p.renewFraction)) {
    problems.push(`previousCaGraceMs (${p.previousCaGraceMs}) must be shorter than the time a CA lives after its renewal point (${Math.floor(p.caValidityMs * (1 - p.renewFraction))})`);
  }
  return problems;
}

export interface PlanContext {
  readonly now: number;
  readonly policy: RotationPolicy;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Is the signing CA in the bundle of every webhook configuration that exists? */
  readonly signingCaPublished: boolean;
}

export type ServingReason = 'missing' | 'expired' | 'unknown-issuer' | 'names-changed' | 'new-ca' | 'renewal-due';

export type Step =
  | { readonly kind: 'new-ca'; readonly reason: 'missing' | 'expired' }
  | { readonly kind: 'rotate-ca'; readonly reason: 'renewal-due' }
  | { readonly kind: 'issue-serving'; readonly reason: ServingReason }
  | { readonly kind: 'drop-previous-ca'; readonly reason: 'grace-over' | 'expired' }
  /** The serving certificate must move to the signing CA, which is not yet in every bundle. */
  | { readonly kind: 'wait'; readonly reason: 'bundle-not-published'; readonly serving: ServingReason }
  | { readonly kind: 'none' };

/** When a certificate is due for renewal: `notBefore + renewFraction * lifetime`. */
export function renewalTime(info: CertificateInfo, fraction: number): number {
  const from = info.notBefore.getTime();
  return from + fraction * (info.notAfter.getTime() - from);
}

/** When drover issued a certificate (it backdates notBefore by BACKDATE_MS). */
export function issueTime(info: CertificateInfo): number {
  return info.notBefore.getTime() + BACKDATE_MS;
}

export type Issuer = 'signing' | 'previous' | 'unknown';

export function servingIssuer(certs: StoredCerts): Issuer | null {
  const serving = certs.serving?.certificate.certPem;
  if (serving === undefined) return null;
  if (certs.signing !== null && signedBy(serving, certs.signing.certPem)) return 'signing';
  if (certs.previous !== null && signedBy(serving, certs.previous.certPem)) return 'previous';
  return 'unknown';
}

export function nextStep(certs: StoredCerts, ctx: PlanContext): Step {
  const { now, policy } = ctx;
  const { signing, previous, serving } = certs;
  if (signing === null) return { kind: 'new-ca', reason: 'missing' };
  if (signing.info.notAfter.getTime() <= now) return { kind: 'new-ca', reason: 'expired' };
  if (previous !== null && previous.info.notAfter.getTime() <= now) return { kind: 'drop-previous-ca', reason: 'expired' };
  if (previous === null && renewalTime(signing.info, policy.renewFraction) <= now) return { kind: 'rotate-ca', reason: 'renewal-due' };
  const issuer = servingIssuer(certs);
  const reason = servingReason(certs, issuer, ctx);
  if (reason !== null) {
    // A certificate the API server may not trust yet would break admission: keep the one it trusts
    // (still valid, signed by the previous CA) until the signing CA is in every bundle.
    if (reason !== 'expired' && issuer === 'previous' && !ctx.signingCaPublished) return { kind: 'wait', reason: 'bundle-not-published', serving: reason };
    return { kind: 'issue-serving', reason };
  }
  if (previous !== null && serving !== null && now >= issueTime(serving.info) + policy.previousCaGraceMs) return { kind: 'drop-previous-ca', reason: 'grace-over' };
  return { kind: 'none' };
}

function servingReason(certs: StoredCerts, issuer: Issuer | null, ctx: PlanContext): ServingReason | null {
  const serving = certs.serving;
  if (serving === null) return 'missing';
  if (serving.info.notAfter.getTime() <= ctx.now) return 'expired';
  if (issuer === 'unknown') return 'unknown-issuer';
  if (!covers(serving.info, ctx)) return 'names-changed';
  if (issuer === 'previous') return 'new-ca';
  if (renewalTime(serving.info, ctx.policy.renewFraction) <= ctx.now) return 'renewal-due';
  return null;
}

function covers(info: CertificateInfo, ctx: PlanContext): boolean {
  return ctx.dnsNames.every((n) => info.dnsNames.includes(n)) && ctx.ipAddresses.every((ip) => info.ipAddresses.includes(ip));
}

/**
 * The next time after `now` a step may become due without anything else changing (null: none). Everything that
 * happens sooner (an edit of the Secret, a configuration appearing) is seen through the watches.
 */
export function nextCheck(certs: StoredCerts, policy: RotationPolicy, now: number): number | null {
  const times: number[] = [];
  const { signing, previous, serving } = certs;
  if (signing !== null) times.push(signing.info.notAfter.getTime(), renewalTime(signing.info, policy.renewFraction));
  if (serving !== null) times.push(serving.info.notAfter.getTime(), renewalTime(serving.info, policy.renewFraction));
  if (previous !== null) times.push(previous.info.notAfter.getTime(), ...(serving === null ? [] : [issueTime(serving.info) + policy.previousCaGraceMs]));
  const future = times.filter((t) => t > now);
  return future.length === 0 ? null : Math.min(...future);
}

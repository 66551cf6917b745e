/**
 * Carry out one step of the rotation plan: generate what it asks for and return the new state. The
 * plan decides (pure, `plan.ts`); this file only generates keys and certificates.
 */
import { generateCa, issueServingCertificate, readCertificate } from '../../tls/authority.js';
import type { PlanContext, Step } from './plan.js';
import type { StoredCerts } from './state.js';

export type ActionStep = Exclude<Step, { kind: 'none' } | { kind: 'wait' }>;

export async function applyStep(certs: StoredCerts, step: ActionStep, ctx: Omit<PlanContext, 'signingCaPublished'>): Promise<StoredCerts> {
  const now = new Date(ctx.now);
  switch (step.kind) {
    case 'new-ca': {
      // A previous CA that is still valid stays trusted: the serving certificate may chain to it.
      const previous = certs.previous !== null && certs.previous.info.notAfter.getTime() > ctx.now ? certs.previous : null;
      return { ...certs, signing: await generateCa({ now, validityMs: ctx.policy.caValidityMs }), previous };
    }
    case 'rotate-ca': {
      if (certs.signing === null) throw new Error('bug: rotate-ca without a signing CA');
      const previous = { certPem: certs.signing.certPem, info: certs.signing.info };
      return { ...certs, previous, signing: await generateCa({ now, validityMs: ctx.policy.caValidityMs }) };
    }
    case 'issue-serving': {
      if (certs.signing === null) throw new Error('bug: issue-serving without a signing CA');
      const certificate = await issueServingCertificate(certs.signing, { dnsNames: ctx.dnsNames, ipAddresses: ctx.ipAddresses, now, validityMs: ctx.policy.servingValidityMs });
      const info = readCertificate(certificate.certPem);
      if (!info.ok) throw new Error(`bug: the certificate just issued is ${info.message}`);
      return { ...certs, serving: { certificate, info: info.value } };
    }
    case 'drop-previous-ca':
      return { ...certs, previous: null };
  }
}

/**
 * Write the CA bundle into the `caBundle` of every webhook entry of a MutatingWebhookConfiguration or
 * ValidatingWebhookConfiguration. The configuration is read, and replaced carrying the
 * resourceVersion read (a conflict reads it again). A whole-object update rather than a JSON patch by
 * index, because only the resourceVersion makes the entries' positions safe to write to.
 *
 * Before writing, the caller confirms its view of the Secret is still current (`stillCurrent`): a
 * replica that has not yet seen a new CA must not put back the bundle without it, which would break
 * admission for the replicas already serving a certificate from that CA. Reading the configuration
 * first, then the Secret, then writing with the configuration's resourceVersion makes that safe.
 */
import type { AdmissionregistrationV1Api, AdmissionregistrationV1WebhookClientConfig, V1ObjectMeta } from '@kubernetes/client-node';
import { describeError, httpStatus } from '../cluster/errors.js';

export const WEBHOOK_CONFIGURATION_KINDS = ['mutating', 'validating'] as const;
export type WebhookConfigurationKind = (typeof WEBHOOK_CONFIGURATION_KINDS)[number];

export interface WebhookConfigurationRef {
  readonly kind: WebhookConfigurationKind;
  readonly name: string;
}

export type PublishOutcome =
  | { readonly kind: 'up-to-date' }
  | { readonly kind: 'written' }
  /** Not there (yet): the chart may create it after the pod starts; the watch will tell. */
  | { readonly kind: 'missing' }
  /** The caller's Secret is no longer the current one: re-read and re-plan. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'failed'; readonly message: string };

interface Configuration {
  metadata?: V1ObjectMeta;
  webhooks?: { clientConfig: AdmissionregistrationV1WebhookClientConfig }[];
}

const ATTEMPTS = 5;

export function describeRef(ref: WebhookConfigurationRef): string {
  return `${ref.kind === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration'} ${ref.name}`;
}

/** Is `caBundle` (base64) already in every entry? A configuration without entries has nothing to trust. */
export function hasBundle(config: Configuration, caBundle: string): boolean {
  return (config.webhooks ?? []).every((w) => w.clientConfig.caBundle === caBundle);
}

export async function publishBundle(api: AdmissionregistrationV1Api, ref: WebhookConfigurationRef, caBundle: string, stillCurrent: () => Promise<boolean>): Promise<PublishOutcome> {
  const { name } = ref;
  switch (ref.kind) {
    case 'mutating':
      return publishWith(ref, () => api.readMutatingWebhookConfiguration({ name }), (body) => api.replaceMutatingWebhookConfiguration({ name, body }), caBundle, stillCurrent);
    case 'validating':
      return publishWith(ref, () => api.readValidatingWebhookConfiguration({ name }), (body) => api.replaceValidatingWebhookConfiguration({ name, body }), caBundle, stillCurrent);
  }
}

async function publishWith<T extends Configuration>(ref: WebhookConfigurationRef, read: () => Promise<T>, replace: (body: T) => Promise<unknown>, caBundle: string, stillCurrent: () => Promise<boolean>): Promise<PublishOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let config: T;
    try {
      config = await read();
    } catch (e) {
      if (httpStatus(e) === 404) return { kind: 'missing' };
      return { kind: 'failed', message: `cannot read ${describeRef(ref)}: ${describeError(e)}` };
    }
    if (hasBundle(config, caBundle)) return { kind: 'up-to-date' };
    if (!(await stillCurrent())) return { kind: 'stale' };
    const webhooks = (config.webhooks ?? []).map((w) => ({ ...w, clientConfig: { ...w.clientConfig, caBundle } }));
    try {
      // config carries the resourceVersion it was read at: a concurrent change is a 409, not lost.
      await replace({ ...config, webhooks });
      return { kind: 'written' };
    } catch (e) {
      const code = httpStatus(e);
      if (code === 404) return { kind: 'missing' };
      if (code !== 409) return { kind: 'failed', message: `cannot update the caBundle of ${describeRef(ref)}: ${describeError(e)}` };
    }
  }
  return { kind: 'failed', message: `${describeRef(ref)} changed under each of ${ATTEMPTS} updates (409 Conflict)` };
}

/** The outcome for each configuration, and whether the bundle is in all of those that exist. */
export interface PublishReport {
  readonly outcomes: ReadonlyMap<string, PublishOutcome>;
  readonly published: boolean;
  readonly stale: boolean;
}

export async function publishEverywhere(api: AdmissionregistrationV1Api, refs: readonly WebhookConfigurationRef[], caBundle: string, stillCurrent: () => Promise<boolean>): Promise<PublishReport> {
  const outcomes = new Map<string, PublishOutcome>();
  for (const ref of refs) outcomes.set(describeRef(ref), await publishBundle(api, ref, caBundle, stillCurrent));
  const kinds = [...outcomes.values()].map((o) => o.kind);
  return { outcomes, published: kinds.every((k) => k === 'up-to-date' || k === 'written' || k === 'missing'), stale: kinds.includes('stale') };
}

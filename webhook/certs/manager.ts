/**
 * The certificate manager: certificates without cert-manager. It keeps the CA and the serving
 * certificate in a Secret shared by every replica (`state.ts`), writes the CA bundle into the webhook
 * configurations (`publish.ts`), and renews before expiry by the plan of `plan.ts`, one step per
 * Secret update. A reconcile reads the Secret (creating it when missing), publishes its bundle,
 * applies the next step and writes it back (a 409 re-reads and re-plans), until there is nothing to
 * do; then it presents the Secret's serving certificate (`onServing`, which swaps it on the running
 * server) and sleeps until the next renewal point on the injected clock.
 *
 * Reconciles run one at a time; they are started by the clock, by the watches (the Secret edited by
 * another replica or deleted; a webhook configuration created or its caBundle reset, as `helm upgrade`
 * does) and, after a failure, by a retry with backoff.
 */
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { CertificateSummary, ServingCertificate } from '../../tls/certificates.js';
import { caBundle } from '../../tls/certificates.js';
import type { KeptWatch } from '../cluster/watch.js';
import type { Clock } from './clock.js';
import { SYSTEM_CLOCK } from './clock.js';
import { checkPolicy, DEFAULT_ROTATION_POLICY, nextCheck, nextStep } from './plan.js';
import type { RotationPolicy } from './plan.js';
import { describeRef, publishEverywhere } from './publish.js';
import type { PublishOutcome, WebhookConfigurationRef } from './publish.js';
import { applyStep } from './rotate.js';
import { serialRunner } from './runner.js';
import type { Outcome } from './runner.js';
import { SecretStore } from './secret-store.js';
import type { SecretRead } from './secret-store.js';
import { watchTriggers } from './triggers.js';
import { bundlePem, describeCerts, EMPTY_CERTS, isComplete, readSecretData, secretData } from './state.js';
import type { CompleteCerts, StoredCerts } from './state.js';

export interface CertificateManagerOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly secretName: string;
  readonly webhookConfigurations: readonly WebhookConfigurationRef[];
  /** The names the serving certificate must carry (the Service's, see `serviceDnsNames`). */
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly policy?: Partial<RotationPolicy>;
  readonly clock?: Clock;
  readonly logger: Logger;
  /** Called when the serving certificate changes after start() (swap it on the server). */
  readonly onServing?: (certificate: ServingCertificate) => void;
  /** Backoff after a failed reconcile (default 1 s doubling to 60 s), in real time. */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

export interface CertificateStatus {
  readonly serving: CertificateSummary | null;
  /** SHA-256 fingerprints of the CAs in the bundle, oldest first. */
  readonly bundle: readonly string[];
  /** The last outcome per webhook configuration (`MutatingWebhookConfiguration NAME`). */
  readonly configurations: Readonly<Record<string, PublishOutcome['kind']>>;
  readonly lastError: string | null;
  readonly nextCheck: string | null;
}

export type Started = { readonly ok: true; readonly certificate: ServingCertificate } | { readonly ok: false; readonly reason: 'stopped' };

export interface CertificateManager {
  /** Read or create the Secret, retrying until it works; resolves with the serving certificate to start with. */
  start(): Promise<Started>;
  /** Reconcile now and wait for it (the clock and the watches call it too). */
  reconcile(): Promise<void>;
  status(): CertificateStatus;
  stop(): Promise<void>;
}

/** A Secret that changes under every write this many times in one reconcile is reported, not chased. */
const MAX_ROUNDS = 10;

export function createCertificateManager(o: CertificateManagerOptions): { ok: true; manager: CertificateManager } | { ok: false; message: string } {
  const policy: RotationPolicy = { ...DEFAULT_ROTATION_POLICY, ...o.policy };
  const problems = checkPolicy(policy);
  if (problems.length > 0) return { ok: false, message: `certificate rotation policy: ${problems.join('; ')}` };
  const clock = o.clock ?? SYSTEM_CLOCK;
  const retry = o.retryMs ?? { first: 1_000, max: 60_000 };
  const { logger } = o;
  const store = new SecretStore(o.kubeConfig.makeApiClient(CoreV1Api), o.namespace, o.secretName);
  const admission = o.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const plan = { policy, dnsNames: o.dnsNames, ipAddresses: o.ipAddresses ?? [] };

  let adopted: CompleteCerts | null = null;
  let secretVersion: string | null = null;
  let configurations: Record<string, PublishOutcome['kind']> = {};
  let wakeAt: number | null = null;
  let cancelWake: () => void = () => undefined;
  let stopped = false;
  const watches: KeptWatch[] = [];
  let settle: (started: Started) => void = () => undefined;
  const ready = new Promise<Started>((resolve) => (settle = resolve));

  /** Apply steps without writing until every part is there (a new or unreadable Secret). */
  const complete = async (certs: StoredCerts): Promise<CompleteCerts> => {
    let next = certs;
    for (let i = 0; i < 4 && !isComplete(next); i++) {
      const step = nextStep(next, { ...plan, now: clock.now(), signingCaPublished: false });
      if (step.kind === 'none' || step.kind === 'wait') break;
      next = await applyStep(next, step, { ...plan, now: clock.now() });
    }
    if (!isComplete(next)) throw new Error('bug: the rotation plan did not complete a certificate state');
    return next;
  };

  const adopt = (certs: CompleteCerts): void => {
    const changed = adopted?.serving.info.sha256Fingerprint !== certs.serving.info.sha256Fingerprint;
    const first = adopted === null;
    adopted = certs;
    if (!changed) return;
    logger.info({ secret: store.where, ...describeCerts(certs) }, first ? 'serving certificate loaded' : 'serving certificate swapped');
    if (first) settle({ ok: true, certificate: certs.serving.certificate });
    else o.onServing?.(certs.serving.certificate);
  };

  const reconcileOnce = async (): Promise<Outcome> => {
    let read = await store.read();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (read.kind === 'failed') return { ok: false, message: read.message };
      if (read.kind === 'missing') {
        // Deleted while running: restore what this replica serves, so that the bundle stays valid.
        const certs = adopted ?? (await complete(EMPTY_CERTS));
        const created = await store.create(secretData(certs));
        if (created.kind === 'failed') return { ok: false, message: created.message };
        if (created.kind === 'written') logger.info({ secret: store.where, restored: adopted !== null, ...describeCerts(certs) }, 'certificate Secret created');
        read = created.kind === 'written' ? found(created.secret) : await store.read();
        continue;
      }
      const { secret, resourceVersion } = read;
      secretVersion = resourceVersion;
      const { stored, problems } = readSecretData(secret.data);
      if (problems.length > 0) logger.warn({ secret: store.where, resourceVersion, problems }, 'parts of the certificate Secret cannot be used; they are replaced');
      const bundle = caBundle(bundlePem(stored));
      const stillCurrent = async () => {
        const latest = await store.read();
        return latest.kind === 'found' && latest.resourceVersion === resourceVersion;
      };
      const report = stored.signing === null ? null : await publishEverywhere(admission, o.webhookConfigurations, bundle, stillCurrent);
      if (report !== null) record(report.outcomes, stored);
      if (report?.stale === true) {
        read = await store.read();
        continue;
      }
      const step = nextStep(stored, { ...plan, now: clock.now(), signingCaPublished: report?.published === true });
      if ((step.kind === 'none' || step.kind === 'wait') && problems.length > 0 && isComplete(stored)) {
        // Only an unusable extra part (an unreadable previous CA) is wrong: write the Secret without it.
        read = await write(secret, stored, 'clean', 'unreadable-part');
        continue;
      }
      if (step.kind === 'none' || step.kind === 'wait') {
        if (isComplete(stored)) adopt(stored);
        schedule(stored);
        if (step.kind === 'wait') return { ok: false, message: `the serving certificate waits for the new CA to be in every webhook configuration (${failures(report)})` };
        return { ok: true };
      }
      read = await write(secret, await complete(await applyStep(stored, step, { ...plan, now: clock.now() })), step.kind, step.reason);
    }
    return { ok: false, message: `${store.where} changed under each of ${MAX_ROUNDS} updates` };
  };

  /** Replace the Secret's data; what to read next (the written Secret, or the newer one on a conflict). */
  const write = async (secret: V1Secret, next: CompleteCerts, step: string, reason: string): Promise<SecretRead> => {
    const written = await store.replace(secret, secretData(next));
    if (written.kind === 'failed') return written;
    if (written.kind === 'conflict') return store.read();
    logger.info({ secret: store.where, step, reason, ...describeCerts(next) }, 'certificate Secret updated');
    return found(written.secret);
  };

  const record = (outcomes: ReadonlyMap<string, PublishOutcome>, certs: StoredCerts): void => {
    const next: Record<string, PublishOutcome['kind']> = {};
    for (const [name, outcome] of outcomes) {
      next[name] = outcome.kind;
      if (outcome.kind === 'written') logger.info({ webhookConfiguration: name, bundle: caFingerprints(certs) }, 'caBundle written');
      else if (outcome.kind === 'failed') logger.warn({ webhookConfiguration: name }, outcome.message);
      else if (outcome.kind === 'missing' && configurations[name] !== 'missing') logger.info({ webhookConfiguration: name }, 'webhook configuration not found; its caBundle is written when it appears');
    }
    configurations = next;
  };

  const schedule = (certs: StoredCerts): void => {
    cancelWake();
    wakeAt = nextCheck(certs, policy, clock.now());
    cancelWake = wakeAt === null ? () => undefined : clock.setTimer(wakeAt - clock.now(), () => void kick());
  };

  const runner = serialRunner(() => reconcileOnce(), retry, (message, retryInMs) => logger.warn({ secret: store.where, retryInMs }, message));
  const kick = () => (stopped ? Promise.resolve() : runner.run());

  const manager: CertificateManager = {
    start: () => {
      logger.info({ secret: store.where, webhookConfigurations: o.webhookConfigurations.map(describeRef), policy }, 'certificate manager starting');
      const bundle = () => (adopted === null ? null : caBundle(bundlePem(adopted)));
      watches.push(...watchTriggers({ kubeConfig: o.kubeConfig, namespace: o.namespace, secretName: o.secretName, webhookConfigurations: o.webhookConfigurations, logger, secretVersion: () => secretVersion, bundle, kick: () => void kick() }));
      // Until the first success, the retry armed by each failure runs the next attempt.
      void kick();
      return ready;
    },
    reconcile: kick,
    status: () => ({
      serving: adopted?.serving.certificate.summary ?? null,
      bundle: adopted === null ? [] : caFingerprints(adopted),
      configurations: { ...configurations },
      lastError: runner.lastError(),
      nextCheck: wakeAt === null ? null : new Date(wakeAt).toISOString(),
    }),
    stop: async () => {
      stopped = true;
      settle({ ok: false, reason: 'stopped' });
      cancelWake();
      await Promise.all(watches.map((w) => w.stop()));
      await runner.stop();
    },
  };
  return { ok: true, manager };
}

function found(secret: V1Secret): { kind: 'found'; secret: V1Secret; resourceVersion: string } {
  return { kind: 'found', secret, resourceVersion: secret.metadata?.resourceVersion ?? '' };
}

function caFingerprints(certs: StoredCerts): string[] {
  return [certs.previous?.info.sha256Fingerprint, certs.signing?.info.sha256Fingerprint].filter((f): f is string => f !== undefined);
}

function failures(report: { outcomes: ReadonlyMap<string, PublishOutcome> } | null): string {
  if (report === null) return 'not published';
  return [...report.outcomes].filter(([, o]) => o.kind === 'failed').map(([name, o]) => (o.kind === 'failed' ? o.message : name)).join('; ') || 'not published';
}

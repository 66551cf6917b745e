/**
 * The webhook as a whole, wired: the HTTPS server (`server/`), and with a cluster the informers that
 * answer its lookups and hot-reload its settings (`cluster/`) and the certificate manager that keeps
 * its certificate in a Secret and its CA in the webhook configurations (`certs/`). `drover webhook`
 * calls this after reading its flags; tests call it with the embedded API server and a fake clock.
 *
 * Certificates come from one of three places: mounted files (reloaded when they change), the
 * certificate manager (the default with a cluster), or a CA generated in memory (without a cluster).
 * A new certificate is swapped on the running server (`setSecureContext`): connections already open
 * keep theirs, new ones get the new one, and no request is refused on the way.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { generateCertificates, loadCertificates, serviceDnsNames, tlsOptions } from '../tls/certificates.js';
import type { ServingCertificate } from '../tls/certificates.js';
import { admissionSettings } from './admission/index.js';
import type { AdmissionSettings } from './admission/index.js';
import type { Clock } from './certs/clock.js';
import { watchCertificateFiles } from './certs/file-watch.js';
import { createCertificateManager } from './certs/manager.js';
import type { CertificateManager } from './certs/manager.js';
import type { RotationPolicy } from './certs/plan.js';
import { watchConfigMaps } from './cluster/config-source.js';
import { watchLookups } from './cluster/lookups.js';
import { createWebhookApp } from './server/app.js';
import { allNames } from './server/config-maps.js';
import type { ConfigMapNames } from './server/config-maps.js';
import type { ClusterLookups } from './server/mutate.js';
import { listen } from './server/server.js';
import type { RunningServer } from './server/server.js';

export type CertificateSource =
  | { readonly kind: 'files'; readonly certFile: string; readonly keyFile: string }
  | { readonly kind: 'secret'; readonly secretName: string; readonly mutating: string; readonly validating: string; readonly policy?: Partial<RotationPolicy>; readonly clock?: Clock }
  /** Generated at start, the CA written to `caBundleFile` (or a new temporary file). */
  | { readonly kind: 'memory'; readonly caBundleFile: string | null };

export interface StartOptions {
  readonly port: number;
  readonly host: string | null;
  /** The Service the API server calls the webhook through, and its namespace (also where the ConfigMaps and the Secret are). */
  readonly service: string;
  readonly namespace: string;
  readonly certificates: CertificateSource;
  readonly kubeConfig: KubeConfig | null;
  /** Settings from the command line; they win over the ConfigMaps. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly configMaps: ConfigMapNames;
  readonly logger: Logger;
  /** Aborting stops waiting for the certificate manager's first Secret. */
  readonly signal?: AbortSignal;
}

export interface RunningWebhook {
  readonly port: number;
  readonly settings: () => AdmissionSettings;
  readonly certificates: CertificateManager | null;
  /** The namespaces and PriorityClasses known from the cluster; null without one. */
  readonly lookups: ClusterLookups | null;
  /** The CA of a certificate generated in memory (PEM) and where it was written; null otherwise. */
  readonly caBundle: { readonly pem: string; readonly file: string } | null;
  readonly serving: () => ServingCertificate;
  close(): Promise<void>;
}

export type Started = { readonly ok: true; readonly webhook: RunningWebhook } | { readonly ok: false; readonly message: string };

export async function startWebhook(o: StartOptions): Promise<Started> {
  const { logger, kubeConfig } = o;
  const { settings: initial, problems } = admissionSettings(o.overrides);
  for (const p of problems) logger.warn({ code: p.code, key: p.key }, p.message);
  const stops: (() => Promise<void> | void)[] = [];
  const fail = async (message: string): Promise<Started> => {
    for (const stop of stops.reverse()) await stop();
    return { ok: false, message };
  };

  const source = kubeConfig === null ? null : watchConfigMaps({ kubeConfig, namespace: o.namespace, names: o.configMaps, overrides: o.overrides, initial, logger });
  const cache = kubeConfig === null ? null : watchLookups(kubeConfig, logger);
  if (source !== null && cache !== null) {
    stops.push(() => source.stop(), () => cache.stop());
    // Serve with what the first lists gave: a watch that failed keeps retrying meanwhile.
    await Promise.all([source.started, cache.started]);
    logger.info({ namespace: o.namespace, configMaps: o.configMaps, ...cache.size() }, 'watching namespaces, PriorityClasses and the ConfigMaps');
  }

  let running: RunningServer | null = null;
  let serving: ServingCertificate;
  const swap = (certificate: ServingCertificate) => {
    serving = certificate;
    running?.server.setSecureContext(tlsOptions(certificate));
  };
  let manager: CertificateManager | null = null;
  let caBundle: RunningWebhook['caBundle'] = null;
  const certs = o.certificates;
  switch (certs.kind) {
    case 'files':
      try {
        serving = await loadCertificates(certs.certFile, certs.keyFile);
      } catch (e) {
        return fail(`cannot read the certificate files ${certs.certFile} and ${certs.keyFile}: ${e instanceof Error ? e.message : String(e)}`);
      }
      break;
    case 'memory': {
      serving = await generateCertificates({ dnsNames: serviceDnsNames(o.service, o.namespace), ipAddresses: ['127.0.0.1', '::1'], now: new Date(), validityDays: 365 });
      const file = certs.caBundleFile ?? join(await mkdtemp(join(tmpdir(), 'drover-webhook-')), 'ca.crt');
      const pem = serving.caPem ?? '';
      await writeFile(file, pem, { mode: 0o644 });
      caBundle = { pem, file };
      logger.info({ caBundleFile: file }, 'generated a CA and a serving certificate in memory; the CA bundle is in caBundleFile');
      break;
    }
    case 'secret': {
      if (kubeConfig === null) return fail('certificates in a Secret need a cluster (--kubeconfig, or running in a pod)');
      const created = createCertificateManager({
        kubeConfig,
        namespace: o.namespace,
        secretName: certs.secretName,
        webhookConfigurations: [{ kind: 'mutating', name: certs.mutating }, { kind: 'validating', name: certs.validating }],
        dnsNames: serviceDnsNames(o.service, o.namespace),
        ipAddresses: ['127.0.0.1', '::1'],
        logger,
        onServing: swap,
        ...(certs.policy === undefined ? {} : { policy: certs.policy }),
        ...(certs.clock === undefined ? {} : { clock: certs.clock }),
      });
      if (!created.ok) return fail(created.message);
      const m = created.manager;
      stops.push(() => m.stop());
      const abort = () => void m.stop();
      if (o.signal?.aborted === true) return fail('stopped before the certificate Secret could be read');
      o.signal?.addEventListener('abort', abort, { once: true });
      const first = await m.start();
      o.signal?.removeEventListener('abort', abort);
      if (!first.ok) return fail('stopped before the certificate Secret could be read');
      serving = first.certificate;
      manager = m;
      break;
    }
  }

  const app = createWebhookApp({
    settings: source?.settings ?? initial,
    configMapNames: new Set(allNames(o.configMaps)),
    logger,
    ...(source === null ? {} : { configMaps: { names: o.configMaps, view: source.view } }),
    ...(cache === null ? {} : { lookups: cache.lookups }),
  });
  try {
    running = await listen(app, { port: o.port, ...(o.host === null ? {} : { host: o.host }), certificate: serving });
  } catch (e) {
    return fail(`cannot listen on port ${o.port}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (certs.kind === 'files') {
    const files = watchCertificateFiles({ certFile: certs.certFile, keyFile: certs.keyFile, current: serving, onChange: swap, logger });
    stops.push(() => files.stop());
  }
  const server = running;
  logger.info({ port: server.port, schedulerName: (source?.settings() ?? initial).schedulerName, certificates: certs.kind, certificate: serving.summary }, 'listening');
  return {
    ok: true,
    webhook: {
      port: server.port,
      settings: source?.settings ?? (() => initial),
      certificates: manager,
      lookups: cache?.lookups ?? null,
      caBundle,
      serving: () => serving,
      close: async () => {
        await server.close();
        for (const stop of stops.reverse()) await stop();
      },
    },
  };
}

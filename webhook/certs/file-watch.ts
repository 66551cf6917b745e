/**
 * Mounted certificates (`--tls-cert-file`, `--tls-key-file`; cert-manager or a Secret volume) reloaded
 * when the files change: the kubelet updates a mounted Secret by swapping a symlink in the directory,
 * so the directories are watched, not the files. A change is read after a short quiet period (the
 * certificate and the key are written one after the other); a pair that cannot be read or does not
 * match is logged and the certificate in use stays.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { keyMatches } from '../../tls/authority.js';
import { loadCertificates } from '../../tls/certificates.js';
import type { ServingCertificate } from '../../tls/certificates.js';

export interface FileWatchOptions {
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate in use now. */
  readonly current: ServingCertificate;
  readonly onChange: (certificate: ServingCertificate) => void;
  readonly logger: Logger;
  /** Quiet period before reading (default 200 ms). */
  readonly settleMs?: number;
}

export function watchCertificateFiles(o: FileWatchOptions): { stop(): void } {
  let current = o.current;
  let timer: NodeJS.Timeout | null = null;
  const files = { certFile: o.certFile, keyFile: o.keyFile };
  const reload = async () => {
    let next: ServingCertificate;
    try {
      next = await loadCertificates(o.certFile, o.keyFile);
    } catch (e) {
      o.logger.warn({ ...files, error: e instanceof Error ? e.message : String(e) }, 'cannot read the changed certificate files; the certificate in use stays');
      return;
    }
    if (next.summary.sha256Fingerprint === current.summary.sha256Fingerprint) return;
    const match = keyMatches(next.certPem, next.keyPem);
    if (!match.ok) {
      o.logger.warn({ ...files }, `${o.keyFile}: ${match.message}; the certificate in use stays`);
      return;
    }
    current = next;
    o.logger.info({ ...files, certificate: next.summary }, 'mounted certificate reloaded');
    o.onChange(next);
  };
  const changed = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void reload(), o.settleMs ?? 200);
  };
  const watchers: FSWatcher[] = [...new Set([dirname(o.certFile), dirname(o.keyFile)])].map((dir) => watch(dir, { persistent: false }, changed));
  for (const w of watchers) w.on('error', (e) => o.logger.warn({ ...files, error: e.message }, 'cannot watch the certificate files; they are not reloaded'));
  return {
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

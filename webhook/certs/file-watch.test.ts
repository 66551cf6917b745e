import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCertificates, loadCertificates } from '../../tls/certificates.js';
import type { ServingCertificate } from '../../tls/certificates.js';
import { eventually, recordingLogger } from '../cluster/test-helpers.js';
import { watchCertificateFiles } from './file-watch.js';

const generate = () => generateCertificates({ dnsNames: ['localhost'], now: new Date(), validityDays: 1 });

/** Write both files the way the kubelet updates a mounted Secret: new files renamed into place. */
async function install(dir: string, cert: ServingCertificate, keyPem = cert.keyPem): Promise<void> {
  await writeFile(join(dir, 'tls.crt.new'), cert.certPem);
  await writeFile(join(dir, 'tls.key.new'), keyPem);
  await rename(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
  await rename(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
}

describe('mounted certificates', () => {
  it('are reloaded when the files change, and a mismatched pair is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-certs-'));
    const [first, second, third] = await Promise.all([generate(), generate(), generate()]);
    await install(dir, first);
    const changes: ServingCertificate[] = [];
    const { logger, lines } = recordingLogger();
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    const watch = watchCertificateFiles({ ...files, current: await loadCertificates(files.certFile, files.keyFile), onChange: (c) => changes.push(c), logger, settleMs: 20 });
    try {
      await install(dir, second);
      await eventually('the new certificate', () => changes.map((c) => c.summary.sha256Fingerprint), (f) => f.includes(second.summary.sha256Fingerprint));
      await install(dir, third, first.keyPem);
      await eventually('the mismatch reported', () => lines.filter((l) => typeof l.msg === 'string' && l.msg.includes('does not belong')), (l) => l.length > 0);
      expect(changes).toHaveLength(1);
    } finally {
      watch.stop();
    }
  });
});

/**
 * kubectl against the embedded API server: the commands a person uses on `npm start`'s cluster.
 * kubectl comes from the machine (`.ci/run` installs Debian's kubernetes-client when it is missing).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets } from '../apiserver/kubelets.js';
import { generateCertificates } from '../tls/certificates.js';

const run = promisify(execFile);
let server: RunningApiServer;
let kubelets: Kubelets;
let config = '';
const dir = mkdtempSync(join(tmpdir(), 'drover-kubectl-'));

beforeAll(async () => {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  server = await startApiServer({ certificate, token: 'k' });
  kubelets = new Kubelets(server.api.store);
  kubelets.addNodes([{ name: 'node-a', cpu: '4', memory: '16Gi' }, { name: 'node-b', cpu: '4', memory: '16Gi' }]);
  config = join(dir, 'kubeconfig');
  writeFileSync(config, kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token: 'k' }));
});

afterAll(async () => {
  kubelets.shutdown();
  await server.close();
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('kubectl', ['--kubeconfig', config, ...args], { timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('kubectl against the embedded API server', () => {
  it('gets nodes', async () => {
    const r = await kubectl('get', 'nodes', '-o', 'json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((n) => n.metadata.name)).toEqual(['node-a', 'node-b']);
  });

  it('creates, reads and deletes a ConfigMap', async () => {
    expect((await kubectl('create', 'configmap', 'settings', '--from-literal=mode=fast')).code).toBe(0);
    expect((await kubectl('get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}')).stdout).toBe('fast');
    expect((await kubectl('delete', 'configmap', 'settings')).code).toBe(0);
    const gone = await kubectl('get', 'configmap', 'settings');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });

  it('creates a pod from a file and selects it by field', async () => {
    const file = join(dir, 'pod.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }));
    expect((await kubectl('create', '--validate=false', '-f', file)).code).toBe(0);
    const r = await kubectl('get', 'pods', '--field-selector', 'spec.schedulerName=default-scheduler', '-l', 'app=web', '-o', 'name');
    expect(r.stdout.trim()).toBe('pod/web');
  });
});

/**
 * kubectl against the embedded API server: the commands a person uses on `npm start`'s cluster,
 * with kubectl's defaults (`--validate=strict`: it reads the OpenAPI documents first). kubectl comes
 * from the machine (`.ci/run` installs Debian's kubernetes-client when it is missing); its discovery
 * cache goes to a fresh directory, so an earlier server on the same port cannot answer for this one.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { dump } from 'js-yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  kubelets.start();
  config = join(dir, 'kubeconfig');
  writeFileSync(config, kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token: 'k' }));
});

afterAll(async () => {
  kubelets.shutdown();
  await server.close();
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('kubectl', ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 });
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

  it("prints the real server's columns: nodes' STATUS, pods' READY and STATUS, namespaces with -A", async () => {
    const nodes = await kubectl('get', 'nodes');
    expect(nodes.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(nodes.stdout).toMatch(/^node-a\s+Ready\s+<none>\s+\d+s\s+v1\.30\.0-drover$/m);
    writeFileSync(join(dir, 'sleeper.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleeper', namespace: 'kube-public' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }));
    expect((await kubectl('create', '-f', join(dir, 'sleeper.json'))).code).toBe(0);
    server.api.request({ method: 'POST', path: '/api/v1/namespaces/kube-public/pods/sleeper/binding', query: {}, body: { target: { name: 'node-b' } } });
    await vi.waitFor(async () => expect((await kubectl('get', 'pods', '-A', '-o', 'wide')).stdout).toMatch(/^kube-public\s+sleeper\s+1\/1\s+Running\s+0\s+\d+s\s+<none>\s+node-b\s/m), { timeout: 10_000, interval: 100 });
    expect((await kubectl('delete', 'pod', 'sleeper', '-n', 'kube-public')).code).toBe(0);
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
    expect((await kubectl('create', '-f', file)).code).toBe(0);
    const r = await kubectl('get', 'pods', '--field-selector', 'spec.schedulerName=default-scheduler', '-l', 'app=web', '-o', 'name');
    expect(r.stdout.trim()).toBe('pod/web');
  });

  describe('apply', () => {
    const manifest = (file: string, ...docs: object[]) => {
      const path = join(dir, file);
      writeFileSync(path, docs.map((d) => dump(d)).join('---\n'));
      return path;
    };
    const pod = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'batch', labels }, spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } });
    const get = async (...args: string[]) => JSON.parse((await kubectl('get', ...args, '-o', 'json')).stdout) as { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string>; status?: { phase?: string } };

    it('creates, then patches from the last applied configuration (a label dropped from the file goes)', async () => {
      const first = await kubectl('apply', '-f', manifest('batch-1.yaml', pod({ app: 'batch', tier: 'gold' })));
      expect(first).toMatchObject({ code: 0, stdout: 'pod/batch created\n' });
      const applied = await get('pod', 'batch');
      expect(JSON.parse(applied.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}')).toMatchObject({ metadata: { labels: { app: 'batch', tier: 'gold' } } });
      // a label someone else added stays: apply only removes what it applied itself
      expect((await kubectl('label', 'pod', 'batch', 'owner=ops')).code).toBe(0);
      const second = await kubectl('apply', '-f', manifest('batch-2.yaml', pod({ app: 'batch-v2' })));
      expect(second).toMatchObject({ code: 0, stdout: 'pod/batch configured\n' });
      const patched = await get('pod', 'batch');
      expect(patched.metadata.labels).toEqual({ app: 'batch-v2', owner: 'ops' });
      expect(JSON.parse(patched.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}')).toMatchObject({ metadata: { labels: { app: 'batch-v2' } } });
      expect(await kubectl('apply', '-f', join(dir, 'batch-2.yaml'))).toMatchObject({ code: 0, stdout: 'pod/batch unchanged\n' });
    });

    it('describes the pod with its events', async () => {
      const uid = (await get('pod', 'batch')).metadata as { uid?: string };
      server.api.store.create('events', {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'batch.1', namespace: 'default' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'batch', namespace: 'default', uid: uid.uid ?? '' },
        type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/batch to node-a', source: { component: 'drover' }, count: 1,
      });
      const r = await kubectl('describe', 'pod', 'batch');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Name:\s+batch$/m);
      expect(r.stdout).toMatch(/Requests:\s+cpu:\s+500m\s+memory:\s+1Gi/);
      expect(r.stdout).toMatch(/Normal\s+Scheduled\s+.*drover\s+Successfully assigned default\/batch to node-a/);
    });

    it('deletes what a manifest names', async () => {
      expect(await kubectl('delete', '-f', join(dir, 'batch-2.yaml'))).toMatchObject({ code: 0, stdout: 'pod "batch" deleted\n' });
      expect((await kubectl('get', 'pod', 'batch')).stderr).toContain('pods "batch" not found');
    });

    it('refuses a field the kind does not have, as the real server does with kubectl\'s default validation', async () => {
      const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'typo' }, spec: { containers: [{ name: 'c', imagee: 'busybox' }] } };
      const r = await kubectl('apply', '-f', manifest('typo.yaml', bad));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('strict decoding error: unknown field "spec.containers[0].imagee"');
      const warned = await kubectl('apply', '--validate=warn', '-f', join(dir, 'typo.yaml'));
      expect(warned).toMatchObject({ code: 0, stdout: 'pod/typo created\n' });
      expect(warned.stderr).toContain('Warning: unknown field "spec.containers[0].imagee"');
    });

    it('applies a namespace with a ConfigMap in it, and deletes both', async () => {
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
      const cm = (mode: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { mode } });
      expect((await kubectl('apply', '-f', manifest('team-1.yaml', ns, cm('fast')))).stdout).toBe('namespace/team-a created\nconfigmap/settings created\n');
      expect((await kubectl('apply', '-f', manifest('team-2.yaml', ns, cm('slow')))).stdout).toBe('namespace/team-a unchanged\nconfigmap/settings configured\n');
      expect((await get('configmap', 'settings', '-n', 'team-a')).data).toEqual({ mode: 'slow' });
      expect(await kubectl('delete', '-f', join(dir, 'team-2.yaml'))).toMatchObject({ code: 0, stdout: 'namespace "team-a" deleted\nconfigmap "settings" deleted\n' });
      await vi.waitFor(() => expect(server.api.store.get('/namespaces', undefined, 'team-a').ok).toBe(false), { timeout: 5_000 });
    });
  });
});

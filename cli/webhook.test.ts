import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { startTestCluster } from '../webhook/cluster/test-helpers.js';
import { admissionReview, POD_KIND, sparkExecutorPod } from '../webhook/server/examples.js';
import { reviewOf, send } from '../webhook/server/test-helpers.js';
import type { CliIo } from './io.js';
import { parseWebhookArgs, readSettingsFile, runWebhook } from './webhook.js';

describe('parseWebhookArgs', () => {
  it.each([
    { name: 'defaults', args: [], port: 9089, user: ['drover-configs', 'yunikorn-configs'], defaults: ['drover-defaults', 'yunikorn-defaults'] },
    { name: 'port 0', args: ['--port', '0'], port: 0, user: ['drover-configs', 'yunikorn-configs'], defaults: ['drover-defaults', 'yunikorn-defaults'] },
    { name: 'config maps', args: ['--user-config-maps', 'a, b', '--defaults-config-maps', 'c'], port: 9089, user: ['a', 'b'], defaults: ['c'] },
  ])('$name', ({ args, port, user, defaults }) => {
    const parsed = parseWebhookArgs(args);
    if (!parsed.ok || !('options' in parsed)) throw new Error('expected options');
    expect(parsed.options.port).toBe(port);
    expect(parsed.options.configMaps).toEqual({ user, defaults });
  });

  it('names the Secret and the webhook configurations of the certificate manager', () => {
    const parsed = parseWebhookArgs(['--certs-secret', 's', '--mutating-webhook-configuration', 'm', '--validating-webhook-configuration', 'v', '--kubeconfig', 'k']);
    if (!parsed.ok || !('options' in parsed)) throw new Error('expected options');
    expect(parsed.options).toMatchObject({ certsSecret: 's', mutatingConfiguration: 'm', validatingConfiguration: 'v', kubeconfig: 'k', noCluster: false });
  });

  it.each([
    { name: 'a port that is not a number', args: ['--port', 'http'] },
    { name: 'a port out of range', args: ['--port', '70000'] },
    { name: 'a cert without a key', args: ['--tls-cert-file', 'tls.crt'] },
    { name: '--set without =', args: ['--set', 'bypassAuth'] },
    { name: 'an unknown log level', args: ['--log-level', 'loud'] },
    { name: 'an unknown flag', args: ['--tls', 'x'] },
    { name: '--no-cluster with --kubeconfig', args: ['--no-cluster', '--kubeconfig', 'k'] },
    { name: 'a ConfigMap in both roles', args: ['--user-config-maps', 'a', '--defaults-config-maps', 'a'] },
  ])('refuses $name', ({ args }) => {
    expect(parseWebhookArgs(args).ok).toBe(false);
  });

  it('takes the namespace from POD_NAMESPACE', () => {
    const parsed = parseWebhookArgs([], { POD_NAMESPACE: 'sched' });
    expect(parsed.ok && 'options' in parsed && parsed.options.namespace).toBe('sched');
  });
});

describe('readSettingsFile', () => {
  it('reads a ConfigMap manifest, every value as text', () => {
    const read = readSettingsFile('kind: ConfigMap\ndata:\n  admissionController.filtering.generateUniqueAppId: true\n');
    expect(read).toEqual({ ok: true, data: { 'admissionController.filtering.generateUniqueAppId': 'true' } });
  });
  it('reads a flat map', () => {
    expect(readSettingsFile('bypassAuth: "true"\n')).toEqual({ ok: true, data: { bypassAuth: 'true' } });
  });
  it('refuses a list', () => {
    expect(readSettingsFile('- a\n').ok).toBe(false);
  });
});

describe('drover webhook', () => {
  it('serves with a generated CA written to --ca-bundle-file, takes settings, and stops cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-webhook-test-'));
    const caFile = join(dir, 'ca.crt');
    const settingsFile = join(dir, 'settings.yaml');
    await writeFile(settingsFile, 'kind: ConfigMap\ndata:\n  admissionController.filtering.processNamespaces: "^spark-"\n');
    const out: string[] = [];
    let listening: (port: number) => void = () => undefined;
    const started = new Promise<number>((resolve) => (listening = resolve));
    const io: CliIo = {
      out: (s) => {
        out.push(s);
        const line = JSON.parse(s) as { msg?: string; port?: number };
        if (line.msg === 'listening' && typeof line.port === 'number') listening(line.port);
      },
      err: (s) => out.push(s),
      readFile: (path) => readFile(path, 'utf8'),
      isTty: false,
    };
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const exit = runWebhook(['--port', '0', '--host', '127.0.0.1', '--ca-bundle-file', caFile, '--settings', settingsFile, '--set', 'schedulerName=batch'], io, stopped, {});
    const port = await Promise.race([started, exit.then((code) => Promise.reject(new Error(`exited ${code}: ${out.join('')}`)))]);
    const ca = await readFile(caFile, 'utf8');
    expect((await send({ port, ca, method: 'GET', path: '/health' })).status).toBe(200);

    const inScope = reviewOf(await send({ port, ca, method: 'POST', path: '/mutate', body: admissionReview(POD_KIND, sparkExecutorPod(), { namespace: 'spark-jobs' }) }));
    expect(inScope.patch).toContainEqual({ op: 'add', path: '/spec/schedulerName', value: 'batch' });
    const outOfScope = reviewOf(await send({ port, ca, method: 'POST', path: '/mutate', body: admissionReview(POD_KIND, sparkExecutorPod('web'), { namespace: 'web' }) }));
    expect(outOfScope.patch).toBeNull();

    stop();
    expect(await exit).toBe(0);
    expect(out.join('')).not.toContain('PRIVATE KEY');
  });

  it('with --kubeconfig, keeps its certificate in a Secret of its namespace and serves it', async () => {
    const cluster = await startTestCluster();
    try {
      const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: 'sched' } } });
      const file = join(await mkdtemp(join(tmpdir(), 'drover-webhook-test-')), 'kubeconfig');
      await writeFile(file, cluster.kubeconfigText);
      const out: string[] = [];
      let listening: (port: number) => void = () => undefined;
      const started = new Promise<number>((resolve) => (listening = resolve));
      const io: CliIo = {
        out: (s) => {
          out.push(s);
          const line = JSON.parse(s) as { msg?: string; port?: number };
          if (line.msg === 'listening' && typeof line.port === 'number') listening(line.port);
        },
        err: (s) => out.push(s),
        readFile: (path) => readFile(path, 'utf8'),
        isTty: false,
      };
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const exit = runWebhook(['--port', '0', '--host', '127.0.0.1', '--kubeconfig', file, '--namespace', 'sched', '--certs-secret', 'hook-certs'], io, stopped, {});
      const port = await Promise.race([started, exit.then((code) => Promise.reject(new Error(`exited ${code}: ${out.join('')}`)))]);
      const secret = await core.readNamespacedSecret({ name: 'hook-certs', namespace: 'sched' });
      const ca = Buffer.from(secret.data?.['ca.crt'] ?? '', 'base64').toString('utf8');
      expect((await send({ port, ca, method: 'GET', path: '/health' })).status).toBe(200);
      stop();
      expect(await exit).toBe(0);
      expect(out.join('')).not.toContain('PRIVATE KEY');
    } finally {
      await cluster.close();
    }
  });

  it('exits 2 naming a kubeconfig it cannot read', async () => {
    const err: string[] = [];
    const io: CliIo = { out: () => undefined, err: (s) => err.push(s), readFile: (p) => readFile(p, 'utf8'), isTty: false };
    expect(await runWebhook(['--kubeconfig', '/nonexistent/kubeconfig'], io, new Promise(() => undefined), {})).toBe(2);
    expect(err.join('')).toContain('/nonexistent/kubeconfig');
  });

  it('exits 2 when the certificate files cannot be read', async () => {
    const err: string[] = [];
    const io: CliIo = { out: () => undefined, err: (s) => err.push(s), readFile: (p) => readFile(p, 'utf8'), isTty: false };
    expect(await runWebhook(['--tls-cert-file', '/nonexistent/tls.crt', '--tls-key-file', '/nonexistent/tls.key'], io, new Promise(() => undefined), {})).toBe(2);
    expect(err.join('')).toContain('cannot read the certificate files /nonexistent/tls.crt');
  });
});

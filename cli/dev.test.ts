import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { runDev } from './dev.js';
import type { CliIo } from './io.js';

describe('drover dev', () => {
  it('starts the embedded API server with simulated nodes and writes a kubeconfig that works', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'drover-dev-')), 'kubeconfig');
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const io: CliIo = { out: (s) => (s.includes('kubeconfig:') ? ready() : undefined), err: () => undefined, readFile: () => Promise.reject(new Error('unused')), isTty: false };
    let stop: () => void = () => undefined;
    const exit = runDev(['--api-port', '0', '--nodes', '3', '--kubeconfig-out', path], io, new Promise<void>((resolve) => (stop = resolve)));
    await started;
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-001', 'node-002', 'node-003']);
    expect(nodes.items[0]?.status?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
    // the scheduler runs too: a pod that names drover gets a node
    const bound = new Promise<string>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/pods', {}, (_type: string, pod: { spec?: { nodeName?: string } }) => {
        if (pod.spec?.nodeName !== undefined) resolve(pod.spec.nodeName);
      }, () => undefined);
    });
    await kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'hello' }, spec: { schedulerName: 'drover', containers: [{ name: 'c', image: 'pause' }] } } });
    expect(await bound).toMatch(/^node-00[123]$/);
    stop();
    expect(await exit).toBe(0);
  });

  it('refuses bad flags with exit status 2', async () => {
    const io: CliIo = { out: () => undefined, err: () => undefined, readFile: () => Promise.reject(new Error('unused')), isTty: false };
    expect(await runDev(['--nodes', 'many'], io, Promise.resolve())).toBe(2);
  });
});

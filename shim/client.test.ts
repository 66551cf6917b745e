import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledClients } from './client.js';
import { startCluster } from './test-helpers.js';
import type { TestCluster } from './test-helpers.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster([]);
});
afterAll(async () => {
  await cluster.close();
});

describe('pooled API clients', () => {
  it('send many calls at once over a few kept-alive connections, each answered', async () => {
    let connections = 0;
    const count = () => connections++;
    cluster.api.server.on('secureConnection', count);
    const clients = pooledClients(cluster.kc, { maxSockets: 4 });
    try {
      const core = clients.make(CoreV1Api);
      const names = Array.from({ length: 200 }, (_, i) => `pooled-${i}`);
      const created = await Promise.all(names.map((name) => core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { i: name } } })));
      expect(created.map((c) => c.metadata?.name)).toEqual(names);
      const read = await Promise.all(names.map((name) => core.readNamespacedConfigMap({ name, namespace: 'default' })));
      expect(read.map((c) => c.data?.i)).toEqual(names);
      expect(connections).toBeLessThanOrEqual(4);
    } finally {
      cluster.api.server.off('secureConnection', count);
      clients.close();
    }
  });

  it('still authenticate every call', async () => {
    const clients = pooledClients(cluster.kc);
    try {
      const ok = await clients.make(CoreV1Api).listNamespace();
      expect(ok.items.map((n) => n.metadata?.name)).toContain('default');
    } finally {
      clients.close();
    }
    const wrong = cluster.kc.exportConfig().replace(/"token":"s"/, '"token":"wrong"');
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromString(wrong);
    const bad = pooledClients(kc);
    try {
      await expect(bad.make(CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });
    } finally {
      bad.close();
    }
  });
});

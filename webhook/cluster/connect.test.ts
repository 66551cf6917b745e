import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfig } from '../../apiserver/kubeconfig.js';
import { connect } from './connect.js';

describe('which cluster the webhook reads', () => {
  it('reads the kubeconfig it is given', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'drover-connect-')), 'kubeconfig');
    await writeFile(file, kubeconfig({ server: 'https://127.0.0.1:6443', caPem: '', token: 't' }));
    const chosen = connect({ kubeconfig: file, noCluster: false }, {});
    expect(chosen.ok && chosen.cluster.kind === 'cluster' && chosen.cluster.kubeConfig.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it.each([
    { name: '--no-cluster, even in a pod', o: { kubeconfig: null, noCluster: true }, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, kind: 'none' },
    { name: 'in a pod', o: { kubeconfig: null, noCluster: false }, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, kind: 'cluster' },
    { name: 'neither', o: { kubeconfig: null, noCluster: false }, env: {}, kind: 'none' },
  ])('$name', ({ o, env, kind }) => {
    const chosen = connect(o, env);
    expect(chosen.ok && chosen.cluster.kind).toBe(kind);
  });

  it('says which kubeconfig it cannot read', () => {
    const chosen = connect({ kubeconfig: '/nonexistent/kubeconfig', noCluster: false }, {});
    expect(chosen.ok ? '' : chosen.message).toContain('/nonexistent/kubeconfig');
  });
});

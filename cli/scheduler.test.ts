import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets } from '../apiserver/kubelets.js';
import { generateCertificates } from '../tls/certificates.js';
import { runScheduler } from './scheduler.js';
import { fakeIo } from './test-helpers.js';

describe('drover scheduler', () => {
  it('schedules the pods of the cluster its kubeconfig names', async () => {
    const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
    const api = await startApiServer({ certificate, token: 'x' });
    const kubelets = new Kubelets(api.api.store);
    kubelets.addNodes([{ name: 'only', cpu: '1', memory: '1Gi' }]);
    const path = join(mkdtempSync(join(tmpdir(), 'drover-sched-')), 'kubeconfig');
    writeFileSync(path, kubeconfig({ server: api.url, caPem: certificate.caPem ?? '', token: 'x' }));
    let stop: () => void = () => undefined;
    const exit = runScheduler(['--kubeconfig', path, '--health-port', '0', '--rest-port', '0'], fakeIo({}).io, new Promise<void>((resolve) => (stop = resolve)));
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const bound = new Promise<string>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/pods', {}, (_t: string, pod: { spec?: { nodeName?: string } }) => {
        if (pod.spec?.nodeName !== undefined) resolve(pod.spec.nodeName);
      }, () => undefined);
    });
    await kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'p' }, spec: { schedulerName: 'drover', containers: [{ name: 'c', image: 'i' }] } } });
    expect(await bound).toBe('only');
    stop();
    expect(await exit).toBe(0);
    kubelets.shutdown();
    await api.close();
  });

  it.each([
    { name: 'an invalid configuration', files: { 'q.yaml': 'partitions: x\n' }, args: ['--config', 'q.yaml'], code: 1 },
    { name: 'an unknown flag', files: {}, args: ['--fast'], code: 2 },
    { name: 'a missing configuration', files: {}, args: ['--config', 'nope.yaml'], code: 2 },
    { name: 'a lease duration that is not one', files: {}, args: ['--leader-elect', '--lease-duration', 'soon'], code: 2 },
    { name: 'a renew deadline longer than the lease', files: {}, args: ['--leader-elect', '--lease-duration', '5s', '--renew-deadline', '10s'], code: 2 },
    { name: 'a qps that is not a number', files: {}, args: ['--qps', 'fast'], code: 2 },
    { name: 'a REST port that is not one', files: {}, args: ['--rest-port', '70000'], code: 2 },
    { name: 'a REST token file that is missing', files: {}, args: ['--rest-token-file', 'nope'], code: 2 },
    { name: 'a REST token too short to be one', files: { t: 'short\n' }, args: ['--rest-token-file', 't'], code: 2 },
  ])('exits $code for $name', async ({ files, args, code }) => {
    const t = fakeIo(files);
    expect(await runScheduler(args, t.io, Promise.resolve())).toBe(code);
    expect(t.err()).not.toBe('');
  });
});

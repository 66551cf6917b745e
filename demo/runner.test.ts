import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiServer } from '../apiserver/http.js';
import type { RunningApiServer } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets, START_DELAY_MS } from '../apiserver/kubelets.js';
import type { Timers } from '../apiserver/kubelets.js';
import type { KubeObject } from '../apiserver/selectors.js';
import { NO_LOGGER } from '../core/port.js';
import { generateCertificates } from '../tls/certificates.js';
import { DEFAULT_TUNING, prepareDemo, startDemo } from './runner.js';
import { TEAMS } from './teams.js';
import { DEFAULT_SHAPE } from './workload.js';

/** One clock, moved by hand, for the runner and the kubelets. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h) => pending.delete(h as number),
    now: () => new Date(now),
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) return;
      pending.delete(due[0]);
      due[1].fn();
    }
  };
  return { timers, advance, pending, now: () => now };
}

let server: RunningApiServer;
let kc: KubeConfig;

beforeAll(async () => {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  server = await startApiServer({ certificate, token: 'd' });
  kc = new KubeConfig();
  kc.loadFromString(kubeconfig({ server: server.url, caPem: certificate.caPem ?? '', token: 'd' }));
});

afterAll(() => server.close());

const pods = (): KubeObject[] => server.api.store.list('/pods', null).items;
const role = (p: KubeObject) => p.metadata?.labels?.['spark-role'];

describe('the demo runner', () => {
  it('creates the teams\' namespaces and the queues ConfigMap, once', async () => {
    const queues = { namespace: 'default', name: 'drover-configs', yaml: 'partitions: []\n' };
    await prepareDemo(kc, queues);
    await prepareDemo(kc, queues);
    const namespaces = server.api.store.list('/namespaces', null).items.map((n) => n.metadata?.name);
    for (const t of TEAMS) expect(namespaces).toContain(t.name);
    expect(server.api.store.get('/configmaps', 'default', 'drover-configs')).toMatchObject({ ok: true, value: { data: { 'queues.yaml': 'partitions: []\n' } } });
  });

  it('runs an application as Spark does: driver, executors once it runs, executors ended with it, all removed later', async () => {
    const clock = fakeTimers();
    const kubelets = new Kubelets(server.api.store, clock.timers);
    kubelets.addNodes([{ name: 'node-1', cpu: '64', memory: '256Gi' }]);
    kubelets.start();
    const tuning = { ...DEFAULT_TUNING, shape: { ...DEFAULT_SHAPE, burstChance: 0, runSeconds: [30, 30] as const, driverExtraSeconds: 10 }, tickMs: 1_000, keepFinishedMs: 5_000, maxApps: 1 };
    await prepareDemo(kc, null);
    const demo = startDemo({ kubeConfig: kc, timers: clock.timers, logger: NO_LOGGER }, tuning);
    // move the clock a step at a time while the runner's calls go out, until the condition holds
    const until = (condition: () => boolean, step = 100) =>
      vi.waitFor(() => {
        if (!condition()) clock.advance(step);
        expect(condition()).toBe(true);
      }, { timeout: 10_000, interval: 5 });

    await until(() => pods().length === 1);
    const [driver] = pods();
    expect(role(driver ?? {})).toBe('driver');
    const name = driver?.metadata?.name ?? '';
    const namespace = driver?.metadata?.namespace ?? '';
    // nobody schedules it here: the test binds it, and its executors wait for it to run. Each look
    // the runner takes ends with its next look scheduled tickMs later.
    for (let i = 0; i < 5; i++) {
      clock.advance(tuning.tickMs);
      await vi.waitFor(() => expect([...clock.pending.values()].some((t) => t.at === clock.now() + tuning.tickMs)).toBe(true), { timeout: 5_000, interval: 5 });
    }
    expect(pods()).toHaveLength(1);
    server.api.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/pods/${name}/binding`, query: {}, body: { target: { name: 'node-1' } } });
    clock.advance(START_DELAY_MS);
    await until(() => pods().some((p) => role(p) === 'executor'));
    const executors = pods().filter((p) => role(p) === 'executor');
    expect(executors.length).toBeGreaterThan(0);
    expect(new Set(pods().map((p) => p.metadata?.labels?.['spark-app-selector'])).size).toBe(1);
    // the driver ends after 40 s (30 + 10); its executors, never bound, are ended with it
    await until(() => pods().filter((p) => role(p) === 'executor').length === 0, 1_000);
    const [finished] = pods();
    expect(finished?.status?.phase).toBe('Succeeded');
    // keepFinishedMs later the driver goes too, and the next application (maxApps 1) arrives
    await until(() => !pods().some((p) => p.metadata?.name === name), 1_000);
    await until(() => pods().length === 1, 1_000);
    await demo.stop();
    kubelets.shutdown();
    expect([...clock.pending.keys()]).toEqual([]);
  });
});

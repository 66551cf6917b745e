/**
 * The webhook's metrics over its HTTPS port: each kind of request counted once with its operation, kind
 * and outcome, its latency observed, and `GET /metrics` readable by a scraper without credentials.
 */
import { readFile } from 'node:fs/promises';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ANNOTATION } from '../admission/index.js';
import { parseExposition, series, valueOf } from '../../ui/metrics/test-helpers.js';
import { admissionReview, CONFIG_MAP_KIND, configMap, deployment, DEPLOYMENT_KIND, POD_KIND, sparkDriverPod } from './examples.js';
import { ADMISSION_BUCKETS_SECONDS, ADMISSION_METRIC_NAMES as N, createAdmissionMetrics } from './metrics.js';
import type { AdmissionMetrics } from './metrics.js';
import type { TestServer } from './test-helpers.js';
import { startTestServer } from './test-helpers.js';

const JSON_TYPE = { 'content-type': 'application/json' };

const queues = (guaranteed: string) => `partitions:
  - name: default
    queues:
      - name: root
        queues:
          - name: team-a
            resources:
              guaranteed: {memory: ${guaranteed}}
              max: {memory: 10Gi}
`;

function untrustedUserInfo(): unknown {
  const pod = sparkDriverPod();
  (pod.metadata as Record<string, unknown>).annotations = { [ANNOTATION.userInfo]: '{"user":"root"}' };
  return pod;
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(metrics?: AdmissionMetrics): Promise<TestServer> {
  server = await startTestServer(metrics === undefined ? {} : { metrics });
  return server;
}

async function scrape(s: TestServer) {
  const answer = await s.send('GET', '/metrics');
  expect(answer.status).toBe(200);
  return parseExposition(answer.text);
}

describe('admission requests by operation, kind and outcome', () => {
  it.each([
    { name: 'a Spark driver is mutated', path: '/mutate', body: admissionReview(POD_KIND, sparkDriverPod()), labels: { operation: 'CREATE', kind: 'Pod', outcome: 'mutated' } },
    { name: 'a pod of kube-system is left unchanged', path: '/mutate', body: admissionReview(POD_KIND, sparkDriverPod('kube-system'), { namespace: 'kube-system' }), labels: { operation: 'CREATE', kind: 'Pod', outcome: 'unchanged' } },
    { name: 'a DELETE is left unchanged', path: '/mutate', body: admissionReview(POD_KIND, null, { operation: 'DELETE', oldObject: sparkDriverPod() }), labels: { operation: 'DELETE', kind: 'Pod', outcome: 'unchanged' } },
    { name: 'user info set by an untrusted user is denied', path: '/mutate', body: admissionReview(POD_KIND, untrustedUserInfo()), labels: { operation: 'CREATE', kind: 'Pod', outcome: 'denied' } },
    { name: "a Deployment's template is mutated", path: '/mutate', body: admissionReview(DEPLOYMENT_KIND, deployment()), labels: { operation: 'CREATE', kind: 'Deployment', outcome: 'mutated' } },
    { name: 'a kind the webhook does not handle is "other"', path: '/mutate', body: admissionReview({ group: '', version: 'v1', kind: 'Secret', resource: 'secrets' }, {}), labels: { operation: 'CREATE', kind: 'other', outcome: 'unchanged' } },
    { name: 'a valid queues.yaml is unchanged', path: '/validate-conf', body: admissionReview(CONFIG_MAP_KIND, configMap('drover-configs', { 'queues.yaml': queues('5Gi') }), { operation: 'UPDATE', namespace: 'drover' }), labels: { operation: 'UPDATE', kind: 'ConfigMap', outcome: 'unchanged' } },
    // guaranteed 20Gi above max 10Gi
    { name: 'an invalid queues.yaml is denied', path: '/validate-conf', body: admissionReview(CONFIG_MAP_KIND, configMap('drover-configs', { 'queues.yaml': queues('20Gi') }), { operation: 'UPDATE', namespace: 'drover' }), labels: { operation: 'UPDATE', kind: 'ConfigMap', outcome: 'denied' } },
    { name: 'a body that is not JSON is an error', path: '/mutate', body: '{"apiVersion":', headers: JSON_TYPE, labels: { operation: 'unknown', kind: 'unknown', outcome: 'error' } },
    { name: 'a body that is not an AdmissionReview is an error', path: '/mutate', body: { kind: 'Pod' }, labels: { operation: 'unknown', kind: 'unknown', outcome: 'error' } },
    { name: 'a review with an operation that does not exist is an error', path: '/mutate', body: { ...admissionReview(POD_KIND, sparkDriverPod()), request: { uid: 'u', operation: 'EXPLODE' } }, labels: { operation: 'unknown', kind: 'unknown', outcome: 'error' } },
    { name: 'a body of the wrong media type is an error', path: '/validate-conf', body: 'x', headers: { 'content-type': 'text/plain' }, labels: { operation: 'unknown', kind: 'unknown', outcome: 'error' } },
  ])('$name', async ({ path, body, headers, labels }) => {
    const s = await start(createAdmissionMetrics());
    await s.send('POST', path, body, headers);
    const e = await scrape(s);
    expect(series(e, N.requests).filter((x) => x.value > 0)).toEqual([{ name: N.requests, labels, value: 1 }]);
    expect(valueOf(e, `${N.latency}_count`, { kind: labels.kind })).toBe(1);
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text over HTTPS without credentials, counting into the registry it was given', async () => {
    const registry = new Registry();
    const s = await start(createAdmissionMetrics(registry));
    for (let i = 0; i < 3; i++) await s.send('POST', '/mutate', admissionReview(POD_KIND, sparkDriverPod()));
    const answer = await s.send('GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const e = parseExposition(answer.text);
    expect(e.types.get(N.requests)).toBe('counter');
    expect(e.types.get(N.latency)).toBe('histogram');
    expect(valueOf(e, N.requests, { operation: 'CREATE', kind: 'Pod', outcome: 'mutated' })).toBe(3);
    expect(valueOf(e, `${N.latency}_count`, { kind: 'Pod' })).toBe(3);
    // the answers take well under 10 s, the last bucket
    expect(valueOf(e, `${N.latency}_bucket`, { kind: 'Pod', le: '10' })).toBe(3);
    expect(parseExposition(await registry.metrics()).samples).toEqual(e.samples);
    // scrapes are not admission requests
    expect(series(e, N.requests).reduce((n, x) => n + x.value, 0)).toBe(3);
  });

  it('is there with the metrics the app makes itself when given none', async () => {
    const s = await start();
    await s.send('POST', '/mutate', admissionReview(POD_KIND, sparkDriverPod()));
    expect(valueOf(await scrape(s), N.requests, { outcome: 'mutated' })).toBe(1);
  });

  it('answers other methods with 405', async () => {
    const s = await start();
    const answer = await s.send('POST', '/metrics', '{}', JSON_TYPE);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET');
  });

  it('is documented in docs/metrics.md', async () => {
    const docs = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    for (const name of Object.values(N)) expect(docs.includes(`\`${name}\``), name).toBe(true);
  });

  it('has latency buckets in increasing seconds from 0.5 ms to 10 s (the API server waits 10 s by default)', () => {
    expect(ADMISSION_BUCKETS_SECONDS[0]).toBe(0.0005);
    expect(ADMISSION_BUCKETS_SECONDS[ADMISSION_BUCKETS_SECONDS.length - 1]).toBe(10);
    for (let i = 1; i < ADMISSION_BUCKETS_SECONDS.length; i++) expect(ADMISSION_BUCKETS_SECONDS[i] ?? 0).toBeGreaterThan(ADMISSION_BUCKETS_SECONDS[i - 1] ?? 0);
  });
});

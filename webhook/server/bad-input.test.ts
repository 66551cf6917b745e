/**
 * The bad-input corpus, over real HTTPS: every case gets a clear 4xx with a Kubernetes Status body, or
 * a well-formed AdmissionReview answer; none crashes the server or leaves the request hanging (the
 * server answers /health after the whole corpus).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionReview, POD_KIND, sparkExecutorPod } from './examples.js';
import type { TestServer } from './test-helpers.js';
import { reviewOf, startTestServer } from './test-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await server.close();
});

const JSON_TYPE = { 'content-type': 'application/json' };
const valid = (): Record<string, unknown> => admissionReview(POD_KIND, sparkExecutorPod(), { uid: 'bad-1' });
const withRequest = (patch: Record<string, unknown>): Record<string, unknown> => {
  const doc = valid();
  return { ...doc, request: { ...(doc.request as Record<string, unknown>), ...patch } };
};
const podWithMetadata = (metadata: unknown): Record<string, unknown> => withRequest({ object: { ...sparkExecutorPod(), metadata } });

interface HttpCase {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly reason: string;
}

describe('answered with a 4xx and a Status document', () => {
  it.each<HttpCase>([
    { name: 'not JSON', body: '{"apiVersion": ', headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'JSON but a string', body: '"AdmissionReview"', headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'JSON but a list', body: '[]', headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'JSON null', body: 'null', headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'an empty body', body: '', headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'not an AdmissionReview', body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod' }), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'admission.k8s.io/v1beta1', body: JSON.stringify({ ...valid(), apiVersion: 'admission.k8s.io/v1beta1' }), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'the wrong kind', body: JSON.stringify({ ...valid(), kind: 'AdmissionRequest' }), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'no request', body: JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'no uid', body: JSON.stringify(withRequest({ uid: undefined })), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'a uid that is a number', body: JSON.stringify(withRequest({ uid: 42 })), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'a uid of 10,000 characters', body: JSON.stringify(withRequest({ uid: 'u'.repeat(10_000) })), headers: JSON_TYPE, status: 400, reason: 'BadRequest' },
    { name: 'text/plain', body: JSON.stringify(valid()), headers: { 'content-type': 'text/plain' }, status: 415, reason: 'UnsupportedMediaType' },
    { name: 'no content type', body: JSON.stringify(valid()), status: 415, reason: 'UnsupportedMediaType' },
    { name: 'form encoded', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, reason: 'UnsupportedMediaType' },
    { name: 'a charset JSON does not use', body: JSON.stringify(valid()), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, reason: 'UnsupportedMediaType' },
    // 64 KiB limit in this suite (3 MiB and a little by default, as the API server's object limit).
    { name: 'a body over the limit', body: JSON.stringify(withRequest({ object: { ...sparkExecutorPod(), padding: 'x'.repeat(70 * 1024) } })), headers: JSON_TYPE, status: 413, reason: 'RequestEntityTooLarge' },
    { name: 'GET /mutate', method: 'GET', body: '', status: 405, reason: 'MethodNotAllowed' },
    { name: 'PUT /validate-conf', method: 'PUT', path: '/validate-conf', body: '{}', headers: JSON_TYPE, status: 405, reason: 'MethodNotAllowed' },
    { name: 'an unknown path', path: '/mutate-pods', body: JSON.stringify(valid()), headers: JSON_TYPE, status: 404, reason: 'NotFound' },
  ])('$name -> $status', async ({ method, path, body, headers, status, reason }) => {
    const answer = await server.send(method ?? 'POST', path ?? '/mutate', body, headers ?? {});
    expect(answer.status).toBe(status);
    expect(answer.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status, reason });
  });

  it('refuses a declared oversized body before reading it', async () => {
    // The body is shorter than declared: if the server waited for all of it, this would hang.
    const answer = await server.send('POST', '/mutate', '{}', { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) }).catch((e: unknown) => e);
    if (answer instanceof Error) throw answer;
    expect((answer as { status: number }).status).toBe(413);
  });
});

interface ReviewCase {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly allowed: boolean;
  /** The status code in response.status when refused. */
  readonly code?: number;
}

describe('answered with a well-formed AdmissionReview', () => {
  it.each<ReviewCase>([
    { name: 'an unknown operation', body: withRequest({ operation: 'PATCH' }), allowed: false, code: 400 },
    { name: 'userInfo that is a string', body: withRequest({ userInfo: 'alice' }), allowed: false, code: 400 },
    { name: 'groups that are not strings', body: withRequest({ userInfo: { username: 'alice', groups: [1, 2] } }), allowed: false, code: 400 },
    { name: 'request.kind missing', body: withRequest({ kind: undefined }), allowed: false, code: 400 },
    { name: 'no object on CREATE', body: withRequest({ object: undefined }), allowed: false, code: 400 },
    { name: 'an object that is a list', body: withRequest({ object: [] }), allowed: false, code: 400 },
    { name: 'metadata that is a list', body: podWithMetadata([]), allowed: false, code: 400 },
    { name: 'labels that are a string', body: podWithMetadata({ name: 'p', labels: 'a=b' }), allowed: false, code: 400 },
    { name: 'a label value that is a number', body: podWithMetadata({ name: 'p', labels: { queue: 7 } }), allowed: false, code: 400 },
    { name: 'no labels at all', body: podWithMetadata({ name: 'p' }), allowed: true },
    { name: 'null annotations', body: podWithMetadata({ name: 'p', labels: null, annotations: null }), allowed: true },
    { name: 'no metadata', body: podWithMetadata(undefined), allowed: true },
    { name: 'a __proto__ label', body: JSON.parse(JSON.stringify(podWithMetadata({ name: 'p' })).replace('"name":"p"', '"name":"p","labels":{"__proto__":{"x":"y"}}')) as Record<string, unknown>, allowed: false, code: 400 },
    { name: 'a 60 KiB label value', body: podWithMetadata({ name: 'p', labels: { 'yunikorn.apache.org/app-id': 'a'.repeat(60 * 1024) } }), allowed: true },
    { name: 'a namespace that is not a DNS label', body: withRequest({ namespace: 'Not_A_Namespace' }), allowed: false, code: 400 },
    { name: 'a kind the webhook does not handle', body: withRequest({ kind: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' } }), allowed: true },
  ])('$name -> allowed: $allowed', async ({ body, allowed, code }) => {
    const answer = await server.send('POST', '/mutate', body);
    expect(answer.status).toBe(200);
    const review = reviewOf(answer);
    expect(review.uid).toBe('bad-1');
    expect(review.allowed).toBe(allowed);
    if (!allowed) {
      expect(review.status?.code).toBe(code);
      expect(review.status?.message).toEqual(expect.any(String));
    }
  });
});

it('still serves after the whole corpus', async () => {
  expect((await server.send('GET', '/health')).status).toBe(200);
});

import { describe, expect, it } from 'vitest';
import { ApiServer, NAMESPACE_FINALIZE_MS } from './api.js';
import type { ApiRequest } from './api.js';

const req = (method: string, path: string, body?: unknown): ApiRequest => ({ method, path, query: {}, ...(body === undefined ? {} : { body }) });

function setup() {
  const later: { fn: () => void; ms: number }[] = [];
  const api = new ApiServer({ later: (fn, ms) => later.push({ fn, ms }) });
  return { api, later };
}

describe('namespaces', () => {
  it('carry the name label namespace selectors match on, and are Active', () => {
    const { api } = setup();
    expect(api.request(req('POST', '/api/v1/namespaces', { metadata: { name: 'team-a', labels: { tier: 'gold' } } }))).toMatchObject({
      status: 201,
      body: { metadata: { labels: { tier: 'gold', 'kubernetes.io/metadata.name': 'team-a' } }, status: { phase: 'Active' } },
    });
    expect(api.request(req('GET', '/api/v1/namespaces/kube-system'))).toMatchObject({ body: { metadata: { labels: { 'kubernetes.io/metadata.name': 'kube-system' } } } });
  });

  it('are Terminating once deleted, take no new content, and go with what they hold', () => {
    const { api, later } = setup();
    api.request(req('POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } }));
    api.request(req('POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'one' } }));
    api.request(req('POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'two' } }));
    expect(api.request(req('DELETE', '/api/v1/namespaces/team-a'))).toMatchObject({ status: 200, body: { status: { phase: 'Terminating' } } });
    expect(api.request(req('POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'three' } }))).toMatchObject({ status: 403 });
    // what it holds can still be deleted one by one, as `kubectl delete -f` does
    expect(api.request(req('DELETE', '/api/v1/namespaces/team-a/configmaps/one'))).toMatchObject({ status: 200 });
    expect(later.map((l) => l.ms)).toEqual([NAMESPACE_FINALIZE_MS]);
    later[0]?.fn();
    expect(api.request(req('GET', '/api/v1/namespaces/team-a/configmaps/two'))).toMatchObject({ status: 404 });
    expect(api.request(req('GET', '/api/v1/namespaces/team-a'))).toMatchObject({ status: 404, body: { message: 'namespaces "team-a" not found' } });
  });

  it('refuses to delete the namespaces the system needs', () => {
    const { api } = setup();
    expect(api.request(req('DELETE', '/api/v1/namespaces/default'))).toMatchObject({ status: 403 });
  });
});

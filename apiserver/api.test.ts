import { describe, expect, it } from 'vitest';
import { ApiServer } from './api.js';
import type { ApiRequest, ApiResponse } from './api.js';
import type { WatchEvent } from './store.js';

const req = (method: string, path: string, body?: unknown, query: Record<string, string> = {}, contentType?: string): ApiRequest => ({
  method,
  path,
  query,
  ...(body === undefined ? {} : { body }),
  ...(contentType === undefined ? {} : { contentType }),
});

function body(r: ApiResponse): Record<string, unknown> & { metadata?: Record<string, unknown>; spec?: Record<string, unknown>; status?: Record<string, unknown> } {
  if (r.kind !== 'json') throw new Error('not a JSON response');
  return r.body as never;
}

const podBody = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'pause' }] }, ...extra });

describe('the embedded API server', () => {
  it('serves discovery', () => {
    const api = new ApiServer();
    expect(body(api.request(req('GET', '/api')))).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(body(api.request(req('GET', '/api/v1')))).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(body(api.request(req('GET', '/apis/scheduling.k8s.io/v1')))).toMatchObject({ groupVersion: 'scheduling.k8s.io/v1' });
    expect(api.request(req('GET', '/apis/batch/v1'))).toMatchObject({ status: 404 });
  });

  it('creates pods with the defaults of the real API server', () => {
    const api = new ApiServer();
    const r = api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('p')));
    expect(r).toMatchObject({ status: 201 });
    expect(body(r)).toMatchObject({ metadata: { name: 'p', namespace: 'default' }, spec: { schedulerName: 'default-scheduler' }, status: { phase: 'Pending' } });
    expect(typeof body(r).metadata?.resourceVersion).toBe('string');
  });

  it.each([
    { name: 'a missing namespace', r: (api: ApiServer) => api.request(req('POST', '/api/v1/namespaces/nope/pods', podBody('p'))), status: 404 },
    { name: 'a body that is not an object', r: (api: ApiServer) => api.request(req('POST', '/api/v1/namespaces/default/pods', 'x')), status: 400 },
    { name: 'a bad label selector', r: (api: ApiServer) => api.request(req('GET', '/api/v1/pods', undefined, { labelSelector: 'a in (' })), status: 400 },
    { name: 'an unknown resource', r: (api: ApiServer) => api.request(req('GET', '/api/v1/widgets')), status: 404 },
    { name: 'a namespaced path for nodes', r: (api: ApiServer) => api.request(req('GET', '/api/v1/namespaces/default/nodes')), status: 404 },
    { name: 'an apply patch (not served)', r: (api: ApiServer) => api.request(req('PATCH', '/api/v1/namespaces/default/pods/p', {}, {}, 'application/apply-patch+yaml')), status: 415 },
    { name: 'a JSON patch that fails its test', r: (api: ApiServer) => api.request(req('PATCH', '/api/v1/namespaces/default/pods/p', [{ op: 'test', path: '/metadata/name', value: 'other' }], {}, 'application/json-patch+json')), status: 422 },
    { name: 'a JSON patch that is not a list', r: (api: ApiServer) => api.request(req('PATCH', '/api/v1/namespaces/default/pods/p', { op: 'add' }, {}, 'application/json-patch+json')), status: 422 },
  ])('answers $status for $name', ({ r, status }) => {
    const api = new ApiServer();
    api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('p')));
    const res = r(api);
    expect(res).toMatchObject({ status });
    expect(body(res)).toMatchObject({ kind: 'Status', code: status });
  });

  it('resolves a pod priority from its PriorityClass, or the global default, as the Priority plugin does', () => {
    const api = new ApiServer();
    const pc = (name: string, value: number, extra: Record<string, unknown> = {}) =>
      api.request(req('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra }));
    expect(pc('urgent', 1000, { preemptionPolicy: 'Never' })).toMatchObject({ status: 201 });
    const urgent = api.request(req('POST', '/api/v1/namespaces/default/pods', { ...podBody('u'), spec: { priorityClassName: 'urgent', containers: [{ name: 'c', image: 'i' }] } }));
    expect(body(urgent).spec).toMatchObject({ priority: 1000, preemptionPolicy: 'Never' });
    expect(body(api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('plain')))).spec).toMatchObject({ priority: 0 });
    const unknown = api.request(req('POST', '/api/v1/namespaces/default/pods', { ...podBody('x'), spec: { priorityClassName: 'nope', containers: [] } }));
    expect(unknown).toMatchObject({ status: 403 });
    expect(JSON.stringify(body(unknown))).toContain('no PriorityClass with name nope');
    pc('normal', 10, { globalDefault: true });
    expect(body(api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('d')))).spec).toMatchObject({ priority: 10, priorityClassName: 'normal', preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('binds a pod once; a second binding conflicts', () => {
    const api = new ApiServer();
    api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('p')));
    const bind = (node: string) => api.request(req('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: node } }));
    expect(bind('n1')).toMatchObject({ status: 201 });
    expect(bind('n2')).toMatchObject({ status: 409 });
    const pod = body(api.request(req('GET', '/api/v1/namespaces/default/pods/p')));
    expect(pod.spec?.nodeName).toBe('n1');
    expect(pod.status?.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
  });

  it('refuses a stale update with 409 and takes a current one', () => {
    const api = new ApiServer();
    const created = body(api.request(req('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'c' }, data: { a: '1' } })));
    const rv = created.metadata?.resourceVersion;
    expect(api.request(req('PUT', '/api/v1/namespaces/default/configmaps/c', { metadata: { name: 'c', resourceVersion: rv }, data: { a: '2' } }))).toMatchObject({ status: 200 });
    expect(api.request(req('PUT', '/api/v1/namespaces/default/configmaps/c', { metadata: { name: 'c', resourceVersion: rv }, data: { a: '3' } }))).toMatchObject({ status: 409 });
  });

  it('patches with merge and strategic merge, and the status subresource changes only status', () => {
    const api = new ApiServer();
    api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('p')));
    api.request(req('PATCH', '/api/v1/namespaces/default/pods/p', { metadata: { labels: { team: 'a' } } }, {}, 'application/merge-patch+json'));
    api.request(req('PATCH', '/api/v1/namespaces/default/pods/p', [{ op: 'add', path: '/metadata/annotations', value: { 'yunikorn.apache.org/app-id': 'x' } }], {}, 'application/json-patch+json'));
    api.request(req('PATCH', '/api/v1/namespaces/default/pods/p/status', { metadata: { labels: { ignored: 'yes' } }, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } }, {}, 'application/strategic-merge-patch+json'));
    const pod = body(api.request(req('GET', '/api/v1/namespaces/default/pods/p')));
    expect(pod.metadata?.labels).toEqual({ app: 'x', team: 'a' });
    expect(pod.metadata?.annotations).toEqual({ 'yunikorn.apache.org/app-id': 'x' });
    expect(pod.status).toMatchObject({ conditions: [{ type: 'PodScheduled', reason: 'Unschedulable' }] });
  });

  it('lists with selectors and watches from the list resourceVersion', () => {
    const api = new ApiServer();
    api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('a')));
    const list = body(api.request(req('GET', '/api/v1/pods', undefined, { fieldSelector: 'spec.schedulerName=default-scheduler' })));
    expect(list).toMatchObject({ kind: 'PodList', items: [expect.objectContaining({ kind: 'Pod' })] });
    const w = api.request(req('GET', '/api/v1/pods', undefined, { watch: 'true', resourceVersion: String(list.metadata?.resourceVersion) }));
    if (w.kind !== 'watch') expect.fail('expected a watch');
    const events: WatchEvent[] = [];
    const started = w.start((e) => events.push(e));
    expect(started.ok).toBe(true);
    api.request(req('POST', '/api/v1/namespaces/default/pods', podBody('b')));
    api.request(req('POST', '/api/v1/namespaces/default/pods/a/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' } }));
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`)).toEqual(['ADDED b', 'DELETED a']);
    expect(events[0]?.object.kind).toBe('Pod');
  });
});

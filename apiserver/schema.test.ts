import { describe, expect, it } from 'vitest';
import { ApiServer } from './api.js';
import type { ApiRequest } from './api.js';
import { fieldsOf, modelOf, unknownFields } from './schema.js';
import { RESOURCES } from './resources.js';

const post = (query: Record<string, string>, spec: Record<string, unknown>): ApiRequest => ({
  method: 'POST',
  path: '/api/v1/namespaces/default/pods',
  query,
  body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { any: 'label' } }, spec },
});
const typo = { containers: [{ name: 'c', imagee: 'nginx', resources: { requests: { cpu: '1' } } }], nodeSelectr: {} };

describe('the schema of the served kinds', () => {
  it('knows every served kind through its client-node model', () => {
    for (const r of RESOURCES) expect({ kind: r.kind, fields: fieldsOf(modelOf(r))?.has('metadata') }).toEqual({ kind: r.kind, fields: true });
  });

  it.each([
    { name: 'a known object', value: { metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } }, unknown: [] },
    { name: 'a typo in a list item', value: { spec: { containers: [{ name: 'c' }, { name: 'd', imagee: 'x' }] } }, unknown: ['spec.containers[1].imagee'] },
    { name: 'fields at several levels', value: { foo: 1, metadata: { nam: 'x' }, spec: { affinity: { nodeAffinityy: {} } } }, unknown: ['foo', 'metadata.nam', 'spec.affinity.nodeAffinityy'] },
    // maps (labels, resource quantities) and leaves of type any take any key
    { name: 'keys of maps', value: { metadata: { annotations: { 'x/y': 'z' } }, spec: { overhead: { 'nvidia.com/gpu': '1' } } }, unknown: [] },
  ])('finds the undeclared fields of $name', ({ value, unknown }) => {
    expect(unknownFields('V1Pod', value)).toEqual(unknown);
  });
});

describe('fieldValidation', () => {
  it('warns by default, refuses with Strict, and stays silent with Ignore', () => {
    const warned = new ApiServer().request(post({}, typo));
    expect(warned).toMatchObject({ status: 201, warnings: ['unknown field "spec.containers[0].imagee"', 'unknown field "spec.nodeSelectr"'] });
    const refused = new ApiServer().request(post({ fieldValidation: 'Strict' }, typo));
    expect(refused).toMatchObject({ status: 400, body: { reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.nodeSelectr"' } });
    const ignored = new ApiServer().request(post({ fieldValidation: 'Ignore' }, typo));
    expect(ignored).toMatchObject({ status: 201 });
    expect(ignored).not.toHaveProperty('warnings');
    expect(new ApiServer().request(post({ fieldValidation: 'Strict' }, { containers: [{ name: 'c' }] }))).toMatchObject({ status: 201 });
    expect(new ApiServer().request(post({ fieldValidation: 'Loose' }, { containers: [] }))).toMatchObject({ status: 400 });
  });

  it('checks what a patch produces', () => {
    const api = new ApiServer();
    api.request(post({}, { containers: [{ name: 'c' }] }));
    const patch = (body: unknown) => api.request({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', query: { fieldValidation: 'Strict' }, body, contentType: 'application/merge-patch+json' });
    expect(patch({ spec: { priorityy: 3 } })).toMatchObject({ status: 400 });
    expect(patch({ metadata: { labels: { b: 'c' } } })).toMatchObject({ status: 200 });
  });
});

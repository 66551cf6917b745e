import { describe, expect, it } from 'vitest';
import { ApiServer } from './api.js';
import type { ApiResponse } from './api.js';
import { RESOURCES } from './resources.js';

type Doc = { paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: unknown; parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, unknown> } }>>; components: { schemas: Record<string, unknown> } };

const api = new ApiServer();
const get = (path: string): ApiResponse => api.request({ method: 'GET', path, query: {} });
const json = <T>(r: ApiResponse): T => {
  if (r.kind !== 'json' || r.status !== 200) throw new Error(`GET failed: ${JSON.stringify(r)}`);
  return r.body as T;
};

describe('the OpenAPI v3 documents', () => {
  const index = json<{ paths: Record<string, { serverRelativeURL: string }> }>(get('/openapi/v3'));

  it('index every served group-version, each with a document', () => {
    const expected = new Set(RESOURCES.map((r) => (r.group === '' ? 'api/v1' : `apis/${r.group}/${r.version}`)));
    expect(new Set(Object.keys(index.paths))).toEqual(expected);
    for (const { serverRelativeURL } of Object.values(index.paths)) expect(get(serverRelativeURL.split('?')[0] ?? '')).toMatchObject({ status: 200 });
    expect(get('/openapi/v3/apis/batch/v1')).toMatchObject({ status: 404 });
  });

  // kubectl trusts the server to validate fields when the PATCH of the kind takes `fieldValidation`,
  // and computes its own strategic merge patch when the PATCH does not list that content type.
  it.each(RESOURCES.map((r) => ({ name: `${r.group === '' ? 'core' : r.group} ${r.kind}`, r })))('describe the PATCH of $name as kubectl looks for it', ({ r }) => {
    const doc = json<Doc>(get(`/openapi/v3/${r.group === '' ? 'api/v1' : `apis/${r.group}/${r.version}`}`));
    const patches = Object.values(doc.paths).flatMap((p) => (p.patch === undefined ? [] : [p.patch]));
    const mine = patches.filter((op) => JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify({ group: r.group, version: r.version, kind: r.kind }));
    expect(mine.length).toBeGreaterThan(0);
    for (const op of mine) {
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
      expect(Object.keys(op.requestBody?.content ?? {})).not.toContain('application/strategic-merge-patch+json');
    }
  });

  it('resolve every schema reference', () => {
    for (const gv of Object.keys(index.paths)) {
      const doc = json<Doc>(get(`/openapi/v3/${gv}`));
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');
      for (const ref of new Set(refs)) expect({ gv, ref, found: ref in doc.components.schemas }).toEqual({ gv, ref, found: true });
    }
    const core = json<Doc>(get('/openapi/v3/api/v1'));
    expect(core.components.schemas.V1Pod).toMatchObject({ 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }], properties: { spec: { $ref: '#/components/schemas/V1PodSpec' } } });
  });
});

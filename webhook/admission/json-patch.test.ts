import { describe, expect, it } from 'vitest';
import { escapePointerToken, PatchBuilder } from './json-patch.js';
import { applyPatch } from './test-helpers.js';

describe('escapePointerToken', () => {
  it.each([
    { token: 'applicationId', escaped: 'applicationId' },
    { token: 'yunikorn.apache.org/app-id', escaped: 'yunikorn.apache.org~1app-id' },
    { token: 'a~b', escaped: 'a~0b' },
    // ~ first, so that the ~ of an escaped / is not escaped again
    { token: '~/', escaped: '~0~1' },
    { token: '/~1', escaped: '~1~01' },
    { token: '', escaped: '' },
  ])('$token -> $escaped', ({ token, escaped }) => {
    expect(escapePointerToken(token)).toBe(escaped);
  });
});

const entries = (o: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(o));

describe('PatchBuilder', () => {
  it.each([
    {
      name: 'one op per entry into an existing map',
      doc: { metadata: { labels: { x: '1' } } },
      ops: [
        { op: 'add', path: '/metadata/labels/yunikorn.apache.org~1app-id', value: 'a' },
        { op: 'add', path: '/metadata/labels/applicationId', value: 'a' },
      ],
    },
    {
      name: 'the whole map when there is none',
      doc: { metadata: { name: 'p' } },
      ops: [{ op: 'add', path: '/metadata/labels', value: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' } }],
    },
    {
      name: 'the whole map when it is null',
      doc: { metadata: { labels: null } },
      ops: [{ op: 'add', path: '/metadata/labels', value: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' } }],
    },
    {
      name: 'the first missing parent when metadata is missing',
      doc: {},
      ops: [{ op: 'add', path: '/metadata', value: { labels: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' } } }],
    },
    {
      name: 'only the entries that differ',
      doc: { metadata: { labels: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'old' } } },
      ops: [{ op: 'add', path: '/metadata/labels/applicationId', value: 'a' }],
    },
    {
      name: 'nothing when all are there',
      doc: { metadata: { labels: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' } } },
      ops: [],
    },
  ])('$name', ({ doc, ops }) => {
    const patch = new PatchBuilder(doc).setEntries(['metadata', 'labels'], entries({ 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' })).build();
    expect(patch).toEqual(ops);
    expect(applyPatch(doc, patch)).toMatchObject({ metadata: { labels: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'a' } } });
  });

  it('adds into objects an earlier operation of the same patch created', () => {
    const doc = {};
    const patch = new PatchBuilder(doc)
      .setEntries(['metadata', 'labels'], entries({ l: '1' }))
      .setEntries(['metadata', 'annotations'], entries({ 'a/b': '2' }))
      .set(['spec', 'schedulerName'], 'drover')
      .build();
    expect(patch).toEqual([
      { op: 'add', path: '/metadata', value: { labels: { l: '1' } } },
      { op: 'add', path: '/metadata/annotations', value: { 'a/b': '2' } },
      { op: 'add', path: '/spec', value: { schedulerName: 'drover' } },
    ]);
    expect(applyPatch(doc, patch)).toEqual({ metadata: { labels: { l: '1' }, annotations: { 'a/b': '2' } }, spec: { schedulerName: 'drover' } });
  });

  it('replaces a value with add, and leaves an equal one alone', () => {
    expect(new PatchBuilder({ spec: { schedulerName: 'volcano' } }).set(['spec', 'schedulerName'], 'drover').build()).toEqual([
      { op: 'add', path: '/spec/schedulerName', value: 'drover' },
    ]);
    expect(new PatchBuilder({ spec: { schedulerName: 'drover' } }).set(['spec', 'schedulerName'], 'drover').build()).toEqual([]);
  });

  it('treats inherited members as absent', () => {
    const doc = Object.create({ metadata: { labels: {} } }) as object;
    expect(new PatchBuilder(doc).setEntries(['metadata', 'labels'], entries({ a: 'b' })).build()).toEqual([{ op: 'add', path: '/metadata', value: { labels: { a: 'b' } } }]);
  });

  it('escapes keys at every level of a deep path', () => {
    const doc = { spec: { jobTemplate: { spec: { template: { metadata: { annotations: {} } } } } } };
    const patch = new PatchBuilder(doc).setEntries(['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'], entries({ 'x~/y': 'v' })).build();
    expect(patch).toEqual([{ op: 'add', path: '/spec/jobTemplate/spec/template/metadata/annotations/x~0~1y', value: 'v' }]);
    expect(applyPatch(doc, patch)).toEqual({ spec: { jobTemplate: { spec: { template: { metadata: { annotations: { 'x~/y': 'v' } } } } } } });
  });
});

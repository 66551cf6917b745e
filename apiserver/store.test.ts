import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './selectors.js';
import type { Selector } from './selectors.js';
import { ObjectStore } from './store.js';
import type { WatchEvent } from './store.js';

const pod = (name: string, labels: Record<string, string> = {}, ns = 'default') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels } });
const sel = (text: string): Selector => {
  const r = parseLabelSelector(text);
  if (!r.ok) throw new Error(r.message);
  return r.selector;
};

function collect(store: ObjectStore, options: Parameters<ObjectStore['watch']>[1]) {
  const events: WatchEvent[] = [];
  const r = store.watch('pods', options, (e) => events.push(e));
  if (!r.ok) throw new Error(r.error.message);
  const seen = () => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}@${e.object.metadata?.resourceVersion ?? ''}`);
  return { events, stop: r.value, seen };
}

describe('the object store', () => {
  it('gives every change a new, growing resourceVersion', () => {
    const s = new ObjectStore();
    const a = s.create('pods', pod('a'));
    const b = s.create('pods', pod('b'));
    if (!a.ok || !b.ok) expect.fail('create failed');
    expect([a.value.metadata?.resourceVersion, b.value.metadata?.resourceVersion]).toEqual(['1', '2']);
    expect(a.value.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.list('pods', null).resourceVersion).toBe('2');
  });

  it.each([
    { name: 'creating twice', run: (s: ObjectStore) => s.create('pods', pod('a')), reason: 'AlreadyExists', code: 409 },
    { name: 'a stale update', run: (s: ObjectStore) => s.update('pods', { ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '0' } }), reason: 'Conflict', code: 409 },
    { name: 'a stale delete', run: (s: ObjectStore) => s.delete('pods', 'default', 'a', '0'), reason: 'Conflict', code: 409 },
    { name: 'a missing object', run: (s: ObjectStore) => s.get('pods', 'default', 'zz'), reason: 'NotFound', code: 404 },
    { name: 'a nameless object', run: (s: ObjectStore) => s.create('pods', { metadata: {} }), reason: 'Invalid', code: 422 },
  ])('refuses $name', ({ run, reason, code }) => {
    const s = new ObjectStore();
    s.create('pods', pod('a'));
    expect(run(s)).toMatchObject({ ok: false, error: { reason, code } });
  });

  it('updates with the current resourceVersion, keeping uid and creation time', () => {
    const s = new ObjectStore();
    const a = s.create('pods', pod('a'));
    if (!a.ok) expect.fail('create');
    const u = s.update('pods', { ...a.value, spec: { nodeName: 'n1' } });
    expect(u).toMatchObject({ ok: true, value: { metadata: { resourceVersion: '2', uid: a.value.metadata?.uid }, spec: { nodeName: 'n1' } } });
  });

  it('copies objects in and hands out frozen ones nobody can change', () => {
    const s = new ObjectStore();
    const original = pod('a', { x: '1' });
    s.create('pods', original);
    original.metadata.labels.x = 'changed';
    const got = s.get('pods', 'default', 'a');
    if (!got.ok) expect.fail('get');
    expect(() => {
      (got.value as { metadata: unknown }).metadata = {};
    }).toThrow(TypeError);
    expect(() => {
      (got.value.metadata?.labels as Record<string, string>).x = 'changed';
    }).toThrow(TypeError);
    expect(s.get('pods', 'default', 'a')).toMatchObject({ ok: true, value: { metadata: { labels: { x: '1' } } } });
  });

  it('lists by namespace and selectors', () => {
    const s = new ObjectStore();
    s.create('pods', pod('a', { app: 'x' }));
    s.create('pods', pod('b', { app: 'y' }));
    s.create('pods', pod('c', { app: 'x' }, 'other'));
    expect(s.list('pods', 'default', sel('app=x')).items.map((p) => p.metadata?.name)).toEqual(['a']);
    expect(s.list('pods', null, sel('app=x')).items.map((p) => p.metadata?.name)).toEqual(['a', 'c']);
  });

  it('watches from a resourceVersion, replaying what came after it, then live', () => {
    const s = new ObjectStore();
    s.create('pods', pod('a'));
    const { resourceVersion } = s.list('pods', null);
    s.create('pods', pod('b'));
    const w = collect(s, { namespace: null, resourceVersion });
    s.delete('pods', 'default', 'a');
    expect(w.seen()).toEqual(['ADDED b@2', 'DELETED a@3']);
  });

  it('starts a watch without a resourceVersion with the current state', () => {
    const s = new ObjectStore();
    s.create('pods', pod('a'));
    const w = collect(s, { namespace: null });
    s.create('pods', pod('b'));
    expect(w.seen()).toEqual(['ADDED a@1', 'ADDED b@2']);
  });

  it('answers 410 Expired when the history no longer reaches back', () => {
    const s = new ObjectStore({ historySize: 2 });
    for (const n of ['a', 'b', 'c', 'd']) s.create('pods', pod(n));
    expect(s.watch('pods', { namespace: null, resourceVersion: '1' }, () => undefined)).toMatchObject({ ok: false, error: { code: 410, reason: 'Expired' } });
    expect(s.watch('pods', { namespace: null, resourceVersion: '2' }, () => undefined).ok).toBe(true);
  });

  it('shows objects entering and leaving a selector as ADDED and DELETED', () => {
    const s = new ObjectStore();
    const w = collect(s, { namespace: null, resourceVersion: '0', labels: sel('app=x') });
    const a = s.create('pods', pod('a', { app: 'y' }));
    if (!a.ok) expect.fail('create');
    const moved = s.update('pods', { ...a.value, metadata: { ...a.value.metadata, labels: { app: 'x' } } });
    if (!moved.ok) expect.fail('update');
    s.update('pods', { ...moved.value, metadata: { ...moved.value.metadata, labels: { app: 'z' } } });
    expect(w.seen()).toEqual(['ADDED a@2', 'DELETED a@3']);
  });

  it('stops delivering after stop, and sends bookmarks to those who ask', () => {
    const s = new ObjectStore();
    const plain = collect(s, { namespace: null });
    const marked = collect(s, { namespace: null, bookmarks: true });
    s.create('pods', pod('a'));
    plain.stop();
    s.create('pods', pod('b'));
    s.bookmark('pods');
    expect(plain.seen()).toEqual(['ADDED a@1']);
    expect(marked.seen()).toEqual(['ADDED a@1', 'ADDED b@2', 'BOOKMARK @2']);
  });
});

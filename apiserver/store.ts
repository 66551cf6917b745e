/**
 * The embedded API server's object store, with the semantics a scheduler relies on:
 *   - one monotonic resourceVersion for every change of every object;
 *   - optimistic concurrency: an update or delete naming a resourceVersion that is not the current one
 *     fails with 409 Conflict;
 *   - list returns the items and the resourceVersion they were read at; watch from a resourceVersion
 *     replays what changed after it from a bounded history, and answers 410 Gone (Expired) when that
 *     history no longer reaches back so far (the client must list again);
 *   - watches with selectors see an object that starts or stops matching as ADDED or DELETED;
 *   - bookmarks tell a watcher how far it is without an object changing.
 * Objects are copied in and frozen: what the store hands out (reads, lists, watch events) is the
 * stored object itself, shared and immutable, so a watch with many watchers costs no copies.
 */
import { randomUUID } from 'node:crypto';
import { matches, matchesFields } from './selectors.js';
import type { FieldSelector, KubeObject, Selector } from './selectors.js';

export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'Invalid';
export interface StoreError {
  readonly code: 400 | 404 | 409 | 410 | 422;
  readonly reason: StoreErrorReason;
  readonly message: string;
}
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: StoreError };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export interface WatchOptions {
  readonly namespace: string | null;
  /** Start after this resourceVersion; undefined or '0': synthetic ADDED events for what exists, then live. */
  readonly resourceVersion?: string;
  readonly labels?: Selector;
  readonly fields?: FieldSelector;
  readonly bookmarks?: boolean;
}

interface Change {
  readonly rv: number;
  readonly resource: string;
  readonly before: KubeObject | null;
  readonly after: KubeObject | null;
}

interface Watcher {
  readonly resource: string;
  readonly options: WatchOptions;
  readonly send: (e: WatchEvent) => void;
}

const copy = <T>(o: T): T => structuredClone(o);

/** Freeze an object and everything in it (a stored object is never changed, only replaced). */
function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export class ObjectStore {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly options: { readonly historySize?: number; readonly now?: () => Date } = {},
  ) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (b === undefined) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  get(resource: string, namespace: string | undefined, name: string): Result<KubeObject> {
    const o = this.bucket(resource).get(keyOf(namespace, name));
    return o === undefined ? notFound(resource, name) : { ok: true, value: o };
  }

  create(resource: string, object: KubeObject): Result<KubeObject> {
    const name = object.metadata?.name;
    if (name === undefined || name === '') return { ok: false, error: { code: 422, reason: 'Invalid', message: `${resource}: metadata.name is required` } };
    const key = keyOf(object.metadata?.namespace, name);
    const b = this.bucket(resource);
    if (b.has(key)) return { ok: false, error: { code: 409, reason: 'AlreadyExists', message: `${label(resource)} "${name}" already exists` } };
    const o = copy(object);
    o.metadata = { ...o.metadata, uid: o.metadata?.uid ?? randomUUID(), creationTimestamp: (this.options.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z') };
    return { ok: true, value: this.commit(resource, key, null, o) };
  }

  /** Replace an object; a non-empty metadata.resourceVersion must be the current one. */
  update(resource: string, object: KubeObject): Result<KubeObject> {
    const name = object.metadata?.name ?? '';
    const key = keyOf(object.metadata?.namespace, name);
    const current = this.bucket(resource).get(key);
    if (current === undefined) return notFound(resource, name);
    const expected = object.metadata?.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== current.metadata?.resourceVersion) return conflict(resource, name);
    const o = copy(object);
    o.metadata = { ...o.metadata, ...(current.metadata?.uid === undefined ? {} : { uid: current.metadata.uid }), creationTimestamp: current.metadata?.creationTimestamp };
    return { ok: true, value: this.commit(resource, key, current, o) };
  }

  delete(resource: string, namespace: string | undefined, name: string, expectedVersion?: string): Result<KubeObject> {
    const key = keyOf(namespace, name);
    const current = this.bucket(resource).get(key);
    if (current === undefined) return notFound(resource, name);
    if (expectedVersion !== undefined && expectedVersion !== current.metadata?.resourceVersion) return conflict(resource, name);
    const gone = deepFreeze({ ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } });
    this.bucket(resource).delete(key);
    this.record({ rv: this.rv, resource, before: current, after: null });
    return { ok: true, value: gone };
  }

  list(resource: string, namespace: string | null, labels: Selector = [], fields: FieldSelector = []): { readonly items: KubeObject[]; readonly resourceVersion: string } {
    const items: KubeObject[] = [];
    for (const o of this.bucket(resource).values()) {
      if (namespace !== null && o.metadata?.namespace !== namespace) continue;
      if (matches(labels, o.metadata?.labels) && matchesFields(fields, o)) items.push(o);
    }
    items.sort((a, b) => (keyOf(a.metadata?.namespace, a.metadata?.name ?? '') < keyOf(b.metadata?.namespace, b.metadata?.name ?? '') ? -1 : 1));
    return { items, resourceVersion: this.resourceVersion };
  }

  /** Start a watch; returns a function that stops it, or 410 Expired when the history does not reach back. */
  watch(resource: string, options: WatchOptions, send: (e: WatchEvent) => void): Result<() => void> {
    const from = options.resourceVersion;
    const watcher: Watcher = { resource, options, send };
    if (from === undefined || from === '' || from === '0') {
      for (const o of this.list(resource, options.namespace, options.labels, options.fields).items) send({ type: 'ADDED', object: o });
    } else {
      const since = Number(from);
      if (!Number.isInteger(since) || since < 0) return { ok: false, error: { code: 400, reason: 'Invalid', message: `invalid resourceVersion '${from}'` } };
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (since < oldest - 1 && since < this.rv) {
        return { ok: false, error: { code: 410, reason: 'Expired', message: `too old resource version: ${since} (${oldest - 1})` } };
      }
      for (const c of this.history) if (c.rv > since && c.resource === resource) this.deliver(watcher, c);
    }
    this.watchers.add(watcher);
    return { ok: true, value: () => this.watchers.delete(watcher) };
  }

  /** Tell bookmark-asking watchers of `resource` the current resourceVersion. */
  bookmark(resource: string): void {
    for (const w of this.watchers) {
      if (w.resource === resource && w.options.bookmarks === true) w.send({ type: 'BOOKMARK', object: { kind: 'Bookmark', metadata: { resourceVersion: this.resourceVersion } } });
    }
  }

  /** Forget the history before the last `keep` changes (tests of 410 relists). */
  compact(keep = 0): void {
    this.history.splice(0, Math.max(0, this.history.length - keep));
  }

  private commit(resource: string, key: string, before: KubeObject | null, after: KubeObject): KubeObject {
    after.metadata = { ...after.metadata, resourceVersion: String(++this.rv) };
    deepFreeze(after);
    this.bucket(resource).set(key, after);
    this.record({ rv: this.rv, resource, before, after });
    return after;
  }

  private record(change: Change): void {
    this.history.push(change);
    const size = this.options.historySize ?? 10_000;
    if (this.history.length > size) this.history.splice(0, this.history.length - size);
    for (const w of this.watchers) if (w.resource === change.resource) this.deliver(w, change);
  }

  private deliver(w: Watcher, c: Change): void {
    const seen = (o: KubeObject | null) =>
      o !== null && (w.options.namespace === null || o.metadata?.namespace === w.options.namespace) && matches(w.options.labels ?? [], o.metadata?.labels) && matchesFields(w.options.fields ?? [], o);
    const was = seen(c.before);
    const is = seen(c.after);
    if (c.after === null) {
      if (was && c.before !== null) w.send({ type: 'DELETED', object: { ...c.before, metadata: { ...c.before.metadata, resourceVersion: String(c.rv) } } });
      return;
    }
    if (is) w.send({ type: was ? 'MODIFIED' : 'ADDED', object: c.after });
    else if (was) w.send({ type: 'DELETED', object: c.after });
  }
}

/** A store key (`group/plural`) as the real server names it in messages: `pods`, `leases.coordination.k8s.io`. */
function label(resource: string): string {
  const slash = resource.indexOf('/');
  if (slash < 0) return resource;
  const group = resource.slice(0, slash);
  const plural = resource.slice(slash + 1);
  return group === '' ? plural : `${plural}.${group}`;
}

function notFound(resource: string, name: string): Result<never> {
  return { ok: false, error: { code: 404, reason: 'NotFound', message: `${label(resource)} "${name}" not found` } };
}

function conflict(resource: string, name: string): Result<never> {
  return { ok: false, error: { code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${label(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again` } };
}

/**
 * Test builders for the admission decision: pods and workloads as an AdmissionReview carries them,
 * users, and an RFC 6902 `add` applier so that tests check what a patch does to the object, not only
 * how it is spelt.
 */
import type { JsonPatchOp } from './json-patch.js';
import type { RequestUser } from './user-info.js';

type Json = { [key: string]: unknown };

export const ALICE: RequestUser = { username: 'alice', groups: ['dev', 'system:authenticated'] };
export const REPLICASET_CONTROLLER: RequestUser = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts'] };

export class PodBuilder {
  private readonly metadata: Json = { name: 'p', namespace: 'team-a' };
  private readonly spec: Json = { containers: [{ name: 'c', image: 'busybox' }], schedulerName: 'default-scheduler' };

  label(key: string, value: string): this {
    return this.put('labels', key, value);
  }

  annotation(key: string, value: string): this {
    return this.put('annotations', key, value);
  }

  namespace(name: string): this {
    this.metadata.namespace = name;
    return this;
  }

  uid(uid: string): this {
    this.metadata.uid = uid;
    return this;
  }

  scheduler(name: string): this {
    this.spec.schedulerName = name;
    return this;
  }

  priorityClass(name: string): this {
    this.spec.priorityClassName = name;
    return this;
  }

  build(): Json {
    return structuredClone({ apiVersion: 'v1', kind: 'Pod', metadata: this.metadata, spec: this.spec });
  }

  private put(map: 'labels' | 'annotations', key: string, value: string): this {
    const existing = this.metadata[map];
    const target: Json = typeof existing === 'object' && existing !== null ? (existing as Json) : {};
    target[key] = value;
    this.metadata[map] = target;
    return this;
  }
}

export function makePod(): PodBuilder {
  return new PodBuilder();
}

/** A workload of `kind` whose pod template has the given labels and annotations. */
export function makeWorkload(kind: string, template: { labels?: Json; annotations?: Json } = {}): Json {
  const pod = { metadata: { ...template }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  const spec = kind === 'CronJob' ? { schedule: '* * * * *', jobTemplate: { spec: { template: pod } } } : { selector: {}, template: pod };
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'w', namespace: 'team-a' }, spec };
}

/** Apply `add` operations as RFC 6902 defines them; throws (failing the test) where a server would refuse. */
export function applyPatch(document: unknown, ops: readonly JsonPatchOp[]): unknown {
  const doc: unknown = structuredClone(document);
  for (const op of ops) {
    const tokens = op.path.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop();
    if (last === undefined) throw new Error(`cannot replace the whole document: ${op.path}`);
    let parent: unknown = doc;
    for (const token of tokens) {
      if (typeof parent !== 'object' || parent === null || !Object.hasOwn(parent, token)) throw new Error(`missing parent for ${op.path}`);
      parent = (parent as Json)[token];
    }
    if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) throw new Error(`parent of ${op.path} is not an object`);
    (parent as Json)[last] = structuredClone(op.value);
  }
  return doc;
}

/** The member at a dotted path (keys may contain '/', so the path is a list). */
export function at(value: unknown, ...path: string[]): unknown {
  let cursor = value;
  for (const key of path) cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Json)[key] : undefined;
  return cursor;
}

/**
 * The certificate Secret through the API, with optimistic concurrency: create (a 409 means another
 * replica created it first: the caller reads the winner's) and replace carrying the resourceVersion
 * that was read (a 409 means someone changed it meanwhile: the caller reads again and re-plans). A
 * write never overwrites a Secret newer than the one the caller decided from.
 */
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { describeError, httpStatus } from '../cluster/errors.js';

export type SecretRead =
  | { readonly kind: 'found'; readonly secret: V1Secret; readonly resourceVersion: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed'; readonly message: string };

export type SecretWrite = { readonly kind: 'written'; readonly secret: V1Secret } | { readonly kind: 'conflict' } | { readonly kind: 'failed'; readonly message: string };

/** Labels on a Secret drover creates, so that `kubectl get secret -l` finds it. */
export const SECRET_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'drover', 'app.kubernetes.io/component': 'admission-certificates' };

export class SecretStore {
  constructor(
    private readonly core: CoreV1Api,
    readonly namespace: string,
    readonly name: string,
  ) {}

  get where(): string {
    return `Secret ${this.namespace}/${this.name}`;
  }

  async read(): Promise<SecretRead> {
    try {
      const secret = await this.core.readNamespacedSecret({ name: this.name, namespace: this.namespace });
      return { kind: 'found', secret, resourceVersion: secret.metadata?.resourceVersion ?? '' };
    } catch (e) {
      if (httpStatus(e) === 404) return { kind: 'missing' };
      return { kind: 'failed', message: `cannot read ${this.where}: ${describeError(e)}` };
    }
  }

  async create(data: Readonly<Record<string, string>>): Promise<SecretWrite> {
    const body: V1Secret = { metadata: { name: this.name, namespace: this.namespace, labels: { ...SECRET_LABELS } }, type: 'Opaque', data: { ...data } };
    return this.write('create', () => this.core.createNamespacedSecret({ namespace: this.namespace, body }));
  }

  /** Replace the data of `current` (as read, with its resourceVersion); its labels and annotations stay. */
  async replace(current: V1Secret, data: Readonly<Record<string, string>>): Promise<SecretWrite> {
    const body: V1Secret = { ...current, data: { ...data } };
    return this.write('update', () => this.core.replaceNamespacedSecret({ name: this.name, namespace: this.namespace, body }));
  }

  private async write(verb: string, call: () => Promise<V1Secret>): Promise<SecretWrite> {
    try {
      return { kind: 'written', secret: await call() };
    } catch (e) {
      // 409: created or changed by another replica meanwhile; 404 on update: deleted meanwhile.
      const code = httpStatus(e);
      if (code === 409 || (verb === 'update' && code === 404)) return { kind: 'conflict' };
      return { kind: 'failed', message: `cannot ${verb} ${this.where}: ${describeError(e)}` };
    }
  }
}

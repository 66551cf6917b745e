/**
 * One wrapper around @kubernetes/client-node's informers for every resource the shim watches. It adds
 * what a scheduler needs on top: handlers get the old and the new object on every change (from a cache
 * of what was last seen), and the informer restarts after an error with exponential backoff (the
 * client relists after a 410 by itself). Handlers must be idempotent: a restart replays adds.
 */
import { ListWatch, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

export type Change<T> = { readonly type: 'add'; readonly object: T } | { readonly type: 'update'; readonly old: T; readonly object: T } | { readonly type: 'delete'; readonly object: T };

export interface Watched {
  stop(): Promise<void>;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export async function watchResource<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  list: () => Promise<KubernetesListObject<T>>,
  handle: (change: Change<T>) => void,
  onError: (err: unknown, retryInMs: number) => void = () => undefined,
  /** Only the objects this field selector matches (e.g. `metadata.name=x`, which RBAC can limit by name). */
  fieldSelector?: string,
): Promise<Watched> {
  const seen = new Map<string, T>();
  // makeInformer takes no field selector; ListWatch is what it builds, with one.
  const informer = new ListWatch<T>(path, new Watch(kc), list, false, undefined, fieldSelector);
  let stopped = false;
  let backoff = 1000;
  let timer: NodeJS.Timeout | null = null;
  const upsert = (o: T) => {
    const old = seen.get(keyOf(o));
    seen.set(keyOf(o), o);
    handle(old === undefined ? { type: 'add', object: o } : { type: 'update', old, object: o });
  };
  informer.on('add', upsert);
  informer.on('update', upsert);
  informer.on('delete', (o) => {
    seen.delete(keyOf(o));
    handle({ type: 'delete', object: o });
  });
  informer.on('connect', () => {
    backoff = 1000;
  });
  // After an error, start again with backoff; a start that fails outright (before its watch could
  // report) is an error like any other, so the informer never stops trying while it is wanted.
  const retryAfter = (err: unknown): void => {
    if (stopped) return;
    onError(err, backoff);
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!stopped) informer.start().catch(retryAfter);
    }, backoff);
    backoff = Math.min(backoff * 2, 30_000);
  };
  informer.on('error', retryAfter);
  await informer.start();
  return {
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await informer.stop();
    },
  };
}

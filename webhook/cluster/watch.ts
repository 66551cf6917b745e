/**
 * The webhook's watches: shim/informer.ts's `watchResource` (old and new object on each change,
 * restart with backoff after an error), wrapped so that a watch that cannot even start (the API
 * server unreachable, RBAC refusing the list) is logged and retried instead of failing the webhook,
 * which keeps serving with what it knows.
 */
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Change, Watched } from '../../shim/informer.js';
import { watchResource } from '../../shim/informer.js';
import { describeError } from './errors.js';

export interface WatchSpec<T extends KubernetesObject> {
  readonly kubeConfig: KubeConfig;
  /** The API path watched, e.g. `/api/v1/namespaces`. */
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly handle: (change: Change<T>) => void;
  readonly logger: Logger;
  /** Watch only what this field selector matches (the list must apply the same). */
  readonly fieldSelector?: string;
}

export interface KeptWatch extends Watched {
  /** Settles after the first attempt to list and watch, whether it worked or not. */
  readonly started: Promise<void>;
}

const RETRY_MS = { first: 1_000, max: 30_000 };

export function keepWatching<T extends KubernetesObject>(spec: WatchSpec<T>): KeptWatch {
  const { logger, path } = spec;
  let watched: Watched | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let delay = RETRY_MS.first;
  const onError = (err: unknown, retryInMs: number) => logger.warn({ path, error: describeError(err), retryInMs }, 'watch failed; restarting');
  const attempt = async (): Promise<void> => {
    try {
      const w = await watchResource(spec.kubeConfig, path, spec.list, spec.handle, onError, spec.fieldSelector);
      if (stopped) await w.stop();
      else watched = w;
    } catch (e) {
      if (stopped) return;
      logger.warn({ path, error: describeError(e), retryInMs: delay }, 'cannot start the watch; retrying');
      timer = setTimeout(() => void attempt(), delay);
      delay = Math.min(delay * 2, RETRY_MS.max);
    }
  };
  const started = attempt();
  return {
    started,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await started;
      if (watched !== null) await watched.stop();
    },
  };
}

/**
 * Live data without polling: one EventSource on the server's `changed` feed, and `useLive(endpoint)`,
 * which fetches once and again after each change. Refetches are coalesced so a busy scheduler cannot
 * flood the server or the page:
 *   - a change while a fetch is in flight marks the query dirty; one more fetch follows it;
 *   - fetches of one query start at least MIN_INTERVAL_MS apart (the last change is never lost: a
 *     timer picks it up);
 *   - while the tab is hidden, changes are only remembered; one notification follows when it shows.
 * After a reconnect every query refetches, since changes may have been missed meanwhile.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { ApiError, STREAM_URL, fetchJson } from './client.js';
import type { Endpoint } from './client.js';
import { isObject } from './decode.js';

export const MIN_INTERVAL_MS = 1000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export type StreamStatus = 'connecting' | 'live' | 'offline';

/** The change feed as the pages see it: subscribe to be told "refetch", read the connection status. */
export class LiveHub {
  private readonly changeListeners = new Set<() => void>();
  private readonly statusListeners = new Set<() => void>();
  private status: StreamStatus = 'connecting';
  private lastVersion = -1;
  private missed = false;
  private source: EventSource | null = null;

  /**
   * Connect. Call before the first fetches go out: the server answers a new connection with the current
   * version, which the first connection takes as its baseline (the fetches that follow see at least
   * that state); after a reconnect the same message means "you may have missed something" and every
   * query refetches.
   */
  start(): () => void {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_MIN_MS;
    let baseline = true;
    const connect = () => {
      const source = new EventSource(STREAM_URL);
      this.source = source;
      source.addEventListener('open', () => {
        delay = RETRY_MIN_MS;
        this.setStatus('live');
      });
      source.addEventListener('error', () => {
        this.setStatus('offline');
        // Whatever comes after a lost connection may be news, and a restarted server counts its
        // versions from the start again.
        baseline = false;
        this.lastVersion = -1;
        // EventSource retries by itself after a dropped connection, but gives up for good after an error
        // answer (a proxy's 502 while the scheduler restarts): then retry here, backing off.
        if (source.readyState === EventSource.CLOSED && !stopped) {
          retry = setTimeout(connect, delay);
          delay = Math.min(delay * 2, RETRY_MAX_MS);
        }
      });
      source.addEventListener('changed', (e: MessageEvent<string>) => {
        const version = parseVersion(e.data);
        if (version !== null && version <= this.lastVersion) return;
        if (version !== null) this.lastVersion = version;
        if (baseline) {
          baseline = false;
          return;
        }
        this.notify();
      });
    };
    const onVisible = () => {
      if (!document.hidden && this.missed) {
        this.missed = false;
        this.notify();
      }
    };
    connect();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      document.removeEventListener('visibilitychange', onVisible);
      this.source?.close();
      this.source = null;
    };
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  readonly subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  readonly getStatus = (): StreamStatus => this.status;

  private setStatus(s: StreamStatus): void {
    if (s === this.status) return;
    this.status = s;
    for (const l of this.statusListeners) l();
  }

  private notify(): void {
    if (document.hidden) {
      this.missed = true;
      return;
    }
    for (const l of this.changeListeners) l();
  }
}

function parseVersion(data: string): number | null {
  try {
    const v: unknown = JSON.parse(data);
    return isObject(v) && typeof v['version'] === 'number' ? v['version'] : null;
  } catch {
    return null;
  }
}

const LiveContext = createContext<LiveHub | null>(null);

/** Provides a started hub (main.tsx starts it before the first render, so before the first fetch). */
export function LiveProvider({ hub, children }: { readonly hub: LiveHub; readonly children: ReactNode }) {
  return <LiveContext.Provider value={hub}>{children}</LiveContext.Provider>;
}

function useHub(): LiveHub {
  const hub = useContext(LiveContext);
  if (hub === null) throw new Error('useLive outside LiveProvider');
  return hub;
}

export function useStreamStatus(): StreamStatus {
  const hub = useHub();
  return useSyncExternalStore(hub.subscribeStatus, hub.getStatus);
}

export type LiveResult<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T; readonly at: number }
  | { readonly status: 'error'; readonly error: string; readonly httpStatus: number | undefined; readonly data: T | undefined };

/**
 * The endpoint's answer, kept current. `null` fetches nothing. A failed refetch keeps the last data and
 * reports the error beside it.
 */
export function useLive<T>(endpoint: Endpoint<T> | null): LiveResult<T> {
  const hub = useHub();
  const [result, setResult] = useState<LiveResult<T>>({ status: 'loading' });
  const url = endpoint?.url ?? null;
  // Decoders are module-level functions (client.ts), so this dependency is as stable as the URL.
  const decode = endpoint?.decode;

  useEffect(() => {
    if (url === null || decode === undefined) return undefined;
    const abort = new AbortController();
    let inFlight = false;
    let dirty = false;
    let lastStart = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | undefined;
    setResult({ status: 'loading' });

    const run = async () => {
      inFlight = true;
      dirty = false;
      lastStart = performance.now();
      try {
        const data = await fetchJson({ url, decode }, abort.signal);
        last = data;
        setResult({ status: 'ok', data, at: Date.now() });
      } catch (e) {
        if (abort.signal.aborted) return;
        const message = e instanceof Error ? e.message : String(e);
        setResult({ status: 'error', error: message, httpStatus: e instanceof ApiError ? e.status : undefined, data: last });
      } finally {
        inFlight = false;
      }
      if (dirty && !abort.signal.aborted) request();
    };

    const request = () => {
      if (inFlight) {
        dirty = true;
        return;
      }
      if (timer !== undefined) return;
      const wait = lastStart + MIN_INTERVAL_MS - performance.now();
      if (wait <= 0) {
        void run();
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, wait);
    };

    void run();
    const unsubscribe = hub.onChange(request);
    return () => {
      abort.abort();
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [url, decode, hub]);

  return result;
}

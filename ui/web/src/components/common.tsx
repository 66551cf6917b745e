/**
 * Small pieces every page uses: the page heading (which takes focus after a navigation, so a screen
 * reader announces the new page), state and status badges, and the loading and error notices around a
 * live answer.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { LiveResult } from '../api/live.js';
import { formatAge, formatTime } from '../format.js';

export function PageHeading({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // Focus once per page, not per title: a title that follows a filter must not take the focus from
  // the field being typed in.
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    document.title = `${title} · drover`;
  }, [title]);
  return (
    <div className="page-head">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

/** Application states by how a person reads them: running fine, waiting, finished well, finished badly. */
const STATE_TONE: Readonly<Record<string, 'ok' | 'wait' | 'done' | 'bad'>> = {
  New: 'wait',
  Accepted: 'wait',
  Resuming: 'wait',
  Running: 'ok',
  Completing: 'done',
  Completed: 'done',
  Failing: 'bad',
  Failed: 'bad',
  Rejected: 'bad',
  Expired: 'done',
};

export function StateBadge({ state }: { readonly state: string }) {
  return <span className={`badge tone-${STATE_TONE[state] ?? 'done'}`}>{state}</span>;
}

export function QueueStatusBadge({ status }: { readonly status: string }) {
  return <span className={`badge ${status === 'Active' ? 'tone-ok' : 'tone-wait'}`}>{status}</span>;
}

/** Shown on a queue whose allocation is above its guarantee for at least one resource. */
export function OverGuaranteeMarker({ resources }: { readonly resources: readonly string[] }) {
  return (
    <span className="marker-over" title={`Allocated above its guarantee: ${resources.join(', ')}`}>
      <span aria-hidden="true">▲</span> over guarantee
    </span>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="notice" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ message }: { readonly message: string }) {
  return (
    <p className="notice notice-error" role="alert">
      {message}
    </p>
  );
}

/**
 * Renders the data of a live answer, or the loading notice, or the error. A failed refresh keeps the
 * last data on screen with the error above it.
 */
export function Live<T>({ result, what, children }: { readonly result: LiveResult<T>; readonly what: string; readonly children: (data: T) => ReactNode }) {
  switch (result.status) {
    case 'loading':
      return <Loading what={what} />;
    case 'error':
      return (
        <>
          <ErrorNotice message={`Could not load ${what}: ${result.error}`} />
          {result.data === undefined ? null : children(result.data)}
        </>
      );
    case 'ok':
      return <>{children(result.data)}</>;
    default:
      return assertNever(result);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}

export function TimeAgo({ ms, now }: { readonly ms: number | undefined; readonly now: number }) {
  if (ms === undefined) return <span className="muted">–</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatTime(ms)}>
      {formatAge(ms, now)}
    </time>
  );
}

/** The current time, refreshed every `everyMs` so relative times ("3 min ago") stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

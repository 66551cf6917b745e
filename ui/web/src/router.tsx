/**
 * The history-API router: the current location as React state, `navigate()` to move, and `Link` for
 * anchors that stay in the page (a plain click) but still open in a new tab with a modifier key.
 */
import { useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';

const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

window.addEventListener('popstate', emit);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  readonly pathname: string;
  readonly search: URLSearchParams;
}

let cachedKey = '';
let cached: Location = { pathname: '/', search: new URLSearchParams() };

/** The current path and query; re-renders on every navigation. */
export function useLocation(): Location {
  const key = useSyncExternalStore(subscribe, snapshot);
  if (key !== cachedKey) {
    cachedKey = key;
    cached = { pathname: window.location.pathname, search: new URLSearchParams(window.location.search) };
  }
  return cached;
}

/** Go to `to`; `replace` for filter edits that should not fill the back button's history. */
export function navigate(to: string, options: { readonly replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  emit();
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { readonly to: string; readonly children: ReactNode };

export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={click} {...rest}>
      {children}
    </a>
  );
}

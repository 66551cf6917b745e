/**
 * The UI's addresses: which page a URL shows and how to write the URL of a page. History-API paths
 * (`/queues/root.a`, `/applications?queue=root.a`, `/nodes?filter=gpu`) so every view can be linked
 * and reloaded; the server answers every unknown path with index.html. The partition rides along as
 * `?partition=` when it is not `default`. Pure: parsed from strings, no DOM.
 */

export const DEFAULT_PARTITION = 'default';

export type Route =
  | { readonly page: 'dashboard' }
  | { readonly page: 'queues'; readonly queue: string | undefined }
  | { readonly page: 'applications' }
  | { readonly page: 'application'; readonly id: string }
  | { readonly page: 'nodes' }
  | { readonly page: 'health' }
  | { readonly page: 'notFound' };

export type Page = Route['page'];

function decodeSegment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The route of a path; a trailing slash is ignored. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'notFound' };
  const arg = second === undefined ? undefined : decodeSegment(second);
  if (second !== undefined && arg === undefined) return { page: 'notFound' };
  switch (first) {
    case undefined:
      return { page: 'dashboard' };
    case 'queues':
      return { page: 'queues', queue: arg };
    case 'applications':
      return arg === undefined ? { page: 'applications' } : { page: 'application', id: arg };
    case 'nodes':
      return arg === undefined ? { page: 'nodes' } : { page: 'notFound' };
    case 'health':
      return arg === undefined ? { page: 'health' } : { page: 'notFound' };
    default:
      return { page: 'notFound' };
  }
}

/** `?a=1&b=2` from pairs, skipping empty values; the partition only when it is not the default. */
function query(partition: string, params: Readonly<Record<string, string | undefined>>): string {
  const q = new URLSearchParams();
  if (partition !== DEFAULT_PARTITION) q.set('partition', partition);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

export interface ApplicationFilters {
  readonly queue?: string | undefined;
  readonly state?: string | undefined;
  readonly user?: string | undefined;
  readonly reason?: string | undefined;
  readonly search?: string | undefined;
}

export interface NodeFilters {
  readonly filter?: string | undefined;
  readonly schedulable?: 'yes' | 'no' | undefined;
}

/** Builders of every page's address. */
export const href = {
  dashboard: (p: string) => `/${query(p, {})}`,
  queues: (p: string, queue?: string) => `/queues${queue === undefined ? '' : `/${encodeURIComponent(queue)}`}${query(p, {})}`,
  applications: (p: string, f: ApplicationFilters = {}) => `/applications${query(p, { queue: f.queue, state: f.state, user: f.user, reason: f.reason, q: f.search })}`,
  application: (p: string, id: string) => `/applications/${encodeURIComponent(id)}${query(p, {})}`,
  nodes: (p: string, f: NodeFilters = {}) => `/nodes${query(p, { filter: f.filter, schedulable: f.schedulable })}`,
  health: (p: string) => `/health${query(p, {})}`,
};

export function readApplicationFilters(search: URLSearchParams): ApplicationFilters {
  return {
    queue: search.get('queue') ?? undefined,
    state: search.get('state') ?? undefined,
    user: search.get('user') ?? undefined,
    reason: search.get('reason') ?? undefined,
    search: search.get('q') ?? undefined,
  };
}

export function readNodeFilters(search: URLSearchParams): NodeFilters {
  const s = search.get('schedulable');
  return { filter: search.get('filter') ?? undefined, schedulable: s === 'yes' || s === 'no' ? s : undefined };
}

export function readPartition(search: URLSearchParams): string {
  const p = search.get('partition');
  return p === null || p === '' ? DEFAULT_PARTITION : p;
}

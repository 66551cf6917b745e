import { describe, expect, it } from 'vitest';
import { href, parseRoute, readApplicationFilters, readNodeFilters, readPartition } from './routes.js';

describe('parseRoute', () => {
  it.each([
    { name: 'the dashboard', path: '/', route: { page: 'dashboard' } },
    { name: 'queues', path: '/queues', route: { page: 'queues', queue: undefined } },
    { name: 'a queue', path: '/queues/root.a', route: { page: 'queues', queue: 'root.a' } },
    { name: 'a trailing slash', path: '/queues/', route: { page: 'queues', queue: undefined } },
    { name: 'applications', path: '/applications', route: { page: 'applications' } },
    { name: 'an application, encoded', path: '/applications/spark%2F1', route: { page: 'application', id: 'spark/1' } },
    { name: 'nodes', path: '/nodes', route: { page: 'nodes' } },
    { name: 'health', path: '/health', route: { page: 'health' } },
    { name: 'an unknown page', path: '/nope', route: { page: 'notFound' } },
    { name: 'too deep', path: '/queues/root.a/x', route: { page: 'notFound' } },
    { name: 'a malformed escape', path: '/queues/%E0%A4%A', route: { page: 'notFound' } },
  ])('$name', ({ path, route }) => {
    expect(parseRoute(path)).toEqual(route);
  });
});

describe('href', () => {
  it('writes the addresses parseRoute reads, with the partition only when not the default', () => {
    expect(href.queues('default', 'root.a')).toBe('/queues/root.a');
    expect(href.queues('gpu', 'root.a')).toBe('/queues/root.a?partition=gpu');
    expect(href.applications('default', { queue: 'root.a', state: 'Running', search: '' })).toBe('/applications?queue=root.a&state=Running');
    expect(href.nodes('default', { filter: 'zone=a b' })).toBe('/nodes?filter=zone%3Da+b');
    expect(href.application('default', 'spark/1')).toBe('/applications/spark%2F1');
  });

  it('reads the filters back', () => {
    const q = new URLSearchParams('queue=root.a&q=spark&partition=gpu&schedulable=no&filter=gpu');
    expect(readApplicationFilters(q)).toEqual({ queue: 'root.a', state: undefined, user: undefined, reason: undefined, search: 'spark' });
    expect(readNodeFilters(q)).toEqual({ filter: 'gpu', schedulable: 'no' });
    expect(readPartition(q)).toBe('gpu');
    expect(readPartition(new URLSearchParams())).toBe('default');
    expect(readNodeFilters(new URLSearchParams('schedulable=maybe')).schedulable).toBeUndefined();
  });
});

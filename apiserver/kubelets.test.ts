import { describe, expect, it } from 'vitest';
import { ApiServer } from './api.js';
import { Kubelets, RUN_SECONDS_ANNOTATION, START_DELAY_MS } from './kubelets.js';
import type { Timers } from './kubelets.js';

/** Timers moved by hand. */
function fakeTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h) => pending.delete(h as number),
    now: () => new Date(now),
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) return;
      pending.delete(due[0]);
      due[1].fn();
    }
  };
  return { timers, advance, pending };
}

function setup() {
  const api = new ApiServer();
  const t = fakeTimers();
  const kubelets = new Kubelets(api.store, t.timers);
  kubelets.addNodes([{ name: 'node-1', cpu: '8', memory: '32Gi' }]);
  kubelets.start();
  const phase = (name: string) => {
    const r = api.request({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}`, query: {} });
    return r.kind === 'json' ? (r.body as { status?: { phase?: string } }).status?.phase : undefined;
  };
  const create = (name: string, annotations: Record<string, string> = {}) =>
    api.request({ method: 'POST', path: '/api/v1/namespaces/default/pods', query: {}, body: { metadata: { name, annotations }, spec: { containers: [{ name: 'c' }] } } });
  const bind = (name: string, node = 'node-1') =>
    api.request({ method: 'POST', path: `/api/v1/namespaces/default/pods/${name}/binding`, query: {}, body: { target: { kind: 'Node', name: node } } });
  return { api, t, kubelets, phase, create, bind };
}

describe('simulated kubelets', () => {
  it('register Ready nodes', () => {
    const { api } = setup();
    const r = api.request({ method: 'GET', path: '/api/v1/nodes/node-1', query: {} });
    expect(r).toMatchObject({ status: 200, body: { status: { allocatable: { cpu: '8', memory: '32Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } } });
  });

  it('start a bound pod shortly after and finish it after its declared run time', () => {
    const s = setup();
    s.create('job', { [RUN_SECONDS_ANNOTATION]: '3' });
    s.create('server');
    s.t.advance(10_000);
    expect(s.phase('job')).toBe('Pending');
    s.bind('job');
    s.bind('server');
    s.t.advance(START_DELAY_MS);
    expect([s.phase('job'), s.phase('server')]).toEqual(['Running', 'Running']);
    s.t.advance(3_000);
    expect([s.phase('job'), s.phase('server')]).toEqual(['Succeeded', 'Running']);
  });

  it('report each container running and ready, then terminated Completed, as a kubelet does', () => {
    const s = setup();
    s.create('job', { [RUN_SECONDS_ANNOTATION]: '2' });
    s.bind('job');
    const status = () => {
      const r = s.api.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/job', query: {} });
      return (r.kind === 'json' ? r.body : {}) as { status?: { containerStatuses?: unknown[]; conditions?: { type: string; status: string }[] } };
    };
    s.t.advance(START_DELAY_MS);
    expect(status().status?.containerStatuses).toEqual([expect.objectContaining({ name: 'c', ready: true, restartCount: 0, state: { running: { startedAt: expect.any(String) as unknown } } })]);
    expect(status().status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    s.t.advance(2_000);
    expect(status().status?.containerStatuses).toEqual([expect.objectContaining({ ready: false, state: { terminated: expect.objectContaining({ exitCode: 0, reason: 'Completed' }) as unknown } })]);
    expect(status().status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
  });

  it('leave pods bound to unknown nodes alone, and forget deleted pods', () => {
    const s = setup();
    s.create('elsewhere');
    s.bind('elsewhere', 'node-9');
    s.create('gone');
    s.bind('gone');
    s.api.request({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/gone', query: {} });
    s.t.advance(START_DELAY_MS);
    expect(s.phase('elsewhere')).toBe('Pending');
    expect(s.t.pending.size).toBe(0);
  });
});

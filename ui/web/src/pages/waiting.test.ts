import { describe, expect, it } from 'vitest';
import type { Application, PendingList } from '../api/model.js';
import { indexPending, reasonLabel, waitingFor } from './waiting.js';

const app = (id: string, extra: Partial<Application> = {}): Application => ({
  id,
  queue: 'root.a',
  state: 'Accepted',
  user: 'alice',
  groups: [],
  used: {},
  pending: {},
  submittedAt: undefined,
  finishedAt: undefined,
  allocations: [],
  taskGroups: [],
  requests: [],
  rejectedMessage: undefined,
  stateLog: [],
  ...extra,
});

const ask = (applicationId: string, code: string | null, message = `${code ?? ''} message`) => ({
  allocationKey: `${applicationId}-${Math.random()}`,
  applicationId,
  queue: 'root.a',
  user: 'alice',
  resource: {},
  requestedAt: undefined,
  reason: code === null ? undefined : { code, message },
});

describe('why an application waits', () => {
  it('groups its asks by reason, the most specific first', () => {
    const list: PendingList = { total: 4, byReason: {}, asks: [ask('a', 'InsufficientCapacity'), ask('a', 'QueueQuotaExceeded', 'queue root.a is full'), ask('a', 'QueueQuotaExceeded'), ask('b', null)] };
    const index = indexPending(list);
    expect(waitingFor(app('a'), index)).toEqual([
      { code: 'QueueQuotaExceeded', message: 'queue root.a is full', asks: 2 },
      { code: 'InsufficientCapacity', message: 'InsufficientCapacity message', asks: 1 },
    ]);
    expect(waitingFor(app('b'), index).map((g) => reasonLabel(g.code))).toEqual(['Not considered yet']);
    expect(waitingFor(app('c'), index)).toEqual([]);
  });

  it('falls back to the reasons on the requests without the pending list, and says why a rejected one was', () => {
    const waiting = app('a', { requests: [{ key: 'k', resource: {}, requestedAt: undefined, reason: { code: 'UserQuotaExceeded', message: 'user alice is at her limit' }, preempting: false, role: undefined, taskGroup: undefined, placeholder: false, originator: false }] });
    expect(waitingFor(waiting, undefined)).toEqual([{ code: 'UserQuotaExceeded', message: 'user alice is at her limit', asks: 1 }]);
    expect(waitingFor(app('r', { state: 'Rejected', rejectedMessage: 'no queue' }), undefined)[0]?.message).toBe('no queue');
  });
});

import { describe, expect, it } from 'vitest';
import { asTable, humanDuration, wantsTable } from './tables.js';

const now = new Date('2026-01-10T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
type Table = { kind: string; columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[]; object: { metadata: Record<string, unknown> } }[] };

describe('server-side printing', () => {
  it.each([
    { name: 'seconds below two minutes', seconds: 119, text: '119s' },
    { name: 'minutes and seconds below ten minutes', seconds: 200, text: '3m20s' },
    { name: 'whole minutes', seconds: 240, text: '4m' },
    { name: 'minutes below three hours', seconds: 45 * 60, text: '45m' },
    { name: 'hours and minutes below eight hours', seconds: 5 * 3600 + 30 * 60, text: '5h30m' },
    { name: 'hours below two days', seconds: 30 * 3600, text: '30h' },
    { name: 'days and hours below eight days', seconds: (3 * 24 + 4) * 3600, text: '3d4h' },
    { name: 'days', seconds: 20 * 86400, text: '20d' },
    { name: 'a clock a second ahead', seconds: -1, text: '0s' },
  ])('writes ages as Kubernetes does: $name', ({ seconds, text }) => {
    expect(humanDuration(seconds * 1000)).toBe(text);
  });

  it('answers only an Accept header that asks for a meta.k8s.io Table', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });

  it("prints pods with kubectl's READY, STATUS and RESTARTS, and their metadata for -A and --show-labels", () => {
    const pod = (name: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      metadata: { name, namespace: 'ml', labels: { 'spark-role': 'driver' }, creationTimestamp: ago(90), ...extra },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'node-1' },
      status,
    });
    const running = { name: 'a', ready: true, restartCount: 1, state: { running: {} } };
    const list = {
      kind: 'PodList',
      metadata: { resourceVersion: '42' },
      items: [
        pod('waiting', { phase: 'Pending' }),
        pod('half', { phase: 'Running', containerStatuses: [running, { name: 'b', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
        pod('done', { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
        pod('leaving', { phase: 'Running', containerStatuses: [running] }, { deletionTimestamp: ago(1) }),
      ],
    };
    const table = asTable(list, now) as Table;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.rows.map((r) => r.cells.slice(0, 5))).toEqual([
      ['waiting', '0/2', 'Pending', 0, '90s'],
      ['half', '1/2', 'CrashLoopBackOff', 3, '90s'],
      ['done', '0/2', 'Completed', 0, '90s'],
      ['leaving', '1/2', 'Terminating', 1, '90s'],
    ]);
    expect(table.rows[0]?.cells[6]).toBe('node-1');
    expect(table.rows[0]?.object.metadata).toMatchObject({ namespace: 'ml', labels: { 'spark-role': 'driver' } });
  });

  it('prints one object, a kind without its own printer, and watch rows without the columns', () => {
    const node = { kind: 'Node', metadata: { name: 'n', creationTimestamp: ago(600), labels: { 'node-role.kubernetes.io/gpu': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.0' } } };
    expect((asTable(node, now) as Table).rows[0]?.cells.slice(0, 5)).toEqual(['n', 'Ready,SchedulingDisabled', 'gpu', '10m', 'v1.30.0']);
    expect((asTable({ kind: 'Widget', metadata: { name: 'w', creationTimestamp: ago(5) } }, now) as Table).rows[0]?.cells).toEqual(['w', '5s']);
    expect((asTable(node, now, false) as Table).columnDefinitions).toEqual([]);
  });
});

/**
 * Nodes through the port: NodeDAOInfo with occupied resources, what is left, the allocations on the node
 * and a reservation.
 */
import { describe, expect, it } from 'vitest';
import type { NodeDao } from './dao.js';
import { nodeView, nodesView } from './nodes.js';
import { GiB, OPEN, T0, harness, json } from './test-helpers.js';

const S = 1e9;

describe('nodeView', () => {
  it('gives NodeDAOInfo with what is left and the allocations on it', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 8, { occupied: { vcore: 500, memory: GiB }, labels: { 'kubernetes.io/hostname': 'host-1', zone: 'a' } });
    h.app('x', 'root.a');
    h.clock.ms = 2_000;
    h.ask('x1', 'x', { vcore: 1000, memory: 2 * GiB }, 4);
    h.clock.ms = 3_000;
    h.s.schedule();
    expect(json(nodeView(h.partition(), 'n1'))).toEqual({
      nodeID: 'n1',
      hostName: 'host-1',
      rackName: '/rack-default',
      attributes: { 'kubernetes.io/hostname': 'host-1', zone: 'a' },
      capacity: { memory: 8 * GiB, pods: 110, vcore: 4000 },
      allocated: { memory: 2 * GiB, pods: 1, vcore: 1000 },
      occupied: { memory: GiB, vcore: 500 },
      available: { memory: 5 * GiB, pods: 109, vcore: 2500 }, // capacity - occupied - allocated
      utilized: { memory: 25, pods: 0, vcore: 25 }, // allocated only: 2 of 8 GiB, 1 of 110, 1 of 4 cores
      allocations: [
        {
          allocationKey: 'x1',
          requestTime: 2 * S,
          allocationTime: 3 * S,
          allocationDelay: 1 * S,
          resource: { memory: 2 * GiB, pods: 1, vcore: 1000 },
          priority: '4',
          nodeId: 'n1',
          applicationId: 'x',
        },
      ],
      schedulable: true,
      isReserved: false,
    });
    expect(nodeView(h.partition(), 'n9')).toBeNull();
  });

  it('shows the reservation that keeps a node free', () => {
    const h = harness(OPEN());
    h.node('n1', 2, 8);
    h.node('n2', 1, 8, { schedulable: false });
    h.app('x', 'root.a');
    h.app('y', 'root.b');
    h.ask('x1', 'x', { vcore: 1500 });
    h.ask('y1', 'y', { vcore: 1000 });
    h.s.schedule();
    h.clock.ms = T0 + 2_000;
    h.s.schedule(); // y1 waited 2 s without room: it reserves n1
    const nodes = json(nodesView(h.partition())) as NodeDao[];
    expect(nodes.map((n) => [n.nodeID, n.schedulable, n.isReserved, n.reservations])).toEqual([
      ['n1', true, true, ['y1']],
      ['n2', false, false, undefined],
    ]);
    // nothing allocated on n2: no allocated, utilized or allocations fields
    expect(Object.keys(nodes[1] ?? {})).toEqual(['nodeID', 'hostName', 'rackName', 'capacity', 'available', 'schedulable', 'isReserved']);
  });

  it('drops usage that went back to zero', () => {
    const h = harness(OPEN());
    h.node('n1', 2, 8);
    h.app('x', 'root.a');
    h.ask('x1', 'x', { vcore: 1000 });
    h.s.schedule();
    h.release('x1');
    const n1 = nodeView(h.partition(), 'n1');
    expect(n1).not.toHaveProperty('allocated');
    expect(n1).not.toHaveProperty('utilized');
    expect(n1?.available).toEqual({ memory: 8 * GiB, pods: 110, vcore: 2000 });
  });
});

/**
 * Shared by the tests that drive the core through its port: a scheduler with a fake clock and a
 * callback that records what the core reports (placements, pending reasons, application states).
 */
import { expect } from 'vitest';
import { mustLoad } from '../config/test-helpers.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../port.js';
import type { ApplicationState, PendingReason, ResourceManagerCallback } from '../port.js';
import type { Resource } from '../resources/resource.js';
import type { Partition } from './partition.js';
import { createScheduler } from './scheduler.js';

export const GiB = 2 ** 30;

export function harness(yaml: string, options: { readonly start?: number; readonly fits?: ResourceManagerCallback['fits'] } = {}) {
  const clock = { ms: options.start ?? 0, now() { return this.ms; } };
  const placed = new Map<string, string>();
  const reasons = new Map<string, PendingReason>();
  const states = new Map<string, ApplicationState>();
  const messages = new Map<string, string | null>();
  const callback: ResourceManagerCallback = {
    allocated: (a) => placed.set(a.allocationKey, a.nodeId),
    askPending: (k, r) => reasons.set(k, r),
    applicationStateChanged: (id, _from, to, message) => {
      states.set(id, to);
      messages.set(id, message);
    },
    ...(options.fits === undefined ? {} : { fits: options.fits }),
  };
  const s = createScheduler(mustLoad(yaml), { clock, callback });
  const node = (name: string, vcore: number, memGi: number, extra: { schedulable?: boolean; occupied?: Resource; labels?: Record<string, string> } = {}) =>
    s.addNode({
      nodeId: asNodeId(name),
      capacity: { vcore: vcore * 1000, memory: memGi * GiB, pods: 110 },
      schedulable: extra.schedulable ?? true,
      ...(extra.occupied === undefined ? {} : { occupied: extra.occupied }),
      ...(extra.labels === undefined ? {} : { labels: extra.labels }),
    });
  const app = (id: string, queue?: string, user = 'alice', groups: string[] = [], namespace = 'default') =>
    s.addApplication({ applicationId: asApplicationId(id), user: { user, groups }, tags: { namespace }, ...(queue === undefined ? {} : { queue }) });
  const ask = (key: string, appId: string, resource: Resource, priority = 0) =>
    s.addAsk({ allocationKey: asAllocationKey(key), applicationId: asApplicationId(appId), resource: { pods: 1, ...resource }, priority });
  const release = (key: string) => s.releaseAllocation(asAllocationKey(key));
  const removeAsk = (key: string) => s.removeAsk(asAllocationKey(key));
  const partition = (): Partition => {
    const p = s.partition('default');
    if (p === undefined) return expect.fail('no default partition');
    return p;
  };
  return { s, clock, node, app, ask, release, removeAsk, partition, placed, reasons, states, messages };
}

/** A partition whose root anyone may submit to, with `provided` placement creating queues. */
export const OPEN = (queues = '          - {name: a}\n          - {name: b}\n', extra = '') => `
partitions:
  - placementrules: [{name: provided, create: true}]
${extra}    queues:
      - name: root
        submitacl: "*"
        queues:
${queues}`;

/**
 * Shared by the read-model tests: a scheduler driven through its port (the harness of
 * scheduler.test.ts), with a fake clock that starts at 1 s so that every time is non-zero and survives
 * `omitempty`, and a JSON round trip to assert on what the REST layer would actually send.
 */
import { expect } from 'vitest';
import { mustLoad } from '../config/test-helpers.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../port.js';
import type { ResourceManagerCallback } from '../port.js';
import type { Resource } from '../resources/resource.js';
import type { Partition } from '../scheduler/partition.js';
import { createScheduler } from '../scheduler/scheduler.js';

export const GiB = 2 ** 30;
/** The fake clock's start, in ms: 1 s after the epoch. */
export const T0 = 1_000;

export function harness(yaml: string) {
  const clock = { ms: T0, now() { return this.ms; } };
  const callback: ResourceManagerCallback = { allocated: () => undefined, askPending: () => undefined, applicationStateChanged: () => undefined };
  const s = createScheduler(mustLoad(yaml), { clock, callback });
  const node = (name: string, vcore: number, memGi: number, extra: { schedulable?: boolean; occupied?: Resource; labels?: Record<string, string> } = {}) =>
    s.addNode({
      nodeId: asNodeId(name),
      capacity: { vcore: vcore * 1000, memory: memGi * GiB, pods: 110 },
      schedulable: extra.schedulable ?? true,
      ...(extra.occupied === undefined ? {} : { occupied: extra.occupied }),
      ...(extra.labels === undefined ? {} : { labels: extra.labels }),
    });
  const app = (id: string, queue?: string, user = 'alice', groups: string[] = []) =>
    s.addApplication({ applicationId: asApplicationId(id), user: { user, groups }, tags: { namespace: 'default' }, ...(queue === undefined ? {} : { queue }) });
  const ask = (key: string, appId: string, resource: Resource, priority = 0) =>
    s.addAsk({ allocationKey: asAllocationKey(key), applicationId: asApplicationId(appId), resource: { pods: 1, ...resource }, priority });
  const release = (key: string) => s.releaseAllocation(asAllocationKey(key));
  const removeAsk = (key: string) => s.removeAsk(asAllocationKey(key));
  const partition = (): Partition => {
    const p = s.partition('default');
    if (p === undefined) return expect.fail('no default partition');
    return p;
  };
  return { s, clock, node, app, ask, release, removeAsk, partition };
}

/** What the REST layer sends: the view through JSON.stringify and back. */
export function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
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

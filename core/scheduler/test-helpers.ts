/**
 * Shared by the tests that drive the core through its port: a scheduler with a fake clock and a
 * callback that records what the core reports (placements, pending reasons, application states).
 */
import { expect } from 'vitest';
import { mustLoad } from '../config/test-helpers.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../port.js';
import type { Allocation, ApplicationState, AskInfo, Gang, PendingReason, ReleaseRequest, ResourceManagerCallback } from '../port.js';
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
  const allocations: Allocation[] = [];
  const releases: ReleaseRequest[] = [];
  const callback: ResourceManagerCallback = {
    allocated: (a) => {
      placed.set(a.allocationKey, a.nodeId);
      allocations.push(a);
    },
    release: (r) => releases.push(r),
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
  /** An ask with any of AskInfo's optional fields (placeholder, taskGroup, role, requiredNode, ...). */
  const askWith = (key: string, appId: string, resource: Resource, extra: Partial<Omit<AskInfo, 'allocationKey' | 'applicationId' | 'resource'>> = {}) =>
    s.addAsk({ priority: 0, ...extra, allocationKey: asAllocationKey(key), applicationId: asApplicationId(appId), resource: { pods: 1, ...resource } });
  const gangApp = (id: string, queue: string, gang: Gang, user = 'alice') => s.addApplication({ applicationId: asApplicationId(id), user: { user, groups: [] }, tags: { namespace: 'default' }, queue, gang });
  /** The resource manager's side of a release request: the pod is gone (an ask never placed needs nothing). */
  const honourReleases = () => {
    const todo = releases.splice(0);
    for (const r of todo) s.releaseAllocation(r.allocationKey);
    return todo;
  };
  const release = (key: string) => s.releaseAllocation(asAllocationKey(key));
  const removeAsk = (key: string) => s.removeAsk(asAllocationKey(key));
  const partition = (): Partition => {
    const p = s.partition('default');
    if (p === undefined) return expect.fail('no default partition');
    return p;
  };
  return { s, clock, node, app, ask, askWith, gangApp, honourReleases, release, removeAsk, partition, placed, reasons, states, messages, allocations, releases };
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

/**
 * The simulator: a resource manager that drives the real core from a scenario, tick by tick, as the
 * shim drives it from Kubernetes. Each tick (../shared/specs/simulate.md, "One tick"):
 *   1. the events of the tick, in order;
 *   2. pods whose run time is over succeed, pods deleted at this tick go;
 *   3. pods submitted at this tick pass admission (the webhook's own decision) and reach the core;
 *   4. the core schedules until nothing more fits.
 */
import type { DroverConfig } from '../core/config/model.js';
import { asAllocationKey, asApplicationId, asNodeId } from '../core/port.js';
import type { AllocationKey, ApplicationId, ApplicationState, NodeInfo, PendingReason, ReleaseRequest, ResourceManagerCallback } from '../core/port.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { admit, podResources, nodeCapacity, ALLOW_PREEMPTION_ANNOTATION } from './adapters.js';
import { readGang, taskGroupName } from '../shim/gang/task-groups.js';
import type { AdmissionSettingsFor } from './adapters.js';
import type { Scenario, ScenarioNode, ScenarioPod } from './scenario.js';
import { MAX_TICKS } from './scenario.js';

export type PodState = 'Pending' | 'Bound' | 'Succeeded' | 'Deleted' | 'Preempted' | 'Rejected' | 'NotManaged';

export interface PodRun {
  readonly spec: ScenarioPod;
  readonly key: AllocationKey;
  /** Not submitted yet: null. */
  state: PodState | null;
  applicationId: ApplicationId | null;
  queue: string | null;
  node: string | null;
  boundAt: number | null;
  reason: PendingReason | null;
}

export interface AppRun {
  readonly applicationId: ApplicationId;
  readonly partition: string;
  readonly user: string;
  state: ApplicationState;
  message: string | null;
}

export interface SimulationResult {
  readonly ticks: number;
  readonly pods: readonly PodRun[];
  readonly applications: readonly AppRun[];
  readonly scheduler: Scheduler;
  /** Configuration updates that were rejected, with their tick. */
  readonly rejectedUpdates: readonly { readonly at: number; readonly message: string }[];
}

class Clock {
  ms = 0;
  now(): number {
    return this.ms;
  }
}

function toNodeInfo(n: ScenarioNode, schedulable = !n.unschedulable): NodeInfo {
  return { nodeId: asNodeId(n.name), capacity: nodeCapacity(n.allocatable), schedulable, labels: n.labels };
}

export function simulate(scenario: Scenario, config: DroverConfig, admission: AdmissionSettingsFor): SimulationResult {
  const clock = new Clock();
  const pods = scenario.pods.map((spec): PodRun => ({ spec, key: asAllocationKey(`${spec.namespace}/${spec.name}`), state: null, applicationId: null, queue: null, node: null, boundAt: null, reason: null }));
  const byKey = new Map(pods.map((p) => [p.key as string, p]));
  const apps = new Map<ApplicationId, AppRun>();
  /** What the core asked to remove, done after each scheduling pass as the shim would. */
  const releases: ReleaseRequest[] = [];
  const nodeSpecs = new Map(scenario.nodes.map((n) => [n.name, n]));
  let tick = 0;
  let changed: boolean;

  const callback: ResourceManagerCallback = {
    allocated(a) {
      const pod = byKey.get(a.allocationKey);
      if (pod === undefined) return;
      pod.state = 'Bound';
      pod.node = a.nodeId;
      pod.boundAt = tick;
      pod.reason = null;
      changed = true;
    },
    applicationStateChanged(id, _from, to, message) {
      const app = apps.get(id);
      if (app === undefined) return;
      app.state = to;
      app.message = message;
      changed = true;
      if (to === 'Rejected') {
        for (const pod of pods) {
          if (pod.applicationId !== id || pod.state !== 'Pending') continue;
          pod.state = 'Rejected';
          pod.reason = { code: 'ApplicationRejected', message: message ?? 'the application was rejected' };
        }
      }
    },
    release(request) {
      releases.push(request);
    },
    askPending(key, reason) {
      const pod = byKey.get(key);
      if (pod === undefined || pod.state !== 'Pending') return;
      pod.reason = reason;
      if (reason.code === 'ApplicationRejected') pod.state = 'Rejected';
    },
  };

  const scheduler = createScheduler(config, { clock, callback });
  for (const n of scenario.nodes) scheduler.addNode(toNodeInfo(n));
  const namespaces = new Map(scenario.namespaces.map((n) => [n.name, n]));
  const rejectedUpdates: { at: number; message: string }[] = [];

  const applyEvents = (t: number): void => {
    for (const e of scenario.events) {
      if (e.at !== t) continue;
      changed = true;
      switch (e.action) {
        case 'cordon':
        case 'uncordon': {
          const spec = nodeSpecs.get(e.node);
          if (spec !== undefined) scheduler.updateNode(toNodeInfo(spec, e.action === 'uncordon'));
          break;
        }
        case 'removeNode': {
          nodeSpecs.delete(e.node);
          for (const pod of pods) if (pod.state === 'Bound' && pod.node === e.node) pod.state = 'Deleted';
          scheduler.removeNode(asNodeId(e.node));
          break;
        }
        case 'addNode':
          nodeSpecs.set(e.node.name, e.node);
          scheduler.addNode(toNodeInfo(e.node));
          break;
        case 'updateConfig': {
          const r = scheduler.updateConfig(e.queues);
          if (!r.ok) rejectedUpdates.push({ at: t, message: r.message });
          break;
        }
      }
    }
  };

  const finishPods = (t: number): void => {
    for (const pod of pods) {
      if (pod.state === 'Bound' && pod.spec.runFor !== null && pod.boundAt !== null && pod.boundAt + pod.spec.runFor <= t) {
        pod.state = 'Succeeded';
        scheduler.releaseAllocation(pod.key);
        changed = true;
      }
      if (pod.spec.deleteAt === t && (pod.state === null || pod.state === 'Pending' || pod.state === 'Bound')) {
        if (pod.state === 'Bound') scheduler.releaseAllocation(pod.key);
        else if (pod.state === 'Pending') scheduler.removeAsk(pod.key);
        pod.state = 'Deleted';
        pod.reason = null;
        changed = true;
      }
    }
  };

  const submitPods = (t: number): void => {
    for (const pod of pods) {
      if (pod.state !== null || pod.spec.submitAt !== t) continue;
      changed = true;
      const decision = admit(pod.spec, namespaces.get(pod.spec.namespace) ?? null, admission);
      if (!decision.managed) {
        pod.state = 'NotManaged';
        continue;
      }
      pod.state = 'Pending';
      pod.applicationId = asApplicationId(decision.applicationId);
      // The first pod of an application creates it (its originator), with its task groups if any.
      const originator = !apps.has(pod.applicationId);
      if (originator) {
        const partition = config.partitions[0]?.name ?? 'default';
        apps.set(pod.applicationId, { applicationId: pod.applicationId, partition, user: decision.user.user, state: 'New', message: null });
        const { gang } = readGang(pod.spec.annotations);
        scheduler.addApplication({ applicationId: pod.applicationId, user: decision.user, tags: decision.tags, ...(decision.queue === null ? {} : { queue: decision.queue }), ...(gang === null ? {} : { gang }) });
        // The placeholders the shim would create as pods: asks of their own, not pods of the scenario.
        for (const tg of gang?.taskGroups ?? []) {
          for (let i = 0; i < tg.minMember; i++) {
            scheduler.addAsk({ allocationKey: asAllocationKey(`${pod.spec.namespace}/tg-${pod.applicationId}-${tg.name}-${i}`), applicationId: pod.applicationId, resource: tg.minResource, priority: pod.spec.priority, placeholder: true, taskGroup: tg.name });
          }
        }
      }
      const app = apps.get(pod.applicationId);
      if (app?.state === 'Rejected') {
        pod.state = 'Rejected';
        pod.reason = { code: 'ApplicationRejected', message: app.message ?? 'the application was rejected' };
        continue;
      }
      const group = taskGroupName(pod.spec.annotations);
      scheduler.addAsk({
        allocationKey: pod.key,
        applicationId: pod.applicationId,
        resource: podResources(pod.spec.requests),
        priority: pod.spec.priority,
        ...(decision.role === null ? {} : { role: decision.role }),
        ...(group === null ? {} : { taskGroup: group }),
        ...(originator ? { originator: true } : {}),
        ...(pod.spec.annotations[ALLOW_PREEMPTION_ANNOTATION] === 'false' ? { allowPreemption: false } : {}),
      });
    }
  };

  /**
   * Schedule until nothing more happens in this tick: what the core asks to remove (preemption
   * victims, placeholders) goes at once, and the room it leaves is scheduled again.
   */
  const scheduleTick = (): void => {
    scheduler.schedule();
    for (let round = 0; releases.length > 0 && round < 1_000; round++) {
      for (const r of releases.splice(0)) {
        const pod = byKey.get(r.allocationKey);
        if (pod !== undefined && pod.state === 'Bound') {
          pod.state = 'Preempted';
          pod.reason = null;
        }
        scheduler.releaseAllocation(r.allocationKey);
      }
      changed = true;
      scheduler.schedule();
    }
  };

  const future = (t: number): boolean =>
    scheduler.nextDeadline() !== null ||
    pods.some((p) => (p.state === null && p.spec.submitAt > t) || (p.spec.deleteAt !== null && p.spec.deleteAt > t && p.state !== 'Deleted') || (p.state === 'Bound' && p.spec.runFor !== null)) ||
    scenario.events.some((e) => e.at > t) ||
    [...apps.values()].some((a) => a.state === 'Completing');

  const limit = scenario.ticks ?? MAX_TICKS;
  let ran = 0;
  for (tick = 0; tick < limit; tick++) {
    changed = false;
    clock.ms = tick * scenario.tickSeconds * 1000;
    applyEvents(tick);
    finishPods(tick);
    submitPods(tick);
    scheduleTick();
    for (const pod of pods) if (pod.state === 'Pending' && pod.applicationId !== null && apps.get(pod.applicationId)?.state === 'Rejected') pod.state = 'Rejected';
    ran = tick + 1;
    if (scenario.ticks === null && !changed && !future(tick)) break;
  }
  return { ticks: ran, pods, applications: [...apps.values()], scheduler, rejectedUpdates };
}

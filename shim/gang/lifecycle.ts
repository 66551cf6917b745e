/**
 * Gang scheduling on the Kubernetes side. The core decides; this file does what Kubernetes needs:
 *
 *   first pod of an application    its originator; its task groups become ApplicationInfo.gang (an
 *                                  unreadable annotation: a Warning event listing each problem by path)
 *   application accepted, leading  the placeholder pods are created, once (deterministic names: a
 *                                  409 means another replica or an earlier run made it)
 *   core releases placeholders     they are deleted; one event on the originator says how many and why
 *   originator gone, nothing else  the placeholders left are deleted
 *   start of leading               placeholders whose owner pod is gone are deleted (the garbage
 *                                  collector would, where one runs; this holds without it)
 *
 * Placeholders are never created for an application whose pods already run (found so at a restart),
 * nor once the application failed, was rejected or finished.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { asAllocationKey } from '../../core/port.js';
import type { AllocationKey, ApplicationId, ApplicationInfo, ApplicationState, ReleaseRequest } from '../../core/port.js';
import { retriable, statusOf } from '../dispatcher.js';
import type { Removal } from '../removal.js';
import { NotLeading, podName } from '../tracked.js';
import type { ShimWriter, Tracked } from '../tracked.js';
import { placeholdersFor } from './placeholders.js';
import { describeProblems, GANG_ANNOTATION, isPlaceholder, readGang, readTaskGroups } from './task-groups.js';
import type { GangProblem, TaskGroupSpec } from './task-groups.js';

export interface GangDeps extends ShimWriter {
  readonly removal: Removal;
  readonly schedulerName: string;
  /** The placeholder image (`service.placeholderImage`). */
  readonly image: () => string;
  /** The queue the core placed the application in, if any. */
  readonly queueOf: (appId: ApplicationId) => string | null;
  readonly now?: () => number;
}

export interface Gangs {
  /** The first pod of a new application: its gang (problems reported) and its originator. */
  newApplication(pod: V1Pod, info: ApplicationInfo, recovering: boolean): ApplicationInfo;
  isOriginator(pod: V1Pod, appId: ApplicationId): boolean;
  hasGang(appId: ApplicationId): boolean;
  stateChanged(appId: ApplicationId, to: ApplicationState): void;
  /** Every cycle: while leading, create the placeholders wanted and (once per leadership) delete orphans. */
  reconcile(leading: boolean): void;
  /** The core no longer wants this placeholder (any release but a preemption). */
  released(request: ReleaseRequest): void;
  /** A pod of drover's is gone or finished (already out of the books). */
  podGone(key: AllocationKey, entry: Tracked): void;
}

type Phase = 'wanted' | 'creating' | 'created' | 'done';

interface GangRecord {
  readonly appId: ApplicationId;
  /** The originator's key (its uid) and, when seen, the pod. */
  readonly originatorKey: AllocationKey;
  readonly originator: V1Pod | null;
  readonly groups: readonly TaskGroupSpec[];
  phase: Phase;
  attempts: number;
  retryAt: number;
  reportedFailure: boolean;
}

const ENDED: ReadonlySet<ApplicationState> = new Set(['Rejected', 'Failing', 'Failed', 'Completing', 'Completed', 'Expired']);
const isPlaceholderPod = (pod: V1Pod): boolean => isPlaceholder(pod.metadata?.annotations ?? {}, pod.metadata?.labels ?? {});
const ownerUid = (pod: V1Pod): string | null => pod.metadata?.ownerReferences?.find((r) => r.kind === 'Pod' && r.apiVersion === 'v1')?.uid ?? null;
const MAX_CREATE_RETRY_MS = 60_000;

export function createGangs(d: GangDeps): Gangs {
  const now = d.now ?? (() => Date.now());
  const records = new Map<ApplicationId, GangRecord>();
  const originators = new Map<ApplicationId, string>();
  const states = new Map<ApplicationId, ApplicationState>();
  const tally = new Map<string, { appId: ApplicationId; kind: ReleaseRequest['kind']; message: string; count: number }>();
  let orphansChecked = false;

  const report = (pod: V1Pod, problems: readonly GangProblem[], gangUsed: boolean): void => {
    const annotationOf = (p: GangProblem) => (p.path.includes(GANG_ANNOTATION.schedulingPolicyParameters) ? 'policy' : 'groups');
    const groups = problems.filter((p) => annotationOf(p) === 'groups');
    const policy = problems.filter((p) => annotationOf(p) === 'policy');
    if (groups.length > 0) d.reporter.podEvent(pod, 'Warning', 'InvalidTaskGroups', `${describeProblems(groups)}; ${gangUsed ? 'the rest of the task groups apply' : 'the application is scheduled without gang scheduling'}`);
    if (policy.length > 0) d.reporter.podEvent(pod, 'Warning', 'InvalidSchedulingPolicy', `${describeProblems(policy)}; the defaults apply to those`);
  };

  const originatorPod = (rec: GangRecord): V1Pod | null => rec.originator ?? d.pods.get(rec.originatorKey)?.pod ?? null;

  const create = (rec: GangRecord): void => {
    const state = states.get(rec.appId);
    if (state !== 'Accepted' && state !== 'Running') return;
    const origin = d.pods.get(rec.originatorKey);
    // The originator gone or placed, or a pod of the application placed: the gang is past reserving.
    const started = origin === undefined || origin.state !== 'pending' || [...d.pods.values()].some((t) => t.app === rec.appId && t.state !== 'pending' && !isPlaceholderPod(t.pod));
    if (started) {
      rec.phase = 'done';
      return;
    }
    rec.phase = 'creating';
    const bodies = placeholdersFor({ originator: origin.pod, applicationId: rec.appId, queue: d.queueOf(rec.appId), schedulerName: d.schedulerName, image: d.image() }, rec.groups);
    const namespace = origin.pod.metadata?.namespace ?? 'default';
    const sends = bodies.map((body) => d.dispatcher.submit('bind', () => (d.leading() ? d.core.createNamespacedPod({ namespace, body }) : Promise.reject(new NotLeading()))));
    void Promise.allSettled(sends).then((results) => {
      if (rec.phase !== 'creating') return;
      const failures = results.flatMap((r) => (r.status === 'rejected' && statusOf(r.reason) !== 409 ? [r.reason as unknown] : []));
      if (failures.length === 0) {
        rec.phase = 'created';
        d.logger.info({ appId: rec.appId, placeholders: bodies.length }, 'placeholders created');
        return;
      }
      rec.phase = 'wanted';
      rec.retryAt = now() + Math.min(MAX_CREATE_RETRY_MS, 1000 * 2 ** rec.attempts++);
      const lasting = failures.find((f) => !(f instanceof NotLeading) && !retriable(f));
      d.logger.warn({ appId: rec.appId, failed: failures.length, of: bodies.length, error: String(failures[0]) }, 'placeholders not created; trying again');
      if (lasting !== undefined && !rec.reportedFailure && d.leading()) {
        rec.reportedFailure = true;
        d.reporter.podEvent(origin.pod, 'Warning', 'PlaceholderCreationFailed', `${failures.length} of ${bodies.length} placeholder pods could not be created: ${lasting instanceof Error ? lasting.message : JSON.stringify(lasting)}`);
      }
    });
  };

  /** Placeholders whose owner pod is no longer there (or finished). */
  const deleteOrphans = (): void => {
    const live = new Set<string>();
    for (const t of d.pods.values()) if (!isPlaceholderPod(t.pod)) live.add(t.pod.metadata?.uid ?? '');
    for (const [key, t] of d.pods) {
      const owner = isPlaceholderPod(t.pod) ? ownerUid(t.pod) : null;
      if (owner === null || live.has(owner)) continue;
      d.logger.info({ podName: podName(t.pod), appId: t.app }, 'placeholder without its owner pod; deleting it');
      void d.removal.remove(key);
    }
  };

  const flushTally = (): void => {
    for (const { appId, kind, message, count } of tally.values()) {
      const rec = records.get(appId);
      const pod = rec === undefined ? null : originatorPod(rec);
      if (pod === null) continue;
      const type = kind === 'GangFailed' || kind === 'GangAbandoned' ? 'Warning' : 'Normal';
      d.reporter.podEvent(pod, type, kind, `${count} placeholder pod${count === 1 ? '' : 's'} released: ${message}`);
    }
    tally.clear();
  };

  return {
    newApplication(pod, info, recovering) {
      const annotations = pod.metadata?.annotations ?? {};
      const placeholder = isPlaceholderPod(pod);
      // A placeholder seen first (its originator already gone): the application's originator is its owner.
      const originator = (placeholder ? ownerUid(pod) : pod.metadata?.uid) ?? '';
      originators.set(info.applicationId, originator);
      const { gang, problems } = readGang(annotations);
      if (problems.length > 0 && !placeholder && d.leading()) report(pod, problems, gang !== null);
      if (gang === null) return info;
      const groups = readTaskGroups(annotations).groups ?? [];
      records.set(info.applicationId, {
        appId: info.applicationId,
        originatorKey: asAllocationKey(originator),
        originator: placeholder ? null : pod,
        groups,
        phase: placeholder ? 'created' : recovering ? 'done' : 'wanted',
        attempts: 0,
        retryAt: 0,
        reportedFailure: false,
      });
      return { ...info, gang };
    },

    isOriginator: (pod, appId) => !isPlaceholderPod(pod) && originators.get(appId) === pod.metadata?.uid,
    hasGang: (appId) => records.has(appId),

    stateChanged(appId, to) {
      states.set(appId, to);
      const rec = records.get(appId);
      if (rec !== undefined && ENDED.has(to)) rec.phase = 'done';
      if (to === 'Expired') {
        records.delete(appId);
        originators.delete(appId);
        states.delete(appId);
      }
    },

    reconcile(leading) {
      if (!leading) {
        orphansChecked = false;
        return;
      }
      if (!orphansChecked) {
        orphansChecked = true;
        deleteOrphans();
      }
      const t = now();
      for (const rec of records.values()) if (rec.phase === 'wanted' && t >= rec.retryAt) create(rec);
    },

    released(request) {
      if (!d.pods.has(request.allocationKey)) return;
      void d.removal.remove(request.allocationKey);
      // The core releases a gang's placeholders in one go: one event for all of them, on the originator.
      const id = `${request.applicationId}\u0000${request.kind}\u0000${request.message}`;
      const entry = tally.get(id);
      if (entry !== undefined) entry.count++;
      else {
        if (tally.size === 0) setImmediate(flushTally);
        tally.set(id, { appId: request.applicationId, kind: request.kind, message: request.message, count: 1 });
      }
    },

    podGone(key, entry) {
      if (isPlaceholderPod(entry.pod)) return;
      const rec = records.get(entry.app);
      if (rec?.originatorKey !== key) return;
      for (const t of d.pods.values()) if (t.app === entry.app && !isPlaceholderPod(t.pod)) return;
      // The originator went and nothing else of the application is left: its placeholders wait for nothing.
      rec.phase = 'done';
      if (!d.leading()) return;
      let n = 0;
      for (const [k, t] of d.pods) {
        if (t.app !== entry.app) continue;
        void d.removal.remove(k);
        n++;
      }
      if (n > 0) d.logger.info({ appId: entry.app, placeholders: n }, 'originator gone; deleting its placeholders');
    },
  };
}

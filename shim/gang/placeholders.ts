/**
 * The placeholder pods of a gang, built (not sent): one per member of each task group, owned by the
 * application's originator pod, asking for exactly the group's minResource. Pure, so the shape is
 * tested without a cluster and creation can be repeated safely.
 *
 * Names are deterministic, so that creating them again (after a restart, or by another replica) finds
 * the same pods (409 AlreadyExists means done): YuniKorn's shape `tg-<appId>-<taskGroup>-<suffix>`
 * (k8shim's `GeneratePlaceholderName`: the application id cut to 28 characters, the group to 20),
 * where YuniKorn's random 10-character suffix is here a hash of the originator's uid, the full
 * application id, the group and the member's index. Every part is reduced to what a DNS label allows,
 * so a name is always a valid pod name of at most 63 characters; the hash keeps names distinct when
 * the cut or the reduction makes two ids look alike.
 *
 * The pod is what k8shim's `newPlaceholder` makes (labels, annotations, owner, priority class,
 * requests = limits, the group's node selector, tolerations, affinity and spread constraints,
 * restartPolicy Never, no grace period), with Pod Security's restricted profile on top.
 */
import { createHash } from 'node:crypto';
import type { V1Pod, V1Toleration, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { Resource } from '../../core/resources/resource.js';
import { VCORE } from '../../core/resources/quantity.js';
import { GANG_ANNOTATION, PLACEHOLDER_LABEL } from './task-groups.js';
import type { TaskGroupSpec } from './task-groups.js';

/** k8shim's `PlaceholderContainerImage`; the ConfigMap key `service.placeholderImage` changes it. */
export const DEFAULT_PLACEHOLDER_IMAGE = 'registry.k8s.io/pause:3.7';
export const PLACEHOLDER_CONTAINER = 'pause';
/** The pause image's own user (nobody): a numeric non-root user, whatever the image declares. */
const PLACEHOLDER_USER = 65535;

/** The labels naming a placeholder's application and queue: YuniKorn's current and legacy keys. */
export const PLACEHOLDER_LABELS = {
  appId: 'yunikorn.apache.org/app-id',
  queue: 'yunikorn.apache.org/queue',
  legacyAppId: 'applicationId',
  legacyQueue: 'queue',
} as const;

export interface PlaceholderInput {
  /** The pod that created the application: the owner of its placeholders. */
  readonly originator: V1Pod;
  readonly applicationId: string;
  /** The application's queue, when known. */
  readonly queue: string | null;
  readonly group: TaskGroupSpec;
  /** 0 .. minMember - 1 */
  readonly index: number;
  readonly schedulerName: string;
  readonly image: string;
}

/** The annotations that also name them, for values a label cannot hold (longer than 63, other characters). */
export const PLACEHOLDER_ANNOTATIONS = {
  appId: 'yunikorn.apache.org/app-id',
  queue: 'yunikorn.apache.org/queue',
} as const;

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** A label value the API server accepts: at most 63 characters, alphanumerics at both ends, `-_.` between. */
export const isLabelValue = (v: string): boolean => LABEL_VALUE.test(v);

/** Lower case, and every character a DNS label does not allow becomes `-`. */
const dnsPart = (s: string, max: number): string => s.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, max);

/** `tg-<appId, 28>-<group, 20>-<hash, 10>`: at most 3 + 28 + 1 + 20 + 1 + 10 = 63 characters. */
export function placeholderName(originatorUid: string, applicationId: string, group: string, index: number): string {
  const digest = createHash('sha256').update(`${originatorUid}\n${applicationId}\n${group}\n${index}`).digest();
  const suffix = BigInt(`0x${digest.subarray(0, 8).toString('hex')}`).toString(36).padStart(10, '0').slice(-10);
  return `tg-${dnsPart(applicationId, 28)}-${dnsPart(group, 20)}-${suffix}`;
}

/** A resource in the core's units as Kubernetes quantities: vcore millicores as `cpu: 500m`, the rest as counts; `pods` is the pod itself. */
export function kubeQuantities(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(r)) {
    if (name === 'pods') continue;
    if (name === VCORE) out.cpu = `${value}m`;
    else out[name] = String(value);
  }
  return out;
}

export function buildPlaceholder(p: PlaceholderInput): V1Pod {
  const o = p.originator.metadata;
  const ownerUid = o?.uid ?? '';
  const own = p.originator.metadata?.annotations ?? {};
  const copied = Object.fromEntries([GANG_ANNOTATION.taskGroups, GANG_ANNOTATION.schedulingPolicyParameters].flatMap((k) => (own[k] === undefined ? [] : [[k, own[k]]])));
  // Labels where the value can be one (admission only writes label-safe ids, but an id or a queue may
  // come from an annotation); the annotations always, so the placeholder is never taken for another application.
  const appLabels = isLabelValue(p.applicationId) ? { [PLACEHOLDER_LABELS.appId]: p.applicationId, [PLACEHOLDER_LABELS.legacyAppId]: p.applicationId } : {};
  const queueLabels = p.queue !== null && isLabelValue(p.queue) ? { [PLACEHOLDER_LABELS.queue]: p.queue, [PLACEHOLDER_LABELS.legacyQueue]: p.queue } : {};
  const naming = { [PLACEHOLDER_ANNOTATIONS.appId]: p.applicationId, ...(p.queue === null ? {} : { [PLACEHOLDER_ANNOTATIONS.queue]: p.queue }) };
  const requests = kubeQuantities(p.group.minResource);
  const spec = p.originator.spec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: placeholderName(ownerUid, p.applicationId, p.group.name, p.index),
      namespace: o?.namespace ?? 'default',
      labels: { ...p.group.labels, ...appLabels, ...queueLabels, [PLACEHOLDER_LABEL]: 'true' },
      // The task groups and the policy travel with the placeholders, so a restart reads the gang from any of them.
      annotations: { ...p.group.annotations, ...copied, ...naming, [GANG_ANNOTATION.placeholder]: 'true', [GANG_ANNOTATION.taskGroupName]: p.group.name },
      // Not blockOwnerDeletion: setting it needs update on pods/finalizers where OwnerReferencesPermissionEnforcement runs.
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: o?.name ?? '', uid: ownerUid, controller: false }],
    },
    spec: {
      schedulerName: p.schedulerName,
      ...(spec?.priorityClassName === undefined ? {} : { priorityClassName: spec.priorityClassName }),
      ...(spec?.imagePullSecrets === undefined ? {} : { imagePullSecrets: spec.imagePullSecrets }),
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: PLACEHOLDER_USER, runAsGroup: PLACEHOLDER_USER, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: PLACEHOLDER_CONTAINER,
          image: p.image,
          imagePullPolicy: 'IfNotPresent',
          resources: { requests, limits: { ...requests } },
          securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        },
      ],
      ...(Object.keys(p.group.nodeSelector).length === 0 ? {} : { nodeSelector: { ...p.group.nodeSelector } }),
      // Kubernetes objects as the annotation wrote them; the API server validates them on create.
      ...(p.group.tolerations.length === 0 ? {} : { tolerations: [...p.group.tolerations] as V1Toleration[] }),
      ...(p.group.affinity === null ? {} : { affinity: p.group.affinity }),
      ...(p.group.topologySpreadConstraints.length === 0 ? {} : { topologySpreadConstraints: [...p.group.topologySpreadConstraints] as unknown as V1TopologySpreadConstraint[] }),
    },
  };
}

/** Every placeholder of a gang: minMember of each group, in order. */
export function placeholdersFor(base: Omit<PlaceholderInput, 'group' | 'index'>, groups: readonly TaskGroupSpec[]): V1Pod[] {
  return groups.flatMap((group) => Array.from({ length: group.minMember }, (_, index) => buildPlaceholder({ ...base, group, index })));
}

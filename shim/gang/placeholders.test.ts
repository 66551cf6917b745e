import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { securityProblems } from '../../test/helm/security.js';
import { applicationIdConflict, applicationOf, podResources } from '../convert.js';
import { buildPlaceholder, DEFAULT_PLACEHOLDER_IMAGE, kubeQuantities, placeholderName, placeholdersFor } from './placeholders.js';
import { GANG_ANNOTATION, readTaskGroups } from './task-groups.js';

const TASK_GROUPS = JSON.stringify([
  { name: 'spark-driver', minMember: 1, minResource: { cpu: '1', memory: '2Gi' } },
  {
    name: 'spark-executor',
    minMember: 3,
    minResource: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' },
    nodeSelector: { pool: 'gpu' },
    tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    labels: { team: 'data', 'yunikorn.apache.org/app-id': 'not-this' },
    annotations: { note: 'x' },
  },
]);
const PARAMS = 'placeholderTimeoutInSeconds=60 gangSchedulingStyle=Hard';

const driver: V1Pod = {
  metadata: { name: 'spark-pi-driver', namespace: 'jobs', uid: 'uid-driver', annotations: { [GANG_ANNOTATION.taskGroups]: TASK_GROUPS, [GANG_ANNOTATION.schedulingPolicyParameters]: PARAMS, [GANG_ANNOTATION.taskGroupName]: 'spark-driver' } },
  spec: { schedulerName: 'drover', priorityClassName: 'batch', imagePullSecrets: [{ name: 'mirror' }], containers: [{ name: 'spark', image: 'spark' }] },
};
const groups = readTaskGroups(driver.metadata?.annotations ?? {}).groups ?? [];
const group = (i: number) => {
  const g = groups[i];
  if (g === undefined) throw new Error(`no task group ${i}`);
  return g;
};
const base = { originator: driver, applicationId: 'spark-pi', queue: 'root.jobs', schedulerName: 'drover', image: DEFAULT_PLACEHOLDER_IMAGE };

describe('placeholderName', () => {
  const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  it.each([
    { name: 'a short id', app: 'spark-pi', group: 'spark-executor' },
    { name: 'a long id and group, cut', app: 'spark-application-with-a-very-long-generated-identifier-0123456789', group: 'a-task-group-with-a-long-name' },
    { name: 'characters a DNS label does not allow', app: 'Team_A.Job:42', group: 'Exec Group/1' },
    { name: 'an empty-looking id', app: '___', group: '...' },
  ])('$name: a valid pod name of at most 63 characters', ({ app, group }) => {
    const name = placeholderName('uid-1', app, group, 7);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_LABEL);
    expect(name.startsWith('tg-')).toBe(true);
  });

  it('is the same every time, and different for each member, group, application and originator', () => {
    expect(placeholderName('u', 'app', 'g', 0)).toBe(placeholderName('u', 'app', 'g', 0));
    const names = [placeholderName('u', 'app', 'g', 0), placeholderName('u', 'app', 'g', 1), placeholderName('u', 'app', 'h', 0), placeholderName('u', 'App', 'g', 0), placeholderName('v', 'app', 'g', 0)];
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps ids apart that only differ after the cut', () => {
    const long = 'x'.repeat(40);
    expect(placeholderName('u', `${long}-a`, 'g', 0)).not.toBe(placeholderName('u', `${long}-b`, 'g', 0));
  });
});

describe('kubeQuantities', () => {
  it('writes the core units back as Kubernetes quantities, without pods', () => {
    expect(kubeQuantities({ vcore: 500, memory: 1073741824, 'nvidia.com/gpu': 1, pods: 1 })).toEqual({ cpu: '500m', memory: '1073741824', 'nvidia.com/gpu': '1' });
  });
});

describe('buildPlaceholder', () => {
  const pods = placeholdersFor(base, groups);

  it('makes minMember pods of every group', () => {
    expect(pods.map((p) => p.metadata?.annotations?.[GANG_ANNOTATION.taskGroupName])).toEqual(['spark-driver', 'spark-executor', 'spark-executor', 'spark-executor']);
    expect(new Set(pods.map((p) => p.metadata?.name)).size).toBe(4);
  });

  it('asks for exactly the group minResource, as the shim counts a pod', () => {
    for (const [i, p] of pods.entries()) expect(podResources(p)).toEqual(groups[i === 0 ? 0 : 1]?.minResource);
    expect(pods[1]?.spec?.containers[0]?.resources).toEqual({ requests: { cpu: '500m', memory: '1073741824', 'nvidia.com/gpu': '1' }, limits: { cpu: '500m', memory: '1073741824', 'nvidia.com/gpu': '1' } });
  });

  it('is owned by the originator, in its namespace, with its priority class', () => {
    const p = pods[0];
    expect(p?.metadata?.namespace).toBe('jobs');
    expect(p?.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'spark-pi-driver', uid: 'uid-driver', controller: false }]);
    expect(p?.spec).toMatchObject({ schedulerName: 'drover', priorityClassName: 'batch', imagePullSecrets: [{ name: 'mirror' }], restartPolicy: 'Never', terminationGracePeriodSeconds: 0 });
    expect(p?.spec?.priority).toBeUndefined();
  });

  it('carries the application, the queue, the flags and the gang itself (for a restart)', () => {
    const p = pods[1];
    expect(p?.metadata?.labels).toEqual({ team: 'data', 'yunikorn.apache.org/app-id': 'spark-pi', applicationId: 'spark-pi', 'yunikorn.apache.org/queue': 'root.jobs', queue: 'root.jobs', placeholder: 'true' });
    expect(p?.metadata?.annotations).toEqual({
      note: 'x',
      [GANG_ANNOTATION.taskGroups]: TASK_GROUPS,
      [GANG_ANNOTATION.schedulingPolicyParameters]: PARAMS,
      'yunikorn.apache.org/app-id': 'spark-pi',
      'yunikorn.apache.org/queue': 'root.jobs',
      [GANG_ANNOTATION.placeholder]: 'true',
      [GANG_ANNOTATION.taskGroupName]: 'spark-executor',
    });
    const noQueue = buildPlaceholder({ ...base, queue: null, group: group(0), index: 0 });
    expect(noQueue.metadata?.labels).not.toHaveProperty('queue');
  });

  it('names an application or queue a label cannot hold in annotations only, read back as the same application', () => {
    const long = `app-${'x'.repeat(70)}`;
    const p = buildPlaceholder({ ...base, applicationId: long, queue: 'root.@recovery@', group: group(0), index: 0 });
    expect(p.metadata?.labels).toEqual({ placeholder: 'true' });
    expect(p.metadata?.annotations).toMatchObject({ 'yunikorn.apache.org/app-id': long, 'yunikorn.apache.org/queue': 'root.@recovery@' });
    expect(applicationOf(p, {}).applicationId).toBe(long);
    expect(applicationOf(placeholdersFor(base, groups)[1] ?? {}, {}).applicationId).toBe('spark-pi');
    expect(applicationIdConflict(placeholdersFor(base, groups)[1] ?? {})).toBeNull();
  });

  it('takes the group node selector, tolerations, affinity and spread constraints', () => {
    const spec = pods[1]?.spec;
    expect(spec?.nodeSelector).toEqual({ pool: 'gpu' });
    expect(spec?.tolerations).toEqual([{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.key).toBe('zone');
    expect(spec?.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }]);
    expect(pods[0]?.spec).not.toHaveProperty('nodeSelector');
  });

  it('runs the pause image under the restricted profile (the chart security checks pass)', () => {
    expect(pods[0]?.spec?.containers.map((c) => c.image)).toEqual([DEFAULT_PLACEHOLDER_IMAGE]);
    const objects = pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata?.name ?? '', namespace: 'jobs' }, spec: p.spec }));
    expect(securityProblems(objects)).toEqual([]);
    expect(buildPlaceholder({ ...base, image: 'mirror.local/pause:3.9', group: group(0), index: 0 }).spec?.containers[0]?.image).toBe('mirror.local/pause:3.9');
  });
});

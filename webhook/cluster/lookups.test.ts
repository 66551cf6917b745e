import { CoreV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchLookups } from './lookups.js';
import type { ClusterCache } from './lookups.js';
import { eventually, recordingLogger, startTestCluster } from './test-helpers.js';
import type { TestCluster } from './test-helpers.js';

let cluster: TestCluster;
let cache: ClusterCache;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'before', annotations: { 'yunikorn.apache.org/namespace.generateAppId': 'false' } } } });
  cache = watchLookups(cluster.kubeConfig, recordingLogger().logger);
  await cache.started;
});

afterAll(async () => {
  await cache.stop();
  await cluster.close();
});

describe('the lookups from the cluster', () => {
  it('knows the namespaces listed at start, with their annotations', () => {
    expect(cache.lookups.namespace('before')).toMatchObject({ name: 'before', annotations: { 'yunikorn.apache.org/namespace.generateAppId': 'false' } });
    expect(cache.lookups.namespace('never-created')).toBeNull();
  });

  it('follows namespaces as they change and go', async () => {
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'later' } } });
    await eventually('the new namespace', () => cache.lookups.namespace('later'), (n) => n !== null);
    await core.patchNamespace({ name: 'later', body: [{ op: 'add', path: '/metadata/annotations', value: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false' } }] });
    await eventually('the annotation', () => cache.lookups.namespace('later')?.annotations, (a) => JSON.stringify(a).includes('enableYuniKorn'));
    await core.deleteNamespace({ name: 'later' });
    await eventually('the namespace gone', () => cache.lookups.namespace('later'), (n) => n === null);
  });

  it('follows PriorityClasses', async () => {
    const scheduling = cluster.kubeConfig.makeApiClient(SchedulingV1Api);
    await scheduling.createPriorityClass({ body: { metadata: { name: 'low', annotations: { 'yunikorn.apache.org/allow-preemption': 'false' } }, value: 1 } });
    await eventually('the class', () => cache.lookups.priorityClass('low'), (c) => c !== null);
    expect(cache.lookups.priorityClass('low')).toEqual({ name: 'low', annotations: { 'yunikorn.apache.org/allow-preemption': 'false' } });
    await scheduling.deletePriorityClass({ name: 'low' });
    await eventually('the class gone', () => cache.lookups.priorityClass('low'), (c) => c === null);
  });
});

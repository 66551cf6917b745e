/**
 * YuniKorn's `/ws/v1` over real HTTP against a real core (test-helpers.ts: cluster()): every path of
 * ../shared/specs/rest-api.md, its status, headers and field names (exact key sets for the fixture,
 * and every key one the spec names), and the error document for each kind of bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load.js';
import { call, expectError, keys, serve } from './test-helpers.js';
import type { Served } from './test-helpers.js';

/** The fields the spec lists per object (YuniKorn's DAOs). */
const SPEC = {
  cluster: ['startTime', 'rmBuildInformation', 'partition', 'clusterName'],
  // quotaPreemptionEnabled: YuniKorn 1.6's field, which the spec welcomes ("what YuniKorn serves").
  partition: ['clusterId', 'name', 'capacity', 'nodeSortingPolicy', 'preemptionEnabled', 'quotaPreemptionEnabled', 'totalNodes', 'applications', 'totalContainers', 'state', 'lastStateTransitionTime'],
  queue: ['queuename', 'status', 'partition', 'pendingResource', 'maxResource', 'guaranteedResource', 'allocatedResource', 'preemptingResource', 'headroom', 'isLeaf', 'isManaged', 'properties', 'parent', 'template', 'children', 'childNames', 'absUsedCapacity', 'maxRunningApps', 'runningApps', 'currentPriority', 'allocatingAcceptedApps', 'sortingPolicy', 'prioritySorting', 'preemptionEnabled', 'isPreemptionFence', 'preemptionDelay', 'isPriorityFence', 'priorityOffset'],
  application: ['applicationID', 'usedResource', 'maxUsedResource', 'pendingResource', 'partition', 'queueName', 'submissionTime', 'finishedTime', 'startTime', 'requests', 'allocations', 'applicationState', 'user', 'groups', 'rejectedMessage', 'stateLog', 'placeholderData', 'hasReserved', 'reservations', 'maxRequestPriority'],
  // The spec ends the list with "...": YuniKorn's requiredNodeId and drover's pendingReason are the others.
  request: ['allocationKey', 'allocationTags', 'requestTime', 'resource', 'priority', 'applicationId', 'placeholder', 'taskGroupName', 'allocationLog', 'schedulingAttempted', 'triggeredScaleUp', 'requiredNodeId', 'pendingReason'],
  allocation: ['allocationKey', 'allocationTags', 'requestTime', 'allocationTime', 'allocationDelay', 'resource', 'priority', 'nodeId', 'applicationId', 'placeholder', 'placeholderUsed', 'taskGroupName', 'preempted', 'originator'],
  node: ['nodeID', 'hostName', 'rackName', 'attributes', 'capacity', 'allocated', 'occupied', 'available', 'utilized', 'allocations', 'foreignAllocations', 'schedulable', 'isReserved', 'reservations'],
} as const;

const sorted = (list: readonly string[]) => [...list].sort();

/** The object's keys, checked to be among the spec's. */
function specKeys(value: unknown, spec: readonly string[]): string[] {
  const k = keys(value);
  expect(k.filter((key) => !spec.includes(key))).toEqual([]);
  return k;
}

const list = (body: unknown): unknown[] => (Array.isArray(body) ? body : expect.fail(`not a list: ${JSON.stringify(body)}`));
const field = (body: unknown, name: string): unknown => (body !== null && typeof body === 'object' && name in body ? (body as Record<string, unknown>)[name] : expect.fail(`no ${name} in ${JSON.stringify(body)}`));
const ids = (body: unknown) => list(body).map((a) => field(a, 'applicationID'));

let s: Served;
beforeAll(async () => {
  s = await serve();
});
afterAll(() => s.close());

const P = '/ws/v1/partition/default';

describe('/ws/v1 answers', () => {
  it.each([
    {
      name: 'clusters',
      path: '/ws/v1/clusters',
      check: (body: unknown) => {
        const [c] = list(body);
        expect(specKeys(c, SPEC.cluster)).toEqual(sorted(SPEC.cluster));
        expect(c).toMatchObject({ partition: 'default', clusterName: 'kubernetes', startTime: 1_000_000_000, rmBuildInformation: [{ rmId: 'mycluster' }] });
      },
    },
    {
      name: 'partitions',
      path: '/ws/v1/partitions',
      check: (body: unknown) => {
        const [p] = list(body);
        expect(specKeys(p, SPEC.partition)).toEqual(sorted(SPEC.partition));
        // 2 nodes of 4 cores; x1 + x2 (2 cores), y2 (100m), z1 (400m) allocated
        expect(p).toMatchObject({ name: 'default', clusterId: 'mycluster', state: 'Active', totalNodes: 2, totalContainers: 4, applications: { Running: 3, total: 3 } });
        expect(keys(field(p, 'capacity'))).toEqual(['capacity', 'usedCapacity', 'utilization']);
        expect(field(field(p, 'capacity'), 'usedCapacity')).toMatchObject({ vcore: 2500 });
        expect(keys(field(p, 'nodeSortingPolicy'))).toEqual(['resourceWeights', 'type']);
      },
    },
    {
      name: 'the queue tree',
      path: `${P}/queues`,
      check: (body: unknown) => {
        expect(specKeys(body, SPEC.queue)).toEqual(sorted(['queuename', 'status', 'partition', 'pendingResource', 'maxResource', 'allocatedResource', 'headroom', 'isLeaf', 'isManaged', 'children', 'childNames', 'absUsedCapacity', 'runningApps', 'currentPriority', 'sortingPolicy', 'prioritySorting', 'preemptionEnabled', 'isPreemptionFence', 'preemptionDelay', 'isPriorityFence']));
        expect(body).toMatchObject({ queuename: 'root', childNames: ['root.a', 'root.b', 'root.small'] });
        const children = list(field(body, 'children'));
        expect(children.map((c) => field(c, 'queuename'))).toEqual(['root.a', 'root.b', 'root.small']);
        for (const c of children) specKeys(c, SPEC.queue);
      },
    },
    {
      name: 'one queue, without its children',
      path: `${P}/queue/root.a`,
      check: (body: unknown) => {
        expect(specKeys(body, SPEC.queue)).toEqual(sorted(['queuename', 'status', 'partition', 'pendingResource', 'maxResource', 'guaranteedResource', 'allocatedResource', 'headroom', 'isLeaf', 'isManaged', 'parent', 'absUsedCapacity', 'runningApps', 'currentPriority', 'sortingPolicy', 'prioritySorting', 'preemptionEnabled', 'isPreemptionFence', 'preemptionDelay', 'isPriorityFence']));
        expect(body).toMatchObject({ queuename: 'root.a', parent: 'root', isLeaf: true, maxResource: { vcore: 2000 }, guaranteedResource: { vcore: 1000 }, allocatedResource: { vcore: 2000 } });
      },
    },
    {
      name: 'a parent queue: childNames, and children only with ?subtree',
      path: `${P}/queue/root`,
      check: (body: unknown) => {
        expect(keys(body)).toContain('childNames');
        expect(keys(body)).not.toContain('children');
      },
    },
    { name: 'the subtree', path: `${P}/queue/root?subtree`, check: (body: unknown) => expect(list(field(body, 'children'))).toHaveLength(3) },
    { name: 'a queue in any case', path: `${P}/queue/ROOT.A`, check: (body: unknown) => expect(field(body, 'queuename')).toBe('root.a') },
    { name: 'the applications of a queue', path: `${P}/queue/root.a/applications`, check: (body: unknown) => expect(ids(body)).toEqual(['x']) },
    { name: 'a parent queue holds no applications', path: `${P}/queue/root/applications`, check: (body: unknown) => expect(body).toEqual([]) },
    { name: 'an application of a queue', path: `${P}/queue/root.a/application/x`, check: (body: unknown) => expect(field(body, 'applicationID')).toBe('x') },
    {
      name: 'an application',
      path: `${P}/application/x`,
      check: (body: unknown) => {
        expect(specKeys(body, SPEC.application)).toEqual(sorted(['applicationID', 'usedResource', 'maxUsedResource', 'pendingResource', 'partition', 'queueName', 'submissionTime', 'requests', 'allocations', 'applicationState', 'user', 'stateLog', 'startTime']));
        expect(body).toMatchObject({ applicationID: 'x', queueName: 'root.a', applicationState: 'Running', user: 'alice' });
        const [request] = list(field(body, 'requests'));
        expect(specKeys(request, SPEC.request)).toEqual(sorted(['allocationKey', 'requestTime', 'resource', 'priority', 'applicationId', 'allocationLog', 'schedulingAttempted', 'pendingReason']));
        expect(request).toMatchObject({ allocationKey: 'x3', pendingReason: { code: 'QueueQuotaExceeded' } });
        const allocations = list(field(body, 'allocations'));
        expect(allocations.map((a) => field(a, 'allocationKey'))).toEqual(['x1', 'x2']);
        for (const a of allocations) expect(specKeys(a, SPEC.allocation)).toEqual(sorted(['allocationKey', 'requestTime', 'allocationTime', 'allocationDelay', 'resource', 'priority', 'nodeId', 'applicationId']));
      },
    },
    { name: 'active applications', path: `${P}/applications/active`, check: (body: unknown) => expect(ids(body)).toEqual(['x', 'y', 'z']) },
    { name: 'active applications of a status, any case', path: `${P}/applications/ACTIVE?status=running`, check: (body: unknown) => expect(ids(body)).toEqual(['x', 'y', 'z']) },
    { name: 'no accepted applications', path: `${P}/applications/active?status=Accepted`, check: (body: unknown) => expect(body).toEqual([]) },
    { name: 'rejected applications', path: `${P}/applications/rejected`, check: (body: unknown) => expect(body).toEqual([]) },
    { name: 'completed applications', path: `${P}/applications/completed`, check: (body: unknown) => expect(body).toEqual([]) },
    {
      name: 'nodes',
      path: `${P}/nodes`,
      check: (body: unknown) => {
        const nodes = list(body);
        expect(nodes.map((n) => field(n, 'nodeID'))).toEqual(['n1', 'n2']);
        for (const n of nodes) expect(specKeys(n, SPEC.node)).toEqual(sorted(['nodeID', 'hostName', 'rackName', 'capacity', 'allocated', 'available', 'utilized', 'allocations', 'schedulable', 'isReserved']));
      },
    },
    {
      name: 'a node',
      path: `${P}/node/n1`,
      check: (body: unknown) => {
        expect(body).toMatchObject({ nodeID: 'n1', schedulable: true, capacity: { vcore: 4000 } });
        for (const a of list(field(body, 'allocations'))) specKeys(a, SPEC.allocation);
      },
    },
    {
      name: 'placement rules, recovery last',
      path: `${P}/placementrules`,
      check: (body: unknown) => {
        expect(body).toEqual([
          { name: 'provided', parameters: { create: 'true' } },
          { name: 'recovery', parameters: { queue: 'root.@recovery@' } },
        ]);
      },
    },
    {
      name: 'users',
      path: `${P}/usage/users`,
      check: (body: unknown) => {
        const users = list(body);
        expect(users.map((u) => field(u, 'userName'))).toEqual(['alice', 'bob', 'carol']);
        expect(keys(users[0])).toEqual(['groups', 'queues', 'userName']);
        expect(keys(field(users[0], 'queues'))).toEqual(['children', 'maxApplications', 'maxResources', 'queuePath', 'resourceUsage', 'runningApplications']);
      },
    },
    { name: 'a user', path: `${P}/usage/user/bob`, check: (body: unknown) => expect(body).toMatchObject({ userName: 'bob', groups: { y: 'dev' }, queues: { queuePath: 'root', runningApplications: ['y'] } }) },
    {
      name: 'groups',
      path: `${P}/usage/groups`,
      check: (body: unknown) => {
        const [g] = list(body);
        expect(keys(g)).toEqual(['applications', 'groupName', 'queues']);
        expect(g).toMatchObject({ groupName: 'dev', applications: ['y'] });
      },
    },
    { name: 'a group', path: `${P}/usage/group/dev`, check: (body: unknown) => expect(body).toMatchObject({ groupName: 'dev', queues: { children: [{ queuePath: 'root.b', maxApplications: 10 }] } }) },
    {
      name: 'node utilisation',
      path: '/ws/v1/scheduler/node-utilizations',
      check: (body: unknown) => {
        const [u] = list(body);
        expect(keys(u)).toEqual(['clusterId', 'partition', 'utilizations']);
        const types = list(field(u, 'utilizations'));
        expect(types.map((t) => field(t, 'type'))).toEqual(['memory', 'pods', 'vcore']);
        expect(list(field(types[0], 'utilization')).map((b) => field(b, 'bucketName'))).toEqual(['0-10%', '10-20%', '20-30%', '30-40%', '40-50%', '50-60%', '60-70%', '70-80%', '80-90%', '90-100%']);
      },
    },
    {
      name: 'the health check, PascalCase',
      path: '/ws/v1/scheduler/healthcheck',
      check: (body: unknown) => {
        expect(keys(body)).toEqual(['HealthChecks', 'Healthy']);
        expect(field(body, 'Healthy')).toBe(true);
        for (const c of list(field(body, 'HealthChecks'))) expect(keys(c)).toEqual(['Description', 'DiagnosisMessage', 'Name', 'Succeeded']);
      },
    },
    { name: 'application history', path: '/ws/v1/history/apps', check: (body: unknown) => expect(body).toEqual([{ timestamp: 1_020_000_000, totalApplications: '3' }]) },
    { name: 'container history', path: '/ws/v1/history/containers', check: (body: unknown) => expect(body).toEqual([{ timestamp: 1_020_000_000, totalContainers: '4' }]) },
    {
      name: 'the full state dump',
      path: '/debug/fullstatedump',
      check: (body: unknown) => {
        expect(keys(body)).toEqual(['appHistory', 'applications', 'clusterInfo', 'config', 'containerHistory', 'eventStreams', 'logLevel', 'nodes', 'nodesUtils', 'partitions', 'placementRules', 'queues', 'rmDiagnostics', 'timestamp']);
        expect(ids(field(body, 'applications'))).toEqual(['x', 'y', 'z']);
        expect(list(field(body, 'nodes'))[0]).toMatchObject({ partitionName: 'default', nodesInfo: [{ nodeID: 'n1' }, { nodeID: 'n2' }] });
      },
    },
  ])('$name: GET $path', async ({ path, check }) => {
    const reply = await call(`${s.base}${path}`);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    check(reply.body);
  });

  it('answers HEAD like GET, without a body', async () => {
    const reply = await call(`${s.base}${P}/queues`, { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(reply.text).toBe('');
  });
});

describe('/ws/v1 refusals', () => {
  const partitionPaths = ['/queues', '/queue/root', '/queue/root/applications', '/queue/root.a/application/x', '/application/x', '/applications/active', '/nodes', '/node/n1', '/placementrules', '/usage/users', '/usage/user/alice', '/usage/groups', '/usage/group/dev'];
  it.each(partitionPaths)('404 for an unknown partition: %s', async (path) => {
    expectError(await call(`${s.base}/ws/v1/partition/nope${path}`), 404);
  });

  it.each([
    { name: 'an unknown queue', path: `${P}/queue/root.nope`, status: 404 },
    { name: 'a queue name with a bad character', path: `${P}/queue/root.a!b`, status: 400 },
    { name: 'an empty queue name', path: `${P}/queue/root..a`, status: 400 },
    { name: 'a queue name over 64 characters', path: `${P}/queue/root.${'q'.repeat(65)}`, status: 400 },
    { name: 'the applications of an unknown queue', path: `${P}/queue/root.nope/applications`, status: 404 },
    { name: 'the applications of a bad queue name', path: `${P}/queue/root.a%20b/applications`, status: 400 },
    { name: 'an application of an unknown queue', path: `${P}/queue/root.nope/application/x`, status: 404 },
    { name: 'an application another queue holds', path: `${P}/queue/root.b/application/x`, status: 404 },
    { name: 'an unknown application of a queue', path: `${P}/queue/root.a/application/nope`, status: 404 },
    { name: 'an unknown application', path: `${P}/application/nope`, status: 404 },
    { name: 'an application state that is not a group', path: `${P}/applications/running`, status: 400 },
    { name: 'an active status that is not one', path: `${P}/applications/active?status=completed`, status: 400 },
    { name: 'a status given twice', path: `${P}/applications/active?status=running&status=new`, status: 400 },
    { name: 'an unknown node', path: `${P}/node/nope`, status: 404 },
    { name: 'an unknown user', path: `${P}/usage/user/nobody`, status: 404 },
    { name: 'a user name that is not one', path: `${P}/usage/user/1abc`, status: 400 },
    { name: 'an unknown group', path: `${P}/usage/group/nobody`, status: 404 },
    { name: 'a group name that is not one', path: `${P}/usage/group/bad@group`, status: 400 },
    { name: 'a path that does not decode', path: '/ws/v1/partition/%E0%A4%A/queues', status: 400 },
    { name: 'an unknown endpoint', path: '/ws/v1/nope', status: 404 },
    { name: 'a partition path with nothing after it', path: '/ws/v1/partition/default', status: 404 },
  ])('$status for $name', async ({ path, status }) => {
    expectError(await call(`${s.base}${path}`), status);
  });
});

describe('/ws/v1/config and /ws/v1/validate-conf', () => {
  it('gives the running configuration as YAML that loads back to the same configuration', async () => {
    const reply = await call(`${s.base}/ws/v1/config`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/x-yaml; charset=UTF-8');
    expect(reply.text).toMatch(/^partitions:\n {2}- name: default\n/);
    const loaded = loadConfig(reply.text);
    if (!loaded.ok) return expect.fail(JSON.stringify(loaded.issues));
    expect(loaded.config.partitions).toEqual(s.h.s.config().partitions);
  });

  it('gives it as JSON with Go field names to Accept: application/json', async () => {
    const reply = await call(`${s.base}/ws/v1/config`, { headers: { accept: 'application/json' } });
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(keys(reply.body)).toEqual(['Checksum', 'Partitions']);
    expect(reply.body).toMatchObject({ Checksum: s.h.s.config().checksum, Partitions: [{ Name: 'default', Queues: [{ Name: 'root', Queues: [{ Name: 'a', Resources: { Max: { vcore: '2000m' } } }, { Name: 'b' }, { Name: 'small' }] }] }] });
  });

  it.each([
    { name: 'a valid configuration', body: 'partitions:\n  - name: default\n    queues:\n      - name: root\n', allowed: true, reason: null },
    { name: 'a guarantee above the max', body: 'partitions:\n  - name: default\n    queues:\n      - name: root\n        queues:\n          - name: a\n            resources: {guaranteed: {memory: 2Gi}, max: {memory: 1Gi}}\n', allowed: false, reason: /guaranteed-above-max at partitions\[0\]\.queues\[0\]\.queues\[0\]/ },
    { name: 'YAML that does not parse', body: 'partitions: [', allowed: false, reason: /./ },
    { name: 'an unknown key', body: 'partitions:\n  - name: default\n    queues: [{name: root, colour: blue}]\n', allowed: false, reason: /colour/ },
  ])('validates $name: always 200', async ({ body, allowed, reason }) => {
    const reply = await call(`${s.base}/ws/v1/validate-conf`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    if (reason === null) expect(reply.body).toEqual({ allowed: true });
    else {
      expect(keys(reply.body)).toEqual(['allowed', 'reason']);
      expect(field(reply.body, 'allowed')).toBe(allowed);
      expect(field(reply.body, 'reason')).toMatch(reason);
    }
  });
});

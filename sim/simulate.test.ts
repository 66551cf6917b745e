/**
 * Scenario tests: each rule of the core, driven through the simulator as a platform team would use
 * it, with the expected placements worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './test-helpers.js';
import { parseScenario } from './scenario.js';

interface PodOut {
  name: string;
  state: string;
  node: string | null;
  queue: string | null;
  applicationId: string | null;
  boundAt: number | null;
  reason: { code: string; message: string } | null;
}
interface Out {
  ticks: number;
  pods: PodOut[];
  applications: { applicationId: string; queue: string | null; state: string; message: string | null }[];
  queues: { queuePath: string; isManaged: boolean; allocated: Record<string, number>; max: Record<string, number>; runningApps: number; maxRunningApps: number }[];
  nodes: { nodeId: string; schedulable: boolean; allocated: Record<string, number> }[];
}

const run = (yaml: string): Out => runScenario(yaml) as Out;

const pod = (out: Out, name: string): PodOut => {
  const p = out.pods.find((x) => x.name === name);
  if (p === undefined) expect.fail(`no pod ${name}`);
  return p;
};

/** Indent a queues.yaml under `queues: |`. */
const queues = (text: string) => `queues: |\n${text.split('\n').map((l) => `  ${l}`).join('\n')}\n`;

const TWO_NODES = `nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 8Gi}}
  - {name: node-2, allocatable: {cpu: "4", memory: 8Gi}}
`;

describe('drover simulate: placement', () => {
  const config = queues(`partitions:
  - placementrules:
      - {name: provided, create: false}
      - name: user
        create: true
        filter: {type: allow, groups: [data]}
        parent: {name: fixed, value: root.users}
      - {name: tag, value: namespace, create: true}
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: users, parent: true}
          - {name: prod, submitacl: " ops"}
          - {name: locked, submitacl: " nobody-group", queues: [{name: inner}]}`);

  it('follows the rule chain: provided, then user under root.users for group data, then the namespace', () => {
    const out = run(`${config}
admission: {processNamespaces: "^team-"}
${TWO_NODES}
pods:
  - {name: named, namespace: team-a, labels: {queue: root.prod}, user: ann, groups: [ops], requests: {cpu: 100m}}
  - {name: by-user, namespace: team-a, labels: {applicationId: u1}, user: alice, groups: [data], requests: {cpu: 100m}}
  - {name: by-ns, namespace: team-b, labels: {applicationId: n1}, user: bob, requests: {cpu: 100m}}
  - {name: skipped, namespace: other, requests: {cpu: 100m}}
`);
    expect(pod(out, 'named').queue).toBe('root.prod');
    expect(pod(out, 'by-user').queue).toBe('root.users.alice');
    expect(pod(out, 'by-ns').queue).toBe('root.team-b');
    // processNamespaces ^team- leaves namespace "other" to the default scheduler
    expect(pod(out, 'skipped').state).toBe('NotManaged');
    expect(out.queues.find((q) => q.queuePath === 'root.users.alice')?.isManaged).toBe(false);
  });

  it('rejects an application whose user may not submit, with the reason', () => {
    const out = run(`${config}
${TWO_NODES}
pods:
  - {name: intruder, labels: {queue: root.locked.inner, applicationId: x}, user: eve, requests: {cpu: 100m}}
`);
    // ACLs are checked up the tree and root is open to everyone, so root.locked.inner takes eve
    expect(pod(out, 'intruder').queue).toBe('root.locked.inner');
    const strict = run(`${queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        queues: [{name: locked, submitacl: "admin"}]`)}
${TWO_NODES}
pods:
  - {name: intruder, labels: {queue: root.locked, applicationId: x}, user: eve, requests: {cpu: 100m}}
`);
    expect(pod(strict, 'intruder')).toMatchObject({ state: 'Rejected', queue: null, reason: { code: 'ApplicationRejected' } });
    expect(pod(strict, 'intruder').reason?.message).toContain('root.locked');
    expect(strict.applications[0]).toMatchObject({ applicationId: 'x', state: 'Rejected' });
  });
});

describe('drover simulate: quotas and limits', () => {
  it('applies max along the path and tells quota from capacity', () => {
    const out = run(`${queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - name: dept
            resources: {max: {vcore: 3}}
            queues: [{name: a}, {name: b}]
          - {name: other}`)}
nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 8Gi}}
pods:
  - {name: a1, labels: {queue: root.dept.a, applicationId: a}, requests: {cpu: "2"}}
  - {name: b1, labels: {queue: root.dept.b, applicationId: b}, requests: {cpu: "1"}}
  - {name: b2, labels: {queue: root.dept.b, applicationId: b}, requests: {cpu: "1"}}
  - {name: o1, labels: {queue: root.other, applicationId: o}, requests: {cpu: "1"}, submitAt: 1}
  - {name: o2, labels: {queue: root.other, applicationId: o}, requests: {cpu: "1"}, submitAt: 1}
`);
    // tick 0: dept max 3 cores: a1 (2) + b1 (1) = 3, so b2 waits for the quota of root.dept;
    // tick 1: the node's 4 cores: 3 for dept, 1 for o1, so o2 waits for capacity
    expect(['a1', 'b1', 'o1'].map((n) => pod(out, n).state)).toEqual(['Bound', 'Bound', 'Bound']);
    expect(pod(out, 'b2').reason).toMatchObject({ code: 'QueueQuotaExceeded' });
    expect(pod(out, 'b2').reason?.message).toContain('root.dept');
    expect(pod(out, 'o2').reason).toMatchObject({ code: 'InsufficientCapacity' });
  });

  it('gives a namespace queue the quota of its namespace annotations', () => {
    const out = run(`namespaces:
  - name: team-a
    annotations: {yunikorn.apache.org/namespace.quota: '{"cpu": "1", "memory": "2Gi"}', yunikorn.apache.org/namespace.maxApps: "5"}
${TWO_NODES}
pods:
  - {name: p1, namespace: team-a, labels: {applicationId: a}, requests: {cpu: 600m}}
  - {name: p2, namespace: team-a, labels: {applicationId: a}, requests: {cpu: 600m}}
`);
    // the tag rule creates root.team-a with max 1 core: 600m + 600m > 1000m
    expect(pod(out, 'p1').state).toBe('Bound');
    expect(pod(out, 'p2').reason).toMatchObject({ code: 'QueueQuotaExceeded' });
    expect(out.queues.find((q) => q.queuePath === 'root.team-a')).toMatchObject({ max: { memory: 2 * 2 ** 30, vcore: 1000 }, maxRunningApps: 5 });
  });

  it('enforces user limits with a wildcard, and group limits', () => {
    const out = run(`${queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - name: a
            limits:
              - {users: [vip], maxresources: {vcore: 4}}
              - {users: ["*"], maxresources: {vcore: 1}}
              - {groups: [interns], maxresources: {memory: 1Gi}}`)}
nodes:
  - {name: node-1, allocatable: {cpu: "16", memory: 64Gi}}
pods:
  - {name: vip-1, labels: {queue: root.a, applicationId: v}, user: vip, requests: {cpu: "2"}}
  - {name: vip-2, labels: {queue: root.a, applicationId: v}, user: vip, requests: {cpu: "2"}}
  - {name: joe-1, labels: {queue: root.a, applicationId: j}, user: joe, requests: {cpu: "1"}}
  - {name: joe-2, labels: {queue: root.a, applicationId: j}, user: joe, requests: {cpu: "1"}}
  - {name: kim-1, labels: {queue: root.a, applicationId: k}, user: kim, groups: [interns], requests: {cpu: 100m, memory: 1Gi}}
  - {name: kim-2, labels: {queue: root.a, applicationId: k}, user: kim, groups: [interns], requests: {cpu: 100m, memory: 1Gi}}
`);
    // vip: 2 + 2 = 4 cores, within its own 4; joe falls under the wildcard's 1 core
    expect([pod(out, 'vip-1').state, pod(out, 'vip-2').state, pod(out, 'joe-1').state]).toEqual(['Bound', 'Bound', 'Bound']);
    expect(pod(out, 'joe-2').reason?.code).toBe('UserQuotaExceeded');
    // kim's group interns: 1Gi in all; kim's user limit (wildcard, 1 core) allows 2 x 100m
    expect(pod(out, 'kim-1').state).toBe('Bound');
    expect(pod(out, 'kim-2').reason?.code).toBe('GroupQuotaExceeded');
  });

  it('gates applications with maxapplications until a slot frees', () => {
    const out = run(`${queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues: [{name: a, maxapplications: 1}]`)}
${TWO_NODES}
ticks: 6
pods:
  - {name: first, labels: {queue: root.a, applicationId: one}, requests: {cpu: "1"}, runFor: 2}
  - {name: second, labels: {queue: root.a, applicationId: two}, requests: {cpu: "1"}}
`);
    // one runs from tick 0 and succeeds at tick 2; two becomes runnable then and is bound at 2
    expect(pod(out, 'first')).toMatchObject({ state: 'Succeeded', boundAt: 0 });
    expect(pod(out, 'second')).toMatchObject({ state: 'Bound', boundAt: 2 });
  });

  it('reports AppNotRunnable while the slot is taken', () => {
    const out = run(`${queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues: [{name: a, maxapplications: 1}]`)}
${TWO_NODES}
pods:
  - {name: first, labels: {queue: root.a, applicationId: one}, requests: {cpu: "1"}}
  - {name: second, labels: {queue: root.a, applicationId: two}, requests: {cpu: "1"}}
`);
    expect(pod(out, 'second').reason?.code).toBe('AppNotRunnable');
    expect(out.applications.map((a) => a.state)).toEqual(['Running', 'Accepted']);
  });
});

describe('drover simulate: nodes and ordering', () => {
  const pods = `pods:
  - {name: p1, labels: {applicationId: a}, requests: {cpu: "1"}}
  - {name: p2, labels: {applicationId: a}, requests: {cpu: "1"}}
  - {name: p3, labels: {applicationId: a}, requests: {cpu: "1"}}
`;
  it('spreads with fair and packs with binpacking', () => {
    // fair: node-1 (tie, id order), node-2 (less used), node-1 (tie again)
    const fair = run(`${TWO_NODES}${pods}`);
    expect(['p1', 'p2', 'p3'].map((n) => pod(fair, n).node)).toEqual(['node-1', 'node-2', 'node-1']);
    const packed = run(`${queues(`partitions:
  - nodesortpolicy: {type: binpacking}
    placementrules: [{name: tag, value: namespace, create: true}]
    queues: [{name: root, submitacl: "*"}]`)}
${TWO_NODES}${pods}`);
    expect(['p1', 'p2', 'p3'].map((n) => pod(packed, n).node)).toEqual(['node-1', 'node-1', 'node-1']);
  });

  it('reserves a node so that a large pod does not starve behind small ones', () => {
    const small = (i: number, at: number) => `  - {name: s${i}, labels: {applicationId: small}, requests: {cpu: "2"}, runFor: 2, submitAt: ${at}}`;
    const out = run(`ticks: 8
nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 8Gi}}
pods:
  - {name: big, labels: {applicationId: big}, requests: {cpu: "4"}, submitAt: 1}
${[small(0, 0), small(1, 0), small(2, 2), small(3, 2), small(4, 4), small(5, 4)].join('\n')}
`);
    // t0: s0, s1 fill the node. t1: big waits. t2: s0, s1 end; s2, s3 take the node (big has waited
    // only 1 s). t3: big has waited 2 s and reserves node-1. t4: s2, s3 end; the node is big's.
    expect(pod(out, 'big')).toMatchObject({ state: 'Bound', boundAt: 4 });
    expect(pod(out, 's4').state).toBe('Pending');
  });

  it('orders queues by priority, with offsets and fences', () => {
    const config = (b: string) =>
      queues(`partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: a}
          - {name: b${b}}`);
    const pods = `nodes:
  - {name: node-1, allocatable: {cpu: "1", memory: 8Gi}}
pods:
  - {name: in-a, labels: {queue: root.a, applicationId: x}, requests: {cpu: "1"}, priority: 10}
  - {name: in-b, labels: {queue: root.b, applicationId: y}, requests: {cpu: "1"}, priority: 100}
`;
    // b holds the higher priority pod (100 > 10): it goes first although a sorts first by name
    expect(pod(run(`${config('')}
${pods}`), 'in-b').state).toBe('Bound');
    // a fence hides b's pods: b shows only its offset, 0 + 5 < 10
    expect(pod(run(`${config(', properties: {priority.policy: fence, priority.offset: "5"}')}
${pods}`), 'in-a').state).toBe('Bound');
  });

  it('schedules higher priority pods first', () => {
    const out = run(`nodes:
  - {name: node-1, allocatable: {cpu: "1", memory: 8Gi}}
pods:
  - {name: low, labels: {applicationId: a}, requests: {cpu: "1"}, priority: 1}
  - {name: high, labels: {applicationId: a}, requests: {cpu: "1"}, priority: 100}
`);
    expect(pod(out, 'high').state).toBe('Bound');
    expect(pod(out, 'low').reason?.code).toBe('InsufficientCapacity');
  });

  it('keeps cordoned nodes out, and deletes the pods of a removed node', () => {
    const out = run(`${TWO_NODES}
ticks: 4
events:
  - {at: 1, action: cordon, node: node-1}
  - {at: 2, action: removeNode, node: node-2}
  - {at: 3, action: addNode, node: {name: node-3, allocatable: {cpu: "4", memory: 8Gi}}}
pods:
  - {name: early, labels: {applicationId: a}, requests: {cpu: "1"}}
  - {name: after-cordon, labels: {applicationId: a}, requests: {cpu: "1"}, submitAt: 1}
  - {name: late, labels: {applicationId: a}, requests: {cpu: "1"}, submitAt: 2}
`);
    expect(pod(out, 'early').node).toBe('node-1');
    // node-1 is cordoned at tick 1: the pod goes to node-2, which is removed at tick 2
    expect(pod(out, 'after-cordon').state).toBe('Deleted');
    // at tick 2 no schedulable node has room (node-1 cordoned, node-2 gone); node-3 comes at tick 3
    expect(pod(out, 'late')).toMatchObject({ state: 'Bound', node: 'node-3', boundAt: 3 });
    expect(out.nodes.map((n) => [n.nodeId, n.schedulable])).toEqual([
      ['node-1', false],
      ['node-3', true],
    ]);
  });
});

describe('drover simulate: configuration reload', () => {
  it('drains a removed queue and keeps the old configuration when an update is invalid', () => {
    const base = `partitions:
  - placementrules: [{name: provided, create: false}]
    queues:
      - name: root
        submitacl: "*"
        queues: [{name: a}, {name: b}]`;
    const out = run(`${queues(base)}
${TWO_NODES}
ticks: 3
events:
  - {at: 1, action: updateConfig, queues: "partitions: ["}
  - {at: 2, action: updateConfig, queues: "partitions:\\n  - placementrules: [{name: provided, create: false}]\\n    queues: [{name: root, submitacl: '*', queues: [{name: b}]}]\\n"}
pods:
  - {name: running, labels: {queue: root.a, applicationId: x}, requests: {cpu: "1"}}
  - {name: still-a, labels: {queue: root.a, applicationId: y}, requests: {cpu: "1"}, submitAt: 1}
  - {name: too-late, labels: {queue: root.a, applicationId: z}, requests: {cpu: "1"}, submitAt: 2}
`);
    // tick 1: the broken update is rejected, root.a still takes applications
    expect(pod(out, 'still-a').state).toBe('Bound');
    // tick 2: root.a is removed but keeps its running pods; a new application is refused
    expect(pod(out, 'running').state).toBe('Bound');
    expect(pod(out, 'too-late')).toMatchObject({ state: 'Rejected', reason: { code: 'ApplicationRejected' } });
    expect(out.queues.map((q) => q.queuePath)).toContain('root.a');
  });
});

describe('drover simulate: the output', () => {
  it('is deterministic', () => {
    const scenario = `${TWO_NODES}pods:\n${Array.from({ length: 30 }, (_, i) => `  - {name: p${i}, labels: {applicationId: a${i % 4}}, requests: {cpu: ${100 + 50 * i}m}, runFor: ${1 + (i % 3)}, submitAt: ${i % 5}}`).join('\n')}\n`;
    expect(JSON.stringify(run(scenario))).toBe(JSON.stringify(run(scenario)));
  });

  it('runs until nothing changes any more when ticks is not given', () => {
    const out = run(`${TWO_NODES}pods:\n  - {name: p, labels: {applicationId: a}, requests: {cpu: "1"}, runFor: 2}\n`);
    // bound at 0, succeeds at 2, the application completes 30 s (30 ticks) later, at tick 32;
    // tick 33 changes nothing, so the run stops after ticks 0..33
    expect(out.applications[0]?.state).toBe('Completed');
    expect(out.ticks).toBe(34);
    // the dynamic queue of the namespace went with its last application
    expect(out.queues.map((q) => q.queuePath)).toEqual(['root']);
  });

  it('reports scenario errors with their path', () => {
    const r = parseScenario('nodes:\n  - {name: n, allocatable: {cpu: lots}}\npods:\n  - {name: p, submitAt: -1}\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => [i.code, i.path])).toEqual([
        ['quantity-invalid', 'nodes[0].allocatable.cpu'],
        ['wrong-type', 'pods[0].submitAt'],
      ]);
      expect(r.issues[0]?.line).toBe(2);
    }
  });
});

describe('analytics engines', () => {
  it('groups each Ray, Dask and Flink cluster of one namespace into its own application', () => {
    const out = run(`${TWO_NODES}pods:
  - {name: ray-a-head, namespace: ml, labels: {ray.io/cluster: a, ray.io/node-type: head, ray.io/group: headgroup}, requests: {cpu: 100m}}
  - {name: ray-a-worker, namespace: ml, labels: {ray.io/cluster: a, ray.io/node-type: worker, ray.io/group: small-group}, requests: {cpu: 100m}}
  - {name: ray-b-head, namespace: ml, labels: {ray.io/cluster: b, ray.io/node-type: head, ray.io/group: headgroup}, requests: {cpu: 100m}}
  - {name: dask-scheduler, namespace: ml, labels: {dask.org/cluster-name: simple, dask.org/component: scheduler}, requests: {cpu: 100m}}
  - {name: dask-worker, namespace: ml, labels: {dask.org/cluster-name: simple, dask.org/component: worker}, requests: {cpu: 100m}}
  - {name: flink-jm, namespace: ml, labels: {app: wc, component: jobmanager, type: flink-native-kubernetes}, requests: {cpu: 100m}}
  - {name: flink-tm, namespace: ml, labels: {app: wc, component: taskmanager, type: flink-native-kubernetes}, requests: {cpu: 100m}}
  - {name: web, namespace: ml, labels: {app: web}, requests: {cpu: 100m}}
`);
    const ids = Object.fromEntries(out.pods.map((p) => [p.name, p.applicationId]));
    expect(ids).toEqual({
      'ray-a-head': 'ml-ray-a',
      'ray-a-worker': 'ml-ray-a',
      'ray-b-head': 'ml-ray-b',
      'dask-scheduler': 'ml-dask-simple',
      'dask-worker': 'ml-dask-simple',
      'flink-jm': 'ml-flink-wc',
      'flink-tm': 'ml-flink-wc',
      web: 'yunikorn-ml-autogen',
    });
  });
});

/**
 * Scenario tests of gang scheduling and preemption through the simulator, as a platform team would
 * run them: pods with YuniKorn's task-group annotations, queues with guarantees.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './test-helpers.js';

interface PodOut {
  name: string;
  state: string;
  node: string | null;
  boundAt: number | null;
  reason: { code: string; message: string } | null;
}
interface Out {
  ticks: number;
  pods: PodOut[];
  applications: { applicationId: string; state: string; message: string | null }[];
  nodes: { nodeId: string; allocated: Record<string, number> }[];
}

const run = (yaml: string): Out => runScenario(yaml) as Out;

const pod = (out: Out, name: string): PodOut => {
  const p = out.pods.find((x) => x.name === name);
  if (p === undefined) expect.fail(`no pod ${name}`);
  return p;
};
const app = (out: Out, id: string) => out.applications.find((a) => a.applicationId === id);

const TASK_GROUPS = JSON.stringify([
  { name: 'driver', minMember: 1, minResource: { cpu: '1', memory: '1Gi' } },
  { name: 'executor', minMember: 3, minResource: { cpu: '2', memory: '2Gi' } },
]);

/** A Spark job as spark-submit writes it for YuniKorn: the driver carries the task groups. */
function sparkJob(id: string, opts: { params?: string; executors?: number; at?: number; runFor?: number } = {}) {
  const annotations = (group: string, extra = '') => `{yunikorn.apache.org/task-group-name: ${group}${extra}}`;
  const driverExtra = `, yunikorn.apache.org/task-groups: '${TASK_GROUPS}'${opts.params === undefined ? '' : `, yunikorn.apache.org/schedulingPolicyParameters: "${opts.params}"`}`;
  const lines = [
    `  - {name: ${id}-driver, labels: {spark-app-selector: ${id}, spark-role: driver}, annotations: ${annotations('driver', driverExtra)}, requests: {cpu: "1", memory: 1Gi}, submitAt: ${opts.at ?? 0}${opts.runFor === undefined ? '' : `, runFor: ${opts.runFor}`}}`,
  ];
  for (let i = 0; i < (opts.executors ?? 3); i++) {
    lines.push(`  - {name: ${id}-exec-${i}, labels: {spark-app-selector: ${id}, spark-role: executor}, annotations: ${annotations('executor')}, requests: {cpu: "2", memory: 2Gi}, submitAt: ${(opts.at ?? 0) + 1}${opts.runFor === undefined ? '' : `, runFor: ${opts.runFor}`}}`);
  }
  return lines.join('\n');
}

const FIFO = `queues: |
  partitions:
    - placementrules: [{name: fixed, value: root.spark}]
      queues:
        - name: root
          submitacl: "*"
          queues: [{name: spark}]
`;

describe('drover simulate: gang scheduling', () => {
  it('places the whole gang, then the pods take over their placeholders', () => {
    const out = run(`${FIFO}nodes:
  - {name: node-1, allocatable: {cpu: "8", memory: 16Gi}}
pods:
${sparkJob('spark-1')}
`);
    expect(app(out, 'spark-1')?.state).toBe('Running');
    for (const name of ['spark-1-driver', 'spark-1-exec-0', 'spark-1-exec-1', 'spark-1-exec-2']) expect(pod(out, name).state).toBe('Bound');
    // every placeholder taken over: the simulation ends without waiting out the gang's timeout
    expect(out.ticks).toBeLessThan(5);
    // 1 + 3 x 2 cores: the pods fill exactly what their placeholders held, nothing is left behind
    expect(out.nodes[0]?.allocated).toMatchObject({ vcore: 7000, pods: 4 });
    expect(out.pods.some((p) => p.name.startsWith('tg-'))).toBe(false);
  });

  it('keeps the pods GangPending while the gang does not fit, then fails it (Hard)', () => {
    const out = run(`${FIFO}nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 16Gi}}
pods:
${sparkJob('spark-1', { params: 'placeholderTimeoutInSeconds=5 gangSchedulingStyle=Hard' })}
`);
    expect(app(out, 'spark-1')?.state).toBe('Failed');
    expect(app(out, 'spark-1')?.message).toContain('2 of 4 placeholders');
    expect(pod(out, 'spark-1-driver').state).toBe('Rejected');
    expect(pod(out, 'spark-1-driver').reason?.code).toBe('ApplicationRejected');
    expect(out.nodes[0]?.allocated.vcore ?? 0).toBe(0);
  });

  it('shows GangPending with what is missing while it waits', () => {
    const out = run(`${FIFO}ticks: 3
nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 16Gi}}
pods:
${sparkJob('spark-1', { params: 'placeholderTimeoutInSeconds=60' })}
`);
    expect(app(out, 'spark-1')?.state).toBe('Accepted');
    const reason = pod(out, 'spark-1-exec-0').reason;
    expect(reason?.code).toBe('GangPending');
    expect(reason?.message).toContain('2 of 4 placeholders placed');
    expect(reason?.message).toContain('executor 1 of 3');
  });

  it('Soft: the pods run without their gang after the timeout', () => {
    const out = run(`${FIFO}nodes:
  - {name: node-1, allocatable: {cpu: "4", memory: 16Gi}}
pods:
${sparkJob('spark-1', { params: 'placeholderTimeoutInSeconds=5' })}
`);
    expect(app(out, 'spark-1')?.state).toBe('Running');
    expect(pod(out, 'spark-1-driver').state).toBe('Bound');
    expect(pod(out, 'spark-1-driver').boundAt).toBe(5);
    expect(pod(out, 'spark-1-exec-0').state).toBe('Bound');
    expect(pod(out, 'spark-1-exec-1').reason?.code).toBe('InsufficientCapacity');
  });

  it('rejects a gang bigger than its queue max', () => {
    const out = run(`queues: |
  partitions:
    - placementrules: [{name: fixed, value: root.spark}]
      queues:
        - name: root
          submitacl: "*"
          queues: [{name: spark, resources: {max: {vcore: 4}}}]
nodes:
  - {name: node-1, allocatable: {cpu: "16", memory: 64Gi}}
pods:
${sparkJob('spark-1')}
`);
    expect(app(out, 'spark-1')?.state).toBe('Rejected');
    expect(pod(out, 'spark-1-driver').reason?.message).toContain('more than the max of queue root.spark');
  });
});

describe('drover simulate: preemption', () => {
  const TWO = `queues: |
  partitions:
    - placementrules: [{name: provided, create: false}]
      queues:
        - name: root
          submitacl: "*"
          queues:
            - {name: etl, resources: {guaranteed: {vcore: 4}}, properties: {preemption.delay: 5s}}
            - {name: adhoc, resources: {guaranteed: {vcore: 4}}}
nodes:
  - {name: node-1, allocatable: {cpu: "8", memory: 32Gi}}
`;
  const burst = Array.from({ length: 8 }, (_, i) => `  - {name: adhoc-${i}, labels: {applicationId: adhoc, queue: root.adhoc}, requests: {cpu: "1"}, submitAt: ${i === 0 ? 0 : 1}}`).join('\n');

  it('takes back a guarantee: the youngest adhoc pods end Preempted and the etl pod runs', () => {
    const out = run(`${TWO}pods:
${burst}
  - {name: etl-0, labels: {applicationId: etl, queue: root.etl}, requests: {cpu: "2"}, submitAt: 2}
`);
    const preempted = out.pods.filter((p) => p.state === 'Preempted').map((p) => p.name);
    expect(preempted).toHaveLength(2);
    expect(preempted).not.toContain('adhoc-0');
    expect(pod(out, 'etl-0').state).toBe('Bound');
    expect(pod(out, 'etl-0').boundAt).toBe(7);
    expect(pod(out, adhocLeft(out)).state).toBe('Bound');
  });

  it('takes the driver last and spares pods that opt out', () => {
    const pods = Array.from({ length: 8 }, (_, i) => {
      const role = i === 0 ? 'driver' : 'executor';
      const optOut = i >= 5 ? ', annotations: {yunikorn.apache.org/allow-preemption: "false"}' : '';
      return `  - {name: adhoc-${i}, labels: {spark-app-selector: adhoc, spark-role: ${role}, queue: root.adhoc}${optOut}, requests: {cpu: "1"}, submitAt: ${i}}`;
    }).join('\n');
    const out = run(`${TWO}pods:
${pods}
  - {name: etl-0, labels: {applicationId: etl, queue: root.etl}, requests: {cpu: "2"}, submitAt: 8}
`);
    expect(out.pods.filter((p) => p.state === 'Preempted').map((p) => p.name)).toEqual(['adhoc-3', 'adhoc-4']);
    expect(pod(out, 'etl-0').state).toBe('Bound');
  });
});

/** Any adhoc pod still running (the one submitted first stays). */
function adhocLeft(out: Out): string {
  return out.pods.find((p) => p.name.startsWith('adhoc') && p.state === 'Bound')?.name ?? 'none';
}

describe('drover simulate: application priority', () => {
  const config = (sorting: string) => `queues: |
  partitions:
    - placementrules: [{name: fixed, value: root.jobs}]
      queues:
        - name: root
          submitacl: "*"
          queues: [{name: jobs, properties: {application.sort.priority: ${sorting}}}]
nodes:
  - {name: node-1, allocatable: {cpu: "1", memory: 8Gi}}
pods:
  - {name: early-low, labels: {applicationId: first}, requests: {cpu: "1"}, priority: 1}
  - {name: late-high, labels: {applicationId: second}, requests: {cpu: "1"}, priority: 1000}
`;

  it('puts the application with the higher priority pod first, unless application.sort.priority is disabled', () => {
    expect(pod(run(config('enabled')), 'late-high').state).toBe('Bound');
    // disabled: fifo by submission only, the first application goes first
    const out = run(config('disabled'));
    expect(pod(out, 'early-low').state).toBe('Bound');
    expect(pod(out, 'late-high').reason?.code).toBe('InsufficientCapacity');
  });
});

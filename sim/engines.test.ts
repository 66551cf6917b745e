/**
 * The analytics engines through the simulator: pods labelled and annotated as each engine writes them
 * (including the Spark operator's and KubeRay's YuniKorn integrations, which add queue labels and task
 * groups), several clusters of different engines in one namespace. Each job or cluster is one
 * application, in the queue its labels or the placement rules give it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './test-helpers.js';

interface Out {
  pods: { name: string; state: string; applicationId: string | null; queue: string | null; reason: { code: string } | null }[];
  applications: { applicationId: string; queue: string | null; state: string }[];
}

const QUEUES = `partitions:
  - placementrules:
      - {name: provided, create: false}
      - {name: tag, value: namespace, create: true, parent: {name: fixed, value: root.tenants}}
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: spark, resources: {guaranteed: {vcore: 8}}}
          - {name: ml, resources: {guaranteed: {vcore: 8}}}
          - {name: tenants, parent: true}
`;

const run = (pods: string, head = ''): Out =>
  runScenario(
    `${head}nodes:
  - {name: node-1, allocatable: {cpu: "16", memory: 64Gi}}
  - {name: node-2, allocatable: {cpu: "16", memory: 64Gi}}
pods:
${pods}`,
    QUEUES,
  ) as Out;

const json = (v: unknown) => JSON.stringify(v).replace(/'/g, "''");
const labels = (o: Record<string, string>) => `{${Object.entries(o).map(([k, v]) => `${k}: "${v}"`).join(', ')}}`;
const annotations = (o: Record<string, string>) => `{${Object.entries(o).map(([k, v]) => `${k}: '${v}'`).join(', ')}}`;
const pod = (name: string, l: Record<string, string>, a: Record<string, string> = {}, cpu = '1', at = 0) =>
  `  - {name: ${name}, namespace: analytics, labels: ${labels(l)}, annotations: ${annotations(a)}, requests: {cpu: "${cpu}", memory: 2Gi}, submitAt: ${at}}`;

/** The Spark operator with batchScheduler yunikorn: queue label, task groups on the driver, group names on all. */
function sparkOperatorJob(app: string, id: string, executors: number): string[] {
  const common = { 'sparkoperator.k8s.io/app-name': app, 'sparkoperator.k8s.io/launched-by-spark-operator': 'true', 'sparkoperator.k8s.io/submission-id': `${id}-sub`, 'spark-app-selector': id, queue: 'root.spark' };
  const groups = [
    { name: 'spark-driver', minMember: 1, minResource: { cpu: '1', memory: '2Gi' } },
    { name: 'spark-executor', minMember: executors, minResource: { cpu: '1', memory: '2Gi' } },
  ];
  return [
    pod(`${app}-driver`, { ...common, 'spark-role': 'driver' }, { 'yunikorn.apache.org/task-group-name': 'spark-driver', 'yunikorn.apache.org/task-groups': json(groups) }),
    ...Array.from({ length: executors }, (_, i) => pod(`${app}-exec-${i + 1}`, { ...common, 'spark-role': 'executor', 'spark-exec-id': String(i + 1) }, { 'yunikorn.apache.org/task-group-name': 'spark-executor' }, '1', 1)),
  ];
}

/** KubeRay with its YuniKorn integration and gang scheduling on: applicationId and queue labels, task groups on every pod. */
function rayCluster(cluster: string, workers: number): string[] {
  const groups = [
    { name: 'headgroup', minMember: 1, minResource: { cpu: '1', memory: '2Gi' } },
    { name: 'workers', minMember: workers, minResource: { cpu: '1', memory: '2Gi' } },
  ];
  const common = (type: string, group: string) => ({ 'ray.io/is-ray-node': 'yes', 'ray.io/cluster': cluster, 'ray.io/node-type': type, 'ray.io/group': group, 'ray.io/identifier': `${cluster}-${type}`, 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator', applicationId: `ray-${cluster}`, queue: 'root.ml' });
  const gang = (group: string) => ({ 'yunikorn.apache.org/task-groups': json(groups), 'yunikorn.apache.org/task-group-name': group });
  return [pod(`${cluster}-head`, common('head', 'headgroup'), gang('headgroup')), ...Array.from({ length: workers }, (_, i) => pod(`${cluster}-worker-${i}`, common('worker', 'workers'), gang('workers')))];
}

const daskOperator = (cluster: string) => [
  pod(`${cluster}-scheduler`, { 'dask.org/cluster-name': cluster, 'dask.org/component': 'scheduler' }),
  pod(`${cluster}-default-worker-1`, { 'dask.org/cluster-name': cluster, 'dask.org/workergroup-name': `${cluster}-default`, 'dask.org/component': 'worker' }),
];
const daskChart = (release: string) => [pod(`${release}-dask-scheduler`, { app: 'dask', release, component: 'scheduler', heritage: 'Helm' }), pod(`${release}-dask-worker-1`, { app: 'dask', release, component: 'worker', heritage: 'Helm' })];
const flink = (cluster: string, type = 'flink-native-kubernetes') => [pod(`${cluster}-jobmanager`, { app: cluster, type, component: 'jobmanager' }), pod(`${cluster}-taskmanager-1-1`, { app: cluster, type, component: 'taskmanager' })];

describe('drover simulate: the analytics engines in one namespace', () => {
  const out = run(
    [
      ...sparkOperatorJob('pi', 'spark-0a1b', 2),
      ...sparkOperatorJob('wordcount', 'spark-9f8e', 1),
      ...rayCluster('r1', 2),
      ...rayCluster('r2', 1),
      ...daskOperator('simple'),
      ...daskOperator('big'),
      ...daskChart('analysis'),
      ...flink('wc'),
      ...flink('sessions', 'flink-standalone-kubernetes'),
      pod('web', { app: 'web' }),
    ].join('\n'),
  );
  const byPod = Object.fromEntries(out.pods.map((p) => [p.name, [p.applicationId, p.queue]]));

  it('makes each job or cluster one application, two of an engine two', () => {
    expect(byPod).toEqual({
      'pi-driver': ['spark-0a1b', 'root.spark'],
      'pi-exec-1': ['spark-0a1b', 'root.spark'],
      'pi-exec-2': ['spark-0a1b', 'root.spark'],
      'wordcount-driver': ['spark-9f8e', 'root.spark'],
      'wordcount-exec-1': ['spark-9f8e', 'root.spark'],
      'r1-head': ['ray-r1', 'root.ml'],
      'r1-worker-0': ['ray-r1', 'root.ml'],
      'r1-worker-1': ['ray-r1', 'root.ml'],
      'r2-head': ['ray-r2', 'root.ml'],
      'r2-worker-0': ['ray-r2', 'root.ml'],
      'simple-scheduler': ['analytics-dask-simple', 'root.tenants.analytics'],
      'simple-default-worker-1': ['analytics-dask-simple', 'root.tenants.analytics'],
      'big-scheduler': ['analytics-dask-big', 'root.tenants.analytics'],
      'big-default-worker-1': ['analytics-dask-big', 'root.tenants.analytics'],
      'analysis-dask-scheduler': ['analytics-dask-analysis', 'root.tenants.analytics'],
      'analysis-dask-worker-1': ['analytics-dask-analysis', 'root.tenants.analytics'],
      'wc-jobmanager': ['analytics-flink-wc', 'root.tenants.analytics'],
      'wc-taskmanager-1-1': ['analytics-flink-wc', 'root.tenants.analytics'],
      'sessions-jobmanager': ['analytics-flink-sessions', 'root.tenants.analytics'],
      'sessions-taskmanager-1-1': ['analytics-flink-sessions', 'root.tenants.analytics'],
      web: ['yunikorn-analytics-autogen', 'root.tenants.analytics'],
    });
  });

  it('runs the gangs the Spark operator and KubeRay declare, and every pod', () => {
    expect(out.pods.filter((p) => p.state !== 'Bound').map((p) => [p.name, p.state, p.reason?.code])).toEqual([]);
    const states = Object.fromEntries(out.applications.map((a) => [a.applicationId, a.state]));
    expect(states).toMatchObject({ 'spark-0a1b': 'Running', 'spark-9f8e': 'Running', 'ray-r1': 'Running', 'ray-r2': 'Running' });
    expect(out.applications).toHaveLength(10);
  });
});

describe('drover simulate: an engine gang that does not fit', () => {
  it("keeps a KubeRay cluster's pods GangPending while it waits, then (Soft, YuniKorn's default) schedules them without it", () => {
    const waiting = run(rayCluster('huge', 40).join('\n'), 'ticks: 5\n');
    const head = waiting.pods.find((p) => p.name === 'huge-head');
    expect(head?.state).toBe('Pending');
    expect(head?.reason?.code).toBe('GangPending');
    expect(waiting.applications.find((a) => a.applicationId === 'ray-huge')?.state).toBe('Accepted');
    // 15 minutes later (the default placeholder timeout) the gang is given up and what fits runs
    const after = run(rayCluster('huge', 40).join('\n'));
    expect(after.pods.find((p) => p.name === 'huge-head')?.state).toBe('Bound');
    expect(after.pods.filter((p) => p.state === 'Bound')).toHaveLength(32);
    expect(after.applications.find((a) => a.applicationId === 'ray-huge')?.state).toBe('Running');
  });
});

/**
 * The analytics engines' pods through the admission decision, with the labels each engine writes on
 * them: every job or cluster is one application, and two clusters in one namespace are two.
 */
import { describe, expect, it } from 'vitest';
import { decidePod } from './decide-pod.js';
import type { PodMutation } from './decision.js';
import { admissionSettings } from './settings.js';
import { ALICE, applyPatch, at, makePod } from './test-helpers.js';

const APP_ID = 'yunikorn.apache.org/app-id';

function admit(labels: Record<string, string>, settings: Record<string, string> = {}, namespace = 'team-a'): PodMutation {
  let builder = makePod().namespace(namespace);
  for (const [k, v] of Object.entries(labels)) builder = builder.label(k, v);
  const pod = builder.build();
  const decision = decidePod({ pod, namespace: { name: namespace }, user: ALICE, operation: 'CREATE', settings: admissionSettings(settings).settings });
  if (decision.kind !== 'mutate') throw new Error(`expected a mutation, got ${JSON.stringify(decision)}`);
  // what the decision reports is what the patched pod carries
  const patched = applyPatch(pod, decision.patch);
  if (decision.applicationIdSource === 'engine-label' || decision.applicationIdSource === 'generated') {
    expect(at(patched, 'metadata', 'labels', APP_ID)).toBe(decision.applicationId);
    expect(at(patched, 'metadata', 'labels', 'applicationId')).toBe(decision.applicationId);
  }
  return decision;
}

const ids = (pods: Record<string, string>[]) => pods.map((labels) => admit(labels).applicationId);

// spark-submit: the driver and its executors
const sparkDriver = { 'spark-app-selector': 'spark-5f1c9a7e2b', 'spark-app-name': 'pi', 'spark-role': 'driver', 'spark-version': '3.5.1' };
const sparkExecutor = (n: number) => ({ 'spark-app-selector': 'spark-5f1c9a7e2b', 'spark-app-name': 'pi', 'spark-role': 'executor', 'spark-exec-id': String(n), 'spark-exec-resourceprofile-id': '0' });
// the Spark operator, for a SparkApplication named pi-operator
const operator = { 'sparkoperator.k8s.io/app-name': 'pi-operator', 'sparkoperator.k8s.io/launched-by-spark-operator': 'true', 'sparkoperator.k8s.io/submission-id': '7d1e' };
// KubeRay: two RayClusters in one namespace
const ray = (cluster: string, type: 'head' | 'worker', group: string) => ({
  'ray.io/cluster': cluster,
  'ray.io/node-type': type,
  'ray.io/group': group,
  'ray.io/identifier': `${cluster}-${type}`,
  'ray.io/is-ray-node': 'yes',
  'app.kubernetes.io/name': 'kuberay',
  'app.kubernetes.io/created-by': 'kuberay-operator',
});
// the Dask operator
const dask = (cluster: string, component: 'scheduler' | 'worker') => ({
  'dask.org/cluster-name': cluster,
  'dask.org/component': component,
  ...(component === 'worker' ? { 'dask.org/workergroup-name': 'default' } : {}),
});
// Flink native Kubernetes (and the Flink operator)
const flink = (cluster: string, component: 'jobmanager' | 'taskmanager') => ({ app: cluster, component, type: 'flink-native-kubernetes' });

describe('decidePod: the engines', () => {
  it("Spark on Kubernetes: the driver and its executors share YuniKorn's spark-app-selector id", () => {
    const decisions = [sparkDriver, sparkExecutor(1), sparkExecutor(2)].map((l) => admit(l));
    expect(decisions.map((d) => [d.applicationId, d.applicationIdSource])).toEqual(Array(3).fill(['spark-5f1c9a7e2b', 'spark-label']));
    // spark-app-selector is left where it is, as in YuniKorn
    expect(decisions[0]?.labels).toEqual({});
  });

  it('the Spark operator: spark-app-selector keeps precedence; without it, the SparkApplication names the application', () => {
    expect(admit({ ...operator, ...sparkDriver }).applicationId).toBe('spark-5f1c9a7e2b');
    const driver = admit({ ...operator, 'spark-role': 'driver' });
    const executor = admit({ ...operator, 'spark-role': 'executor' });
    expect(driver).toMatchObject({ applicationId: 'team-a-sparkoperator-pi-operator', applicationIdSource: 'engine-label', labels: { [APP_ID]: 'team-a-sparkoperator-pi-operator', applicationId: 'team-a-sparkoperator-pi-operator' } });
    expect(executor.applicationId).toBe(driver.applicationId);
  });

  it('KubeRay: head and workers of a cluster are one application, two clusters in one namespace are two', () => {
    const a = ids([ray('raycluster-a', 'head', 'headgroup'), ray('raycluster-a', 'worker', 'small-group'), ray('raycluster-a', 'worker', 'gpu-group')]);
    const b = ids([ray('raycluster-b', 'head', 'headgroup'), ray('raycluster-b', 'worker', 'small-group')]);
    expect(new Set(a)).toEqual(new Set(['team-a-ray-raycluster-a']));
    expect(new Set(b)).toEqual(new Set(['team-a-ray-raycluster-b']));
  });

  it('Dask: the scheduler and the workers are one application, apart from a Ray cluster of the same name', () => {
    expect(new Set(ids([dask('simple', 'scheduler'), dask('simple', 'worker'), dask('simple', 'worker')]))).toEqual(new Set(['team-a-dask-simple']));
    expect(admit(ray('other', 'head', 'headgroup')).applicationId).not.toBe(admit(dask('simple', 'scheduler')).applicationId);
  });

  it('Flink: the jobmanager and the taskmanagers are one application', () => {
    expect(new Set(ids([flink('wordcount', 'jobmanager'), flink('wordcount', 'taskmanager'), flink('wordcount', 'taskmanager')]))).toEqual(new Set(['team-a-flink-wordcount']));
  });

  it('a Flink-looking app label without type=flink-native-kubernetes does not count', () => {
    const m = admit({ app: 'wordcount', component: 'jobmanager' });
    expect(m).toMatchObject({ applicationId: 'yunikorn-team-a-autogen', applicationIdSource: 'generated' });
  });

  it("the same cluster name in two namespaces is two applications", () => {
    expect(admit(ray('r', 'head', 'headgroup'), {}, 'team-a').applicationId).toBe('team-a-ray-r');
    expect(admit(ray('r', 'head', 'headgroup'), {}, 'team-b').applicationId).toBe('team-b-ray-r');
  });

  it("YuniKorn's own labels keep precedence over an engine's", () => {
    const m = admit({ ...ray('raycluster-a', 'head', 'headgroup'), [APP_ID]: 'ray-a' });
    expect(m).toMatchObject({ applicationId: 'ray-a', applicationIdSource: 'canonical-label', labels: { applicationId: 'ray-a' } });
  });

  it('applicationLabels configures the list: an in-house key, or none at all', () => {
    expect(admit({ 'example.com/job': 'etl-7' }, { applicationLabels: 'example.com/job' }).applicationId).toBe('team-a-example-etl-7');
    expect(admit(ray('raycluster-a', 'head', 'headgroup'), { applicationLabels: '' }).applicationId).toBe('yunikorn-team-a-autogen');
  });

  it("the Spark operator with YuniKorn as its batch scheduler: the queue label it writes is the queue", () => {
    const driver = admit({ ...operator, ...sparkDriver, queue: 'root.spark.etl' });
    const executor = admit({ ...operator, ...sparkExecutor(1), queue: 'root.spark.etl' });
    expect([driver.applicationId, driver.queue]).toEqual(['spark-5f1c9a7e2b', 'root.spark.etl']);
    expect([executor.applicationId, executor.queue]).toEqual(['spark-5f1c9a7e2b', 'root.spark.etl']);
  });

  it("KubeRay's YuniKorn integration: its applicationId and queue labels win over ray.io/cluster", () => {
    const yk = (cluster: string, type: 'head' | 'worker') => ({ ...ray(cluster, type, type === 'head' ? 'headgroup' : 'workers'), applicationId: `ray-${cluster}-0001`, queue: 'root.ml.ray' });
    const head = admit(yk('a', 'head'));
    expect(head).toMatchObject({ applicationId: 'ray-a-0001', applicationIdSource: 'legacy-label', queue: 'root.ml.ray' });
    expect(admit(yk('a', 'worker')).applicationId).toBe('ray-a-0001');
    expect(admit(yk('b', 'worker')).applicationId).toBe('ray-b-0001');
  });

  it('the Flink operator in standalone mode, and the Dask Helm chart', () => {
    const standalone = (component: string) => ({ app: 'sessions', type: 'flink-standalone-kubernetes', component });
    expect(new Set(ids([standalone('jobmanager'), standalone('taskmanager')]))).toEqual(new Set(['team-a-flink-sessions']));
    const chart = (release: string, component: string) => ({ app: 'dask', release, component, heritage: 'Helm', chart: 'dask-2024.1.1' });
    expect(new Set(ids([chart('analysis', 'scheduler'), chart('analysis', 'worker')]))).toEqual(new Set(['team-a-dask-analysis']));
    expect(admit(chart('reports', 'worker')).applicationId).toBe('team-a-dask-reports');
  });

  it('unique generated ids do not apply to engine pods', () => {
    expect(admit(dask('simple', 'worker'), { generateUniqueAppId: 'true' }).applicationId).toBe('team-a-dask-simple');
  });
});

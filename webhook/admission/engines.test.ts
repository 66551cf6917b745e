import { describe, expect, it } from 'vitest';
import { DEFAULT_APPLICATION_LABELS, engineApplicationId, engineTag, findEngineApplicationId, formatApplicationLabel, roleOf } from './engines.js';

const map = (o: Record<string, string>) => new Map(Object.entries(o));
const FLINK = { app: 'wordcount', type: 'flink-native-kubernetes' };

describe('the engine table', () => {
  it("defaults to the engines' application labels, after spark-app-selector (YuniKorn's own)", () => {
    expect(DEFAULT_APPLICATION_LABELS.map(formatApplicationLabel)).toEqual([
      'sparkoperator.k8s.io/app-name',
      'app@type=flink-native-kubernetes',
      'app@type=flink-standalone-kubernetes',
      'ray.io/cluster',
      'dask.org/cluster-name',
      'release@app=dask',
    ]);
  });
});

describe('findEngineApplicationId', () => {
  it.each([
    { name: 'Spark operator', labels: { 'sparkoperator.k8s.io/app-name': 'pi', 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' }, want: 'team-a-sparkoperator-pi' },
    { name: 'Flink operator, standalone mode', labels: { app: 'wc', type: 'flink-standalone-kubernetes', component: 'taskmanager' }, want: 'team-a-flink-wc' },
    { name: 'Dask Helm chart', labels: { app: 'dask', release: 'analysis', component: 'worker', heritage: 'Helm' }, want: 'team-a-dask-analysis' },
    { name: 'a release label without the Dask chart', labels: { app: 'web', release: 'frontend' }, want: null },
    { name: 'Flink with its guard', labels: FLINK, want: 'team-a-flink-wordcount' },
    { name: 'a generic app label without the Flink guard', labels: { app: 'wordcount' }, want: null },
    { name: 'a Flink app label with another type', labels: { app: 'wordcount', type: 'web' }, want: null },
    { name: 'KubeRay', labels: { 'ray.io/cluster': 'raycluster-a', 'ray.io/node-type': 'head' }, want: 'team-a-ray-raycluster-a' },
    { name: 'Dask', labels: { 'dask.org/cluster-name': 'simple', 'dask.org/component': 'worker' }, want: 'team-a-dask-simple' },
    { name: 'an empty value', labels: { 'ray.io/cluster': '' }, want: null },
    { name: 'nothing', labels: { run: 'x' }, want: null },
  ])('$name -> $want', ({ labels, want }) => {
    expect(findEngineApplicationId(map(labels), 'team-a', DEFAULT_APPLICATION_LABELS)).toBe(want);
  });

  it('takes the first label of the list the pod carries', () => {
    const labels = map({ 'ray.io/cluster': 'r', 'dask.org/cluster-name': 'd' });
    expect(findEngineApplicationId(labels, 'ns', DEFAULT_APPLICATION_LABELS)).toBe('ns-ray-r');
    expect(findEngineApplicationId(labels, 'ns', [{ key: 'dask.org/cluster-name', guard: null }, { key: 'ray.io/cluster', guard: null }])).toBe('ns-dask-d');
    expect(findEngineApplicationId(labels, 'ns', [])).toBeNull();
  });

  it('truncates to 63 characters and trims a trailing separator, as generated ids', () => {
    const id = engineApplicationId('n'.repeat(36), 'ray', `${'c'.repeat(21)}-x`);
    expect(id).toBe(`${'n'.repeat(36)}-ray-${'c'.repeat(21)}`);
    expect(id.length).toBe(62);
    expect(engineApplicationId('ns', 'ray', 'c'.repeat(70)).length).toBe(63);
  });

  it('keeps clusters of two engines with one name in one namespace apart', () => {
    const ray = findEngineApplicationId(map({ 'ray.io/cluster': 'same' }), 'ns', DEFAULT_APPLICATION_LABELS);
    const dask = findEngineApplicationId(map({ 'dask.org/cluster-name': 'same' }), 'ns', DEFAULT_APPLICATION_LABELS);
    expect([ray, dask]).toEqual(['ns-ray-same', 'ns-dask-same']);
    expect(engineTag({ key: 'job', guard: null })).toBe('job');
    expect(engineTag({ key: 'example.com/job', guard: null })).toBe('example');
  });
});

describe('roleOf', () => {
  it.each([
    { labels: { 'spark-role': 'driver', 'spark-app-selector': 'spark-1' }, want: 'driver' },
    { labels: { 'spark-role': 'executor', 'sparkoperator.k8s.io/app-name': 'pi' }, want: 'executor' },
    { labels: { ...FLINK, component: 'jobmanager' }, want: 'jobmanager' },
    { labels: { ...FLINK, component: 'taskmanager' }, want: 'taskmanager' },
    { labels: { app: 'web', component: 'jobmanager' }, want: null }, // no Flink guard
    { labels: { 'ray.io/cluster': 'a', 'ray.io/node-type': 'head', 'ray.io/group': 'headgroup' }, want: 'head' },
    { labels: { 'ray.io/cluster': 'a', 'ray.io/node-type': 'worker', 'ray.io/group': 'small-group' }, want: 'worker' },
    { labels: { 'dask.org/cluster-name': 'simple', 'dask.org/component': 'scheduler' }, want: 'scheduler' },
    { labels: { 'dask.org/cluster-name': 'simple', 'dask.org/component': 'worker' }, want: 'worker' },
    { labels: { 'dask.org/cluster-name': 'simple', 'dask.org/component': 'job-runner' }, want: 'job-runner' },
    { labels: { app: 'wc', type: 'flink-standalone-kubernetes', component: 'jobmanager' }, want: 'jobmanager' },
    { labels: { app: 'dask', release: 'analysis', component: 'scheduler' }, want: 'scheduler' },
    { labels: { app: 'web', release: 'analysis', component: 'scheduler' }, want: null }, // no Dask chart guard
    { labels: { 'spark-role': 'toString' }, want: null }, // not an own property of the table
    { labels: { 'spark-role': 'shuffle' }, want: null },
    { labels: {}, want: null },
  ])('$labels -> $want', ({ labels, want }) => {
    expect(roleOf(map(labels))).toBe(want);
  });
});

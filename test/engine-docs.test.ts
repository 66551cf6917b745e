/**
 * The engine pages (docs/engines/*.md) stay true. Each page's queues.yaml loads; its manifests are
 * Kubernetes objects; its scenario, run through the simulator with the page's queues.yaml, gives the
 * outcome written out below pod by pod, and the page's own table states that same outcome. So a change
 * in drover's behaviour, or in a page, fails here. Across all pages: the pods of one job or cluster
 * (as the engine itself groups them, by its own labels) share one application id, and two jobs or
 * clusters never share one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';
import { admissionFor } from '../sim/adapters.js';
import { simulate } from '../sim/engine.js';
import { report } from '../sim/report.js';
import { parseScenario } from '../sim/scenario.js';
import type { Scenario } from '../sim/scenario.js';
import { DEFAULT_APPLICATION_LABELS, formatApplicationLabel } from '../webhook/admission/index.js';

interface Outcome {
  readonly applicationId: string;
  readonly queue: string;
  readonly state: string;
}
interface PodOut extends Outcome {
  readonly namespace: string;
  readonly name: string;
}
interface Out {
  readonly pods: readonly PodOut[];
  readonly applications: readonly { readonly applicationId: string; readonly state: string }[];
}

interface Page {
  readonly name: string;
  /** How many `yaml manifest` blocks the page shows (the spark-submit page has command lines only). */
  readonly manifests: number;
  /** The job or cluster a pod belongs to, by the engine's own labels: what must be one application. */
  readonly jobOf: (labels: Readonly<Record<string, string>>) => string | undefined;
  /** The ways of running the engine the page covers, and how a pod shows which one it came from. */
  readonly modes: readonly string[];
  readonly modeOf: (labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>) => string;
  readonly expected: Readonly<Record<string, Outcome>>;
}

const bound = (applicationId: string, queue: string): Outcome => ({ applicationId, queue, state: 'Bound' });

const SPARK_ETL = 'spark-b8bf88e1d3fe46ba9dec720b6ac42dfc';
const SPARK_PI = 'spark-78640212f30c47dbb826fdea4015fc47';
const OPERATOR_PI = 'spark-786a1c75f06f41b58289b39d9a009586';
const OPERATOR_ETL = 'spark-40f66baf72084bc8809f2fe39ef9f414';

const PAGES: readonly Page[] = [
  {
    name: 'spark',
    manifests: 0,
    jobOf: (l) => l['spark-app-selector'],
    modes: ['plain', 'YuniKorn settings'],
    modeOf: (_l, a) => (a['yunikorn.apache.org/app-id'] === undefined ? 'plain' : 'YuniKorn settings'),
    expected: {
      // the queue label names root.spark.etl; the gang (1 + 2 placeholders) is placed and taken over
      'etl-daily-5e2b9c1f7a3d4086-driver': bound(SPARK_ETL, 'root.spark.etl'),
      'etl-daily-5e2b9c1f7a3d4086-exec-1': bound(SPARK_ETL, 'root.spark.etl'),
      'etl-daily-5e2b9c1f7a3d4086-exec-2': bound(SPARK_ETL, 'root.spark.etl'),
      // no queue: the tag rule, namespace team-a under root.spark
      'pi-0a7c3e9d2b5f1468-driver': bound(SPARK_PI, 'root.spark.team-a'),
      'pi-0a7c3e9d2b5f1468-exec-1': bound(SPARK_PI, 'root.spark.team-a'),
      'pi-0a7c3e9d2b5f1468-exec-2': bound(SPARK_PI, 'root.spark.team-a'),
    },
  },
  {
    name: 'spark-operator',
    manifests: 2,
    jobOf: (l) => l['sparkoperator.k8s.io/app-name'],
    modes: ['batchScheduler yunikorn', 'no batchScheduler'],
    modeOf: (_l, a) => (a['yunikorn.apache.org/task-group-name'] === undefined ? 'no batchScheduler' : 'batchScheduler yunikorn'),
    expected: {
      // spark-app-selector wins over sparkoperator.k8s.io/app-name; batchSchedulerOptions.queue -> label queue
      'pi-driver': bound(OPERATOR_PI, 'root.spark.adhoc'),
      'pi-3c9e7a1b5d2f4068-exec-1': bound(OPERATOR_PI, 'root.spark.adhoc'),
      'pi-3c9e7a1b5d2f4068-exec-2': bound(OPERATOR_PI, 'root.spark.adhoc'),
      'etl-daily-driver': bound(OPERATOR_ETL, 'root.spark.team-a'),
      'etl-daily-8b1d5f3a9c7e2046-exec-1': bound(OPERATOR_ETL, 'root.spark.team-a'),
      'etl-daily-8b1d5f3a9c7e2046-exec-2': bound(OPERATOR_ETL, 'root.spark.team-a'),
    },
  },
  {
    name: 'flink',
    manifests: 2,
    // native and standalone clusters: app, guarded by type
    jobOf: (l) => (l.type === 'flink-native-kubernetes' || l.type === 'flink-standalone-kubernetes' ? l.app : undefined),
    modes: ['flink-native-kubernetes', 'flink-standalone-kubernetes'],
    modeOf: (l) => l.type ?? 'none',
    expected: {
      'wordcount-6f7d9c8b5-k2x9q': bound('team-a-flink-wordcount', 'root.flink.prod'),
      'wordcount-taskmanager-1-1': bound('team-a-flink-wordcount', 'root.flink.prod'),
      'wordcount-taskmanager-1-2': bound('team-a-flink-wordcount', 'root.flink.prod'),
      'fraud-detector-7c8d9f6b4-w5n7t': bound('team-a-flink-fraud-detector', 'root.flink.team-a'),
      'fraud-detector-taskmanager-1-1': bound('team-a-flink-fraud-detector', 'root.flink.team-a'),
      'fraud-detector-taskmanager-1-2': bound('team-a-flink-fraud-detector', 'root.flink.team-a'),
      'clickstream-5d8f7c9b6-h4m2n': bound('team-a-flink-clickstream', 'root.flink.team-a'),
      'clickstream-taskmanager-6b9d8c7f5-p3q8r': bound('team-a-flink-clickstream', 'root.flink.team-a'),
      'clickstream-taskmanager-6b9d8c7f5-z7x2c': bound('team-a-flink-clickstream', 'root.flink.team-a'),
    },
  },
  {
    name: 'ray',
    manifests: 2,
    jobOf: (l) => l['ray.io/cluster'],
    modes: ['plain', 'YuniKorn integration'],
    modeOf: (l) => (l.applicationId === undefined ? 'plain' : 'YuniKorn integration'),
    expected: {
      // KubeRay's labels only: ray.io/cluster names the application
      'tune-head-x7k2p': bound('team-a-ray-tune', 'root.ray.team-a'),
      'tune-cpu-worker-b4n9m': bound('team-a-ray-tune', 'root.ray.team-a'),
      'tune-cpu-worker-q8r3t': bound('team-a-ray-tune', 'root.ray.team-a'),
      // the YuniKorn integration's applicationId wins; its gang (1 + 2 placeholders) is placed and taken over
      'train-head-m2v6w': bound('ray-train-0001', 'root.ray.training'),
      'train-workers-worker-h5j7k': bound('ray-train-0001', 'root.ray.training'),
      'train-workers-worker-p9c4d': bound('ray-train-0001', 'root.ray.training'),
    },
  },
  {
    name: 'dask',
    manifests: 2,
    // the operator's clusters, and the chart's releases (release, guarded by app: dask)
    jobOf: (l) => l['dask.org/cluster-name'] ?? (l.app === 'dask' && l.release !== undefined ? `release ${l.release}` : undefined),
    modes: ['operator', 'Helm chart'],
    modeOf: (l) => (l['dask.org/cluster-name'] === undefined ? 'Helm chart' : 'operator'),
    expected: {
      // no queue anywhere: the tag rule creates root.dask.team-a from the child template
      // (max 24 CPUs; the three clusters ask 5 + 5 + 5 = 15)
      'simple-scheduler-7b9c8d6f5-q2w4e': bound('team-a-dask-simple', 'root.dask.team-a'),
      'simple-default-worker-7a70243c69-6d8f7c9b5-x4k2p': bound('team-a-dask-simple', 'root.dask.team-a'),
      'simple-default-worker-62b7b8f936-5c7d9f8b6-m3n5p': bound('team-a-dask-simple', 'root.dask.team-a'),
      'reports-scheduler-5f8c7b9d6-r6t8y': bound('team-a-dask-reports', 'root.dask.team-a'),
      'reports-default-worker-46cb6e94ae-7f9b8c6d5-h2j4k': bound('team-a-dask-reports', 'root.dask.team-a'),
      'reports-highmem-worker-5220fcb8b8-6c8d7b9f5-v3b5n': bound('team-a-dask-reports', 'root.dask.team-a'),
      'analytics-dask-scheduler-6c8d9b7f4-t5y7u': bound('team-a-dask-analytics', 'root.dask.team-a'),
      'analytics-dask-worker-5f6d7c8b9-a1b2c': bound('team-a-dask-analytics', 'root.dask.team-a'),
      'analytics-dask-worker-5f6d7c8b9-d3e4f': bound('team-a-dask-analytics', 'root.dask.team-a'),
    },
  },
];

const DOCS = join(import.meta.dirname, '..', 'docs', 'engines');

/** The bodies of the fenced blocks whose info string is exactly `info`. */
function fenced(markdown: string, info: string): string[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].filter((m) => m[1]?.trim() === info).map((m) => m[2] ?? '');
}

/** The rows of the page's "Expected outcome" table: pod -> application id, queue, state. */
function statedOutcome(markdown: string): Record<string, Outcome> {
  const section = markdown.split(/^### Expected outcome$/m)[1] ?? '';
  const rows = [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \| (\w+) \|$/gm)];
  return Object.fromEntries(rows.map((m) => [m[1] ?? '', { applicationId: m[2] ?? '', queue: m[3] ?? '', state: m[4] ?? '' }]));
}

function mustScenario(text: string): Scenario {
  const parsed = parseScenario(text);
  if (!parsed.ok) expect.fail(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.scenario;
}

function run(scenario: Scenario, queuesYaml: string): Out {
  const config = loadConfig(queuesYaml);
  if (!config.ok) expect.fail(config.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const admission = admissionFor(scenario.admission);
  if (!admission.ok) expect.fail('bad admission settings');
  return report(simulate(scenario, config.config, admission.settings)) as Out;
}

describe.each(PAGES.map((page) => [`docs/engines/${page.name}.md`, page] as const))('%s', (_file, page) => {
  const markdown = readFileSync(join(DOCS, `${page.name}.md`), 'utf8');
  const queuesYaml = fenced(markdown, 'yaml queues.yaml');
  const scenarios = fenced(markdown, 'yaml scenario');

  it('has one queues.yaml, which loads without errors', () => {
    expect(queuesYaml).toHaveLength(1);
    const loaded = loadConfig(queuesYaml[0] ?? '');
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  it('has manifests that are Kubernetes objects', () => {
    const manifests = fenced(markdown, 'yaml manifest');
    expect(manifests).toHaveLength(page.manifests);
    for (const text of manifests) {
      const docs = loadAll(text).filter((d) => d !== null && d !== undefined);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc).toMatchObject({ apiVersion: expect.any(String) as unknown, kind: expect.any(String) as unknown });
      }
    }
  });

  it('has one scenario, which uses the page queues.yaml', () => {
    expect(scenarios).toHaveLength(1);
    expect(mustScenario(scenarios[0] ?? '').queues).toBeNull();
  });

  it('states the outcome expected here', () => {
    expect(statedOutcome(markdown)).toEqual(page.expected);
  });

  it('runs through the simulator to exactly that outcome', () => {
    const out = run(mustScenario(scenarios[0] ?? ''), queuesYaml[0] ?? '');
    const actual = Object.fromEntries(out.pods.map((p) => [p.name, { applicationId: p.applicationId, queue: p.queue, state: p.state }]));
    expect(actual).toEqual(page.expected);
  });

  it('runs every application of the scenario', () => {
    const out = run(mustScenario(scenarios[0] ?? ''), queuesYaml[0] ?? '');
    const ids = [...new Set(Object.values(page.expected).map((o) => o.applicationId))].sort();
    expect(out.applications.map((a) => ({ id: a.applicationId, state: a.state })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(ids.map((id) => ({ id, state: 'Running' })));
  });

  it('covers every mode the page describes', () => {
    const scenario = mustScenario(scenarios[0] ?? '');
    expect([...new Set(scenario.pods.map((p) => page.modeOf(p.labels, p.annotations)))].sort()).toEqual([...page.modes].sort());
  });

  it('shows two or more jobs of the engine in one namespace, each its own application', () => {
    const scenario = mustScenario(scenarios[0] ?? '');
    const out = run(scenario, queuesYaml[0] ?? '');
    const idsByJob = new Map<string, Set<string>>();
    const namespaces = new Set<string>();
    for (const spec of scenario.pods) {
      const job = page.jobOf(spec.labels);
      if (job === undefined) expect.fail(`pod ${spec.name} carries no label of its engine's job`);
      namespaces.add(spec.namespace);
      const id = out.pods.find((p) => p.namespace === spec.namespace && p.name === spec.name)?.applicationId ?? 'none';
      idsByJob.set(`${spec.namespace}/${job}`, (idsByJob.get(`${spec.namespace}/${job}`) ?? new Set()).add(id));
    }
    expect(namespaces.size).toBe(1);
    expect(idsByJob.size).toBeGreaterThanOrEqual(2);
    // one id per job, and no id shared by two jobs
    for (const [job, ids] of idsByJob) expect({ job, ids: ids.size }).toEqual({ job, ids: 1 });
    const all = [...idsByJob.values()].flatMap((ids) => [...ids]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('docs/engines/dask.md, nameOverride', () => {
  it('quotes the current default of applicationLabels, then the added entry', () => {
    const markdown = readFileSync(join(DOCS, 'dask.md'), 'utf8');
    const defaults = DEFAULT_APPLICATION_LABELS.map(formatApplicationLabel).join(',');
    expect(markdown).toContain(`\n${defaults},release@app=<name>\n`);
  });
});

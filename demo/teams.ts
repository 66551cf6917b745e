/**
 * The tenants of the demo workload, in one table: each team's namespace, its queue (guaranteed and
 * maximum resources) and the shape of the Spark applications it submits. The demo's queues.yaml is
 * written from the same table, so a team's queue and its applications cannot drift apart.
 *
 * Sized for `drover dev`'s default cluster (10 nodes of 8 cores and 32Gi: 80 cores, 320Gi): the
 * guarantees add up to 64 cores, and each maximum is below the cluster, so a burst of one team waits
 * on its queue's maximum while the others keep running.
 */

export interface PodSize {
  /** Kubernetes quantities, as in a pod's `resources.requests`. */
  readonly cpu: string;
  readonly memory: string;
}

export interface Team {
  /** The namespace, and the leaf queue `root.<name>` the tag rule places its applications in. */
  readonly name: string;
  /** How often it submits, relative to the other teams. */
  readonly weight: number;
  /** Its queue's resources, in queues.yaml's units (vcore in cores, memory with a unit). */
  readonly guaranteed: { readonly vcore: number; readonly memory: string };
  readonly max: { readonly vcore: number; readonly memory: string };
  /** The Spark jobs it runs (the `spark-app-name` of its pods). */
  readonly jobs: readonly string[];
  readonly driver: PodSize;
  readonly executor: PodSize;
  /** How many executors an application asks for, from..to inclusive. */
  readonly executors: readonly [number, number];
  /**
   * Its applications declare a gang (YuniKorn's task groups on the driver): the driver and all its
   * executors are reserved with placeholders before any of them runs.
   */
  readonly gang?: boolean;
}

export const TEAMS: readonly Team[] = [
  {
    name: 'analytics',
    weight: 3,
    guaranteed: { vcore: 24, memory: '96Gi' },
    max: { vcore: 48, memory: '192Gi' },
    jobs: ['daily-etl', 'sessionize', 'clickstream-agg'],
    driver: { cpu: '1', memory: '2Gi' },
    executor: { cpu: '1', memory: '4Gi' },
    executors: [2, 6],
  },
  {
    name: 'ml',
    weight: 2,
    guaranteed: { vcore: 32, memory: '128Gi' },
    max: { vcore: 56, memory: '224Gi' },
    jobs: ['train-ranker', 'feature-build', 'embeddings'],
    driver: { cpu: '1', memory: '4Gi' },
    executor: { cpu: '2', memory: '8Gi' },
    executors: [2, 8],
    gang: true,
  },
  {
    name: 'reporting',
    weight: 2,
    guaranteed: { vcore: 8, memory: '32Gi' },
    max: { vcore: 16, memory: '64Gi' },
    jobs: ['revenue-report', 'kpi-rollup'],
    driver: { cpu: '500m', memory: '1Gi' },
    executor: { cpu: '500m', memory: '2Gi' },
    executors: [1, 3],
  },
];

/**
 * The demo's queues.yaml: a queue per team under root with its guarantee and maximum; a pod that
 * names a queue goes there (`provided`), any other to the queue of its namespace (`tag`), created on
 * first use for namespaces that are not a team's.
 */
export function demoQueuesYaml(teams: readonly Team[] = TEAMS): string {
  const queues = teams.map((t) =>
    [
      `          - name: ${t.name}`,
      '            resources:',
      `              guaranteed: {vcore: ${t.guaranteed.vcore}, memory: ${t.guaranteed.memory}}`,
      `              max: {vcore: ${t.max.vcore}, memory: ${t.max.memory}}`,
    ].join('\n'),
  );
  return [
    "# drover dev's demo configuration: one queue per team (bin/drover dev --no-demo leaves it out).",
    'partitions:',
    '  - name: default',
    '    placementrules:',
    '      - name: provided',
    '        create: false',
    '      - name: tag',
    '        value: namespace',
    '        create: true',
    '    queues:',
    '      - name: root',
    "        submitacl: '*'",
    '        queues:',
    ...queues,
    '',
  ].join('\n');
}

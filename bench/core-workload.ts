/**
 * The input of the `core.schedule.*` benchmarks: a cluster of identical nodes, applications of
 * identical pods (a batch job's pods share one size; the sizes vary between jobs) spread over the
 * leaf queues of a three-level hierarchy (root -> departments -> teams, the teams are the leaves),
 * submitted by a set of users, and the queues.yaml that governs them.
 *
 * The quotas are derived from the generated demand, with headroom, so that every pod fits: queue
 * max = 150 % of what the queue's pods ask, leaf guaranteed = 80 % of it (a department is guaranteed
 * the sum of its teams), user limits = 150 % of the largest user's demand on that queue, and every
 * maxapplications twice what is submitted. Every allocation is checked against all of them, but none
 * binds: the benchmark measures what enforcing queues and limits costs, not what they refuse. The
 * pods ask for about 64 % of the cluster's cores and 50 % of its memory, so nodes never run short
 * either (the benchmark reports any pod left over).
 *
 * The pod sizes are not all multiples of one another (200m, 750m, 1500m next to whole cores), so nodes
 * are left with odd remainders as in a real cluster; with sizes that always add up to exactly 16
 * cores, full nodes would be exactly full, which flatters any node order that only skips those.
 *
 * Everything is generated from a fixed seed, so the workload is the same on every run.
 */
import type { NodeSortPolicyType } from '../core/config/index.js';
import { seededRandom as seeded } from '../core/random.js';

export interface WorkloadSize {
  readonly nodes: number;
  readonly departments: number;
  readonly teamsPerDepartment: number;
  readonly applications: number;
  readonly podsPerApplication: number;
  readonly users: number;
}

/** The workload: 5,000 nodes, 50,000 pods in 500 applications over 50 leaves, 50 users. */
export const FULL_WORKLOAD: WorkloadSize = { nodes: 5000, departments: 5, teamsPerDepartment: 10, applications: 500, podsPerApplication: 100, users: 50 };

/** The same shape at a hundredth of the pods: 50 nodes, 500 pods, for tests and JIT warm-up. */
export const SMALL_WORKLOAD: WorkloadSize = { nodes: 50, departments: 5, teamsPerDepartment: 10, applications: 50, podsPerApplication: 10, users: 10 };

const MILLI = 1000;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** Every node: 16 cores, 64 GiB, 110 pods (the kubelet's default). */
export const NODE_CAPACITY = { vcore: 16 * MILLI, memory: 64 * GiB, pods: 110 } as const;

/** Pod sizes with their weights: mostly small, a few large. Mean about 1.05 cores and 3.3 GiB. */
const POD_SHAPES: readonly { readonly vcore: number; readonly memory: number; readonly weight: number }[] = [
  { vcore: 200, memory: 512 * MiB, weight: 3 },
  { vcore: 500, memory: 1 * GiB, weight: 4 },
  { vcore: 750, memory: 2 * GiB, weight: 2 },
  { vcore: 1000, memory: 2 * GiB, weight: 4 },
  { vcore: 1000, memory: 4 * GiB, weight: 3 },
  { vcore: 1500, memory: 4 * GiB, weight: 2 },
  { vcore: 2000, memory: 8 * GiB, weight: 2 },
  { vcore: 4000, memory: 16 * GiB, weight: 1 },
];

export interface WorkloadApplication {
  readonly id: string;
  readonly queue: string;
  readonly user: string;
  /** The size of each of its pods, in millicores and bytes. */
  readonly vcore: number;
  readonly memory: number;
  readonly pods: number;
}

export interface Workload {
  readonly size: WorkloadSize;
  readonly nodeIds: readonly string[];
  readonly applications: readonly WorkloadApplication[];
  readonly pods: number;
  readonly leafQueues: number;
  /** queues.yaml for the given node sorting policy. */
  queuesYaml(policy: NodeSortPolicyType): string;
}


function pickShape(random: () => number): (typeof POD_SHAPES)[number] {
  const total = POD_SHAPES.reduce((s, x) => s + x.weight, 0);
  let r = random() * total;
  for (const shape of POD_SHAPES) {
    r -= shape.weight;
    if (r < 0) return shape;
  }
  return POD_SHAPES[0] ?? { vcore: MILLI, memory: GiB, weight: 1 };
}

interface Demand {
  vcore: number;
  memory: number;
  apps: number;
}

const pad = (i: number, width: number) => String(i).padStart(width, '0');

export function generateWorkload(size: WorkloadSize, seed = 20240601): Workload {
  const random = seeded(seed);
  const leaves: string[] = [];
  for (let d = 0; d < size.departments; d++) for (let t = 0; t < size.teamsPerDepartment; t++) leaves.push(`root.dept-${d}.team-${t}`);
  const nodeIds = Array.from({ length: size.nodes }, (_, i) => `node-${pad(i, 5)}`);

  // Application i goes to leaf i mod L; its user shifts by one every L applications, so each user
  // has applications in several leaves and departments, and users share leaves.
  const applications: WorkloadApplication[] = [];
  for (let i = 0; i < size.applications; i++) {
    const shape = pickShape(random);
    const queue = leaves[i % leaves.length] ?? 'root';
    const user = `user-${pad((i + Math.floor(i / leaves.length)) % size.users, 2)}`;
    applications.push({ id: `app-${pad(i, 4)}`, queue, user, vcore: shape.vcore, memory: shape.memory, pods: size.podsPerApplication });
  }

  // What each queue, and each user on each queue, asks for in total.
  const byQueue = new Map<string, Demand>();
  const byUser = new Map<string, Map<string, Demand>>();
  const bump = (m: Map<string, Demand>, key: string, app: WorkloadApplication) => {
    const d = m.get(key) ?? { vcore: 0, memory: 0, apps: 0 };
    d.vcore += app.vcore * app.pods;
    d.memory += app.memory * app.pods;
    d.apps += 1;
    m.set(key, d);
  };
  for (const app of applications) {
    const parts = app.queue.split('.');
    for (let n = 2; n <= parts.length; n++) {
      const path = parts.slice(0, n).join('.');
      bump(byQueue, path, app);
      const users = byUser.get(path) ?? new Map<string, Demand>();
      bump(users, app.user, app);
      byUser.set(path, users);
    }
  }
  // Every fifth user is named on the departments (a "power user" limit); the others fall under the wildcard.
  const named = (user: string) => Number(user.slice('user-'.length)) % 5 === 0;

  return {
    size,
    nodeIds,
    applications,
    pods: size.applications * size.podsPerApplication,
    leafQueues: leaves.length,
    queuesYaml: (policy) => queuesYaml(size, policy, byQueue, byUser, named),
  };
}

const cores = (milli: number, factor: number) => Math.max(1, Math.ceil((milli * factor) / MILLI));
const gibs = (bytes: number, factor: number) => Math.max(1, Math.ceil((bytes * factor) / GiB));
const res = (d: Demand, factor: number) => `{vcore: ${cores(d.vcore, factor)}, memory: ${gibs(d.memory, factor)}Gi}`;
const NONE: Demand = { vcore: 0, memory: 0, apps: 0 };

/** The largest demand of the users matching `which` on a queue, entry by entry; null when none. */
function largest(users: ReadonlyMap<string, Demand> | undefined, which: (user: string) => boolean): { names: string[]; demand: Demand } | null {
  const names: string[] = [];
  const demand: Demand = { vcore: 0, memory: 0, apps: 0 };
  for (const [user, d] of users ?? []) {
    if (!which(user)) continue;
    names.push(user);
    demand.vcore = Math.max(demand.vcore, d.vcore);
    demand.memory = Math.max(demand.memory, d.memory);
    demand.apps = Math.max(demand.apps, d.apps);
  }
  return names.length === 0 ? null : { names: names.sort(), demand };
}

function queuesYaml(size: WorkloadSize, policy: NodeSortPolicyType, byQueue: ReadonlyMap<string, Demand>, byUser: ReadonlyMap<string, ReadonlyMap<string, Demand>>, named: (user: string) => boolean): string {
  const lines = [
    'partitions:',
    '  - name: default',
    `    nodesortpolicy: {type: ${policy}}`,
    '    placementrules:',
    '      - name: provided',
    '        create: false',
    '    queues:',
    '      - name: root',
    '        submitacl: "*"',
    '        queues:',
  ];
  const limit = (indent: string, description: string, users: readonly string[], d: Demand) => [
    `${indent}- limit: ${description}`,
    `${indent}  users: [${users.map((u) => (u === '*' ? '"*"' : u)).join(', ')}]`,
    `${indent}  maxresources: ${res(d, 1.5)}`,
    `${indent}  maxapplications: ${2 * d.apps}`,
  ];
  for (let d = 0; d < size.departments; d++) {
    const dept = `root.dept-${d}`;
    const demand = byQueue.get(dept) ?? NONE;
    let guaranteed = { vcore: 0, memory: 0, apps: 0 };
    for (let t = 0; t < size.teamsPerDepartment; t++) {
      const team = byQueue.get(`${dept}.team-${t}`) ?? NONE;
      guaranteed = { vcore: guaranteed.vcore + cores(team.vcore, 0.8) * MILLI, memory: guaranteed.memory + gibs(team.memory, 0.8) * GiB, apps: 0 };
    }
    lines.push(
      `          - name: dept-${d}`,
      `            maxapplications: ${Math.max(2, 2 * demand.apps)}`,
      `            resources: {guaranteed: ${res(guaranteed, 1)}, max: ${res(demand, 1.5)}}`,
      '            limits:',
    );
    const users = byUser.get(dept);
    const power = largest(users, named);
    if (power !== null) lines.push(...limit('              ', 'power users', power.names, power.demand));
    // The wildcard covers the named users' demand too: a team's wildcard limit must fit the department's.
    lines.push(...limit('              ', 'everyone', ['*'], largest(users, () => true)?.demand ?? { vcore: MILLI, memory: GiB, apps: 1 }));
    lines.push('            queues:');
    for (let t = 0; t < size.teamsPerDepartment; t++) {
      const path = `${dept}.team-${t}`;
      const team = byQueue.get(path) ?? NONE;
      lines.push(
        `              - name: team-${t}`,
        `                maxapplications: ${Math.max(2, 2 * team.apps)}`,
        `                resources: {guaranteed: ${res(team, 0.8)}, max: ${res(team, 1.5)}}`,
        '                limits:',
        ...limit('                  ', 'everyone', ['*'], largest(byUser.get(path), () => true)?.demand ?? { vcore: MILLI, memory: GiB, apps: 1 }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

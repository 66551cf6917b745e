/**
 * The server of the `rest.api` benchmark, in its own process: a core with 1,001 queues (20 departments
 * of 49 teams), 5,000 nodes and 50,000 one-pod applications, all placed, behind the real UI server
 * (observing every 500 ms, as in production). Prints one JSON line once listening: the port, the
 * sizes, a leaf queue to list, and what building and the observations cost; then serves until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NO_LOGGER } from '../core/port.js';
import { LiveState } from '../ui/api/live.js';
import { createUiApp } from '../ui/server.js';
import { generateWorkload } from './core-workload.js';
import type { WorkloadSize } from './core-workload.js';
import { runCore } from './core-schedule.js';

/** 1 + 20 + 20 x 49 = 1,001 queues; 50,000 applications of one pod on 5,000 nodes. */
export const REST_WORKLOAD: WorkloadSize = { nodes: 5000, departments: 20, teamsPerDepartment: 49, applications: 50_000, podsPerApplication: 1, users: 50 };

const started = performance.now();
const run = runCore(generateWorkload(REST_WORKLOAD), 'fair');
const s = run.scheduler;
const p = s.partition('default');
if (p === undefined) throw new Error('bug: no default partition');
const buildMs = performance.now() - started;

const live = new LiveState({ scheduler: s, logger: NO_LOGGER });
live.start(); // the first observation reports everything that exists
const firstPollMs = live.lastPollMs;
// What each later observation costs when nothing changed: the median of 20, after 20 to warm up.
const polls: number[] = [];
for (let i = 0; i < 40; i++) {
  live.poll();
  if (i >= 20) polls.push(live.lastPollMs);
}
const steadyPollMs = polls.sort((a, b) => a - b)[polls.length >> 1] ?? Number.NaN;

const server = createServer(createUiApp({ scheduler: s, logger: NO_LOGGER }, live));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const round = (x: number) => Math.round(x * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    port: (server.address() as AddressInfo).port,
    queues: [...p.tree.all()].length,
    nodes: p.nodes.byId.size,
    applications: p.apps.size,
    allocations: p.allocations.size,
    leaf: 'root.dept-0.team-0',
    buildMs: round(buildMs),
    firstPollMs: round(firstPollMs),
    steadyPollMs: round(steadyPollMs),
  })}\n`,
);

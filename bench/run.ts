/**
 * `npm run bench`: runs the benchmarks and prints one JSON line per result. Not part of npm test.
 * `npm run bench -- NAME` runs the benchmarks whose name contains NAME. Each benchmark's module is
 * loaded only when it runs, so that one benchmark's dependencies (the Kubernetes client, express) do
 * not weigh on another's heap and timings.
 */
import type { BenchResult } from './stats.js';

const BENCHMARKS: Readonly<Record<string, () => Promise<BenchResult>>> = {
  'config.load': async () => (await import('./config-load.js')).benchConfigLoad(),
  'core.schedule.fair': async () => (await import('./core-schedule.js')).benchCoreSchedule('fair'),
  'core.schedule.binpacking': async () => (await import('./core-schedule.js')).benchCoreSchedule('binpacking'),
  'core.preemption': async () => (await import('./preemption.js')).benchPreemption(),
  'core.preemption.one-victim': async () => (await import('./preemption.js')).benchPreemption(200, false),
  'core.gang': async () => (await import('./preemption.js')).benchGang(),
  'webhook.admission': async () => (await import('./webhook.js')).benchWebhook(),
  'apiserver.ceiling': async () => (await import('./apiserver.js')).benchApiServer(),
  'shim.e2e': async () => (await import('./shim-e2e.js')).benchShimEndToEnd(),
  'rest.api': async () => (await import('./rest.js')).benchRest(),
};

const filter = process.argv[2] ?? '';
for (const [name, bench] of Object.entries(BENCHMARKS)) {
  if (!name.includes(filter)) continue;
  process.stdout.write(`${JSON.stringify({ ...(await bench()), node: process.version })}\n`);
}

/**
 * `npm run bench`: runs the benchmarks and prints one JSON line per result. Not part of npm test.
 * `npm run bench -- NAME` runs the benchmarks whose name contains NAME.
 */
import { benchApiServer } from './apiserver.js';
import { benchConfigLoad } from './config-load.js';
import { benchCoreSchedule } from './core-schedule.js';
import type { BenchResult } from './stats.js';
import { benchWebhook } from './webhook.js';

const BENCHMARKS: Readonly<Record<string, () => BenchResult | Promise<BenchResult>>> = {
  'config.load': () => benchConfigLoad(),
  'core.schedule.fair': () => benchCoreSchedule('fair'),
  'core.schedule.binpacking': () => benchCoreSchedule('binpacking'),
  'webhook.admission': () => benchWebhook(),
  'apiserver.ceiling': () => benchApiServer(),
};

const filter = process.argv[2] ?? '';
for (const [name, bench] of Object.entries(BENCHMARKS)) {
  if (!name.includes(filter)) continue;
  process.stdout.write(`${JSON.stringify({ ...(await bench()), node: process.version })}\n`);
}

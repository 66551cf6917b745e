/**
 * `drover dev` (what `npm start` runs): the whole system against an embedded cluster. The embedded
 * API server, scheduler, webhook and UI are not built yet; until they are, this says what exists.
 */
import type { CliIo } from './io.js';

export function runDev(_args: readonly string[], io: CliIo): Promise<number> {
  io.err(
    [
      'drover dev: the embedded cluster, the scheduler, the webhook and the UI are not part of this build yet.',
      'What works today:',
      '  bin/drover validate config/queues.yaml     check a queues.yaml (or a ConfigMap carrying one)',
      '  npm test                                   type-check, lint and run every test',
      '  npm run bench                              run the benchmarks',
      '',
    ].join('\n'),
  );
  return Promise.resolve(0);
}

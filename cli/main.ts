/**
 * `drover COMMAND ...`: dispatches to the commands. Exit codes: 0 success, 1 the command's verdict
 * was negative (an invalid configuration), 2 a usage error or a problem running the command.
 */
import { readFileSync } from 'node:fs';
import type { CliIo } from './io.js';
import { runDev } from './dev.js';
import { runScheduler } from './scheduler.js';
import { runSimulate } from './simulate.js';
import { runValidate } from './validate.js';
import { runWebhook } from './webhook.js';

export { nodeIo } from './io.js';

interface Command {
  readonly summary: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  validate: { summary: 'check queues.yaml files (or ConfigMaps carrying one)', run: runValidate },
  scheduler: { summary: 'schedule the pods of a Kubernetes cluster whose scheduler name is drover', run: runScheduler },
  simulate: { summary: 'run the scheduling core against a scenario (what-if)', run: runSimulate },
  webhook: { summary: 'serve the admission webhook over HTTPS (/mutate, /validate-conf, /health)', run: runWebhook },
  dev: { summary: 'run the whole system against an embedded cluster (npm start)', run: runDev },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: drover COMMAND [ARGS...]', '', 'commands:', ...lines, '', "Run 'drover COMMAND --help' for a command's options.", ''].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === 'version' || name === '--version') {
    io.out(`drover ${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`drover: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}

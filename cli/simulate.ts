/**
 * `drover simulate SCENARIO [--config QUEUES.yaml] [--output json|table]`: run the real core against a
 * scenario (../shared/specs/simulate.md). Exit 0 when the scenario ran, 1 when the scenario or the
 * configuration is invalid (each issue on stderr with its path), 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_QUEUES_YAML, loadConfig } from '../core/config/index.js';
import { admissionFor } from '../sim/adapters.js';
import { simulate } from '../sim/engine.js';
import { report, table } from '../sim/report.js';
import { parseScenario } from '../sim/scenario.js';
import type { CliIo } from './io.js';
import { formatIssue } from './validate.js';

const HELP = `usage: drover simulate SCENARIO [--config QUEUES.yaml] [--output json|table]

Run drover's scheduling core against a scenario of nodes and timed pod submissions and print where
every pod went and why the others wait.

  -c, --config FILE        queues.yaml to use (overrides the scenario's inline queues;
                           default: the built-in default configuration)
  -o, --output json|table  json (default when stdout is not a terminal) or table
  -h, --help               show this help

Exit status: 0 the scenario ran, 1 the scenario or configuration is invalid, 2 usage error.
`;

export async function runSimulate(args: readonly string[], io: CliIo): Promise<number> {
  let values: { config?: string | undefined; output?: string | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (e) {
    io.err(`drover simulate: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.help === true) {
    io.out(HELP);
    return 0;
  }
  const output = values.output ?? (io.isTty ? 'table' : 'json');
  if ((output !== 'json' && output !== 'table') || positionals.length !== 1) {
    io.err(`drover simulate: ${positionals.length !== 1 ? 'name exactly one scenario file' : `--output must be json or table, not '${output}'`}\n\n${HELP}`);
    return 2;
  }
  const file = positionals[0] ?? '';
  let scenarioText: string;
  let configText: string | undefined;
  try {
    scenarioText = await io.readFile(file);
    if (values.config !== undefined) configText = await io.readFile(values.config);
  } catch (e) {
    io.err(`drover simulate: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const parsed = parseScenario(scenarioText);
  if (!parsed.ok) {
    for (const i of parsed.issues) io.err(`${formatIssue(file, i)}\n`);
    return 1;
  }
  const scenario = parsed.scenario;
  const configLabel = values.config ?? (scenario.queues !== null ? `${file} (queues)` : 'built-in default');
  const loaded = loadConfig(configText ?? scenario.queues ?? DEFAULT_QUEUES_YAML);
  if (!loaded.ok) {
    for (const i of loaded.issues) io.err(`${formatIssue(configLabel, i)}\n`);
    return 1;
  }
  const admission = admissionFor(scenario.admission);
  if (!admission.ok) {
    for (const p of admission.problems) io.err(`${file}: error admission-invalid at admission.${p.key}: ${p.message}\n`);
    return 1;
  }
  const result = simulate(scenario, loaded.config, admission.settings);
  io.out(output === 'json' ? `${JSON.stringify(report(result), null, 2)}\n` : table(result));
  return 0;
}

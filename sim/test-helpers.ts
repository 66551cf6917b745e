/**
 * For the simulator's tests: a scenario's text through the real parser, configuration loader,
 * admission settings and simulator, to the JSON report the command prints. Any problem with the input
 * fails the test with its paths.
 */
import { expect } from 'vitest';
import { DEFAULT_QUEUES_YAML, loadConfig } from '../core/config/index.js';
import { admissionFor } from './adapters.js';
import { simulate } from './engine.js';
import { report } from './report.js';
import { parseScenario } from './scenario.js';

/** Run `yaml`; with `queuesYaml` in place of its inline queues (else the built-in default). */
export function runScenario(yaml: string, queuesYaml?: string): unknown {
  const parsed = parseScenario(yaml);
  if (!parsed.ok) return expect.fail(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const config = loadConfig(queuesYaml ?? parsed.scenario.queues ?? DEFAULT_QUEUES_YAML);
  if (!config.ok) return expect.fail(config.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const admission = admissionFor(parsed.scenario.admission);
  if (!admission.ok) return expect.fail(admission.problems.map((p) => `admission.${p.key}: ${p.message}`).join('\n'));
  return report(simulate(parsed.scenario, config.config, admission.settings));
}

/**
 * The queues.yaml a long-running command starts with: the file given, or the built-in default.
 * Problems are printed as `drover validate` prints them.
 */
import { DEFAULT_QUEUES_YAML, loadConfig } from '../core/config/index.js';
import type { DroverConfig } from '../core/config/index.js';
import type { CliIo } from './io.js';
import { formatIssue } from './validate.js';

/** The configuration, or the exit status: 2 for a file that cannot be read, 1 for an invalid one. */
export async function readQueues(command: string, io: CliIo, path: string | undefined): Promise<{ ok: true; config: DroverConfig } | { ok: false; exit: 1 | 2 }> {
  let text = DEFAULT_QUEUES_YAML;
  if (path !== undefined) {
    try {
      text = await io.readFile(path);
    } catch (e) {
      io.err(`drover ${command}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
      return { ok: false, exit: 2 };
    }
  }
  const loaded = loadConfig(text);
  if (!loaded.ok) {
    for (const i of loaded.issues) io.err(`${formatIssue(path ?? 'built-in queues.yaml', i)}\n`);
    return { ok: false, exit: 1 };
  }
  return { ok: true, config: loaded.config };
}

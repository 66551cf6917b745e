/**
 * `drover validate FILE...`: load each queues.yaml (or ConfigMap manifest) exactly as the scheduler
 * would and report every issue. Exit 0 when every file is valid (warnings allowed), 1 when any is
 * invalid, 2 on a usage error or an unreadable file.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/index.js';
import type { ConfigIssue } from '../core/config/index.js';
import { readConfigFile } from './config-file.js';
import type { CliIo } from './io.js';

const HELP = `usage: drover validate [--output text|json] FILE...

Check queues.yaml files, or Kubernetes manifests whose ConfigMaps carry one under
data["queues.yaml"]. '-' reads standard input.

  -o, --output text|json   text (default): one line per issue,
                             FILE:LINE:COL: SEVERITY CODE at PATH: MESSAGE
                           json: one document with every file's issues
  -h, --help               show this help

Exit status: 0 all files valid (warnings allowed), 1 some file invalid, 2 usage error or
unreadable file.
`;

export interface FileReport {
  readonly file: string;
  readonly valid: boolean;
  /** The checksum of each configuration found in the file (one, or one per ConfigMap). */
  readonly checksums: readonly string[];
  readonly issues: readonly (ConfigIssue & { readonly source: string })[];
}

export async function runValidate(args: readonly string[], io: CliIo): Promise<number> {
  let values: { output?: string | undefined; help?: boolean | undefined };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (e) {
    io.err(`drover validate: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.help === true) {
    io.out(HELP);
    return 0;
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') {
    io.err(`drover validate: --output must be text or json, not '${output}'\n`);
    return 2;
  }
  if (files.length === 0) {
    io.err(`drover validate: name at least one file\n\n${HELP}`);
    return 2;
  }

  const reports: FileReport[] = [];
  for (const file of files) {
    let content: string;
    try {
      content = await io.readFile(file);
    } catch (e) {
      io.err(`drover validate: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    reports.push(validateText(file, content));
  }

  if (output === 'json') io.out(`${JSON.stringify({ files: reports }, null, 2)}\n`);
  else for (const r of reports) for (const i of r.issues) io.out(`${formatIssue(r.file, i)}\n`);
  // People at a terminal get a verdict per file; scripts read the exit status and stdout.
  if (io.isTty) for (const r of reports) io.err(`${summary(r)}\n`);
  return reports.every((r) => r.valid) ? 0 : 1;
}

export function validateText(file: string, content: string): FileReport {
  const found = readConfigFile(content);
  const issues: (ConfigIssue & { source: string })[] = [];
  const checksums: string[] = [];
  let valid = true;
  for (const t of found.texts) {
    const result = loadConfig(t.text);
    if (result.ok) checksums.push(result.config.checksum);
    else valid = false;
    for (const issue of result.issues) issues.push({ ...t.mapIssue(issue), source: t.label });
  }
  if (found.kind === 'configmaps') {
    for (const name of found.withoutQueues) {
      issues.push({
        severity: 'warning',
        code: 'config-empty',
        path: '',
        line: null,
        column: null,
        message: `ConfigMap ${name} has no data["queues.yaml"]; a scheduler reading it uses the built-in default configuration`,
        source: `ConfigMap ${name}`,
      });
    }
  }
  return { file, valid, checksums, issues };
}

function summary(r: FileReport): string {
  const count = (severity: string) => r.issues.filter((i) => i.severity === severity).length;
  const [errors, warnings] = [count('error'), count('warning')];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${r.file}: ${r.valid ? 'valid' : 'invalid'} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
}

export function formatIssue(file: string, i: ConfigIssue): string {
  const where = i.line === null ? file : `${file}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.severity} ${i.code} at ${i.path === '' ? '(document)' : i.path}: ${i.message}`;
}

/**
 * bin/drover as a user runs it: a real process on real files (dist/ is built by npm test first).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'drover');
const run = promisify(execFile);

async function drover(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('bin/drover', () => {
  it('validates the shipped default configuration', async () => {
    const r = await drover('validate', join(import.meta.dirname, '..', 'config', 'queues.yaml'));
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('rejects a broken file with its line and exit status 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-'));
    const file = join(dir, 'queues.yaml');
    writeFileSync(file, 'partitions:\n  - queues:\n      - name: root\n        resources: {max: {memory: 1Gi}}\n');
    const r = await drover('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith(`${file}:4:20: error root-resources at partitions[0].queues[0].resources: `)).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints usage and exits 2 without a command', async () => {
    const r = await drover();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: drover COMMAND');
  });
});

/**
 * YuniKorn's own example and test configurations: every file YuniKorn accepts must load without an
 * error, and every file it rejects must be rejected with at least one. The corpus lives beside the
 * project (../shared/compat/yunikorn-configs, or DROVER_COMPAT_DIR); a missing corpus fails the suite.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';

const ROOT = resolve(process.env.DROVER_COMPAT_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'compat', 'yunikorn-configs'));

function corpus(kind: 'valid' | 'invalid'): { file: string; text: string }[] {
  const dir = join(ROOT, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

const valid = corpus('valid');
const invalid = corpus('invalid');

describe('YuniKorn compatibility corpus', () => {
  it(`is present at ${ROOT}`, () => {
    expect(valid.length).toBeGreaterThanOrEqual(50);
    expect(invalid.length).toBeGreaterThanOrEqual(50);
  });

  it.each(valid)('accepts valid/$file', ({ text }) => {
    const result = loadConfig(text);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(invalid)('rejects invalid/$file', ({ text }) => {
    const result = loadConfig(text);
    expect(result.ok).toBe(false);
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // Every error says where it is: a position in the text.
    for (const e of errors) expect(e.line).not.toBeNull();
  });
});

/**
 * The documentation stays true: every issue code the loader can report is documented, and nothing
 * documented as a code is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../core/config/index.js';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'configuration.md'), 'utf8');
const rows = new Map([...doc.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]));

describe('docs/configuration.md', () => {
  it('lists every issue code with its severity', () => {
    for (const [code, { severity }] of Object.entries(ISSUE_CODES)) expect({ code, severity: rows.get(code) }).toEqual({ code, severity });
  });

  it('lists no code that does not exist', () => {
    for (const code of rows.keys()) expect(Object.keys(ISSUE_CODES)).toContain(code);
  });
});

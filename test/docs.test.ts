/**
 * The documentation stays true: every issue code the loader can report is documented, nothing
 * documented as a code is stale, and every link between the documents reaches its file and heading.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** Every markdown file of the project's own documentation. */
function markdownFiles(): string[] {
  const root = join(import.meta.dirname, '..');
  const files = ['README.md', ...['apiserver', 'core', 'helm', 'shim', 'ui'].map((d) => join(d, 'README.md'))];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) files.push(rel);
    }
  };
  walk('docs');
  return files.filter((f) => existsSync(join(root, f)));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (text: string): Set<string> => new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));

describe('links between the documents', () => {
  const root = join(import.meta.dirname, '..');
  it.each(markdownFiles())('%s: every relative link reaches a file, and a heading when it names one', (file) => {
    const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? join(root, file) : join(root, dirname(file), path);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});

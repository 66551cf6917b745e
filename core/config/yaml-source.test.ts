import { describe, expect, it } from 'vitest';
import { parseYaml } from './yaml-source.js';

describe('parseYaml', () => {
  it('keeps the position of every key and value, and the text of scalars', () => {
    const r = parseYaml('a:\n  b: [x, 0x10]\n  "c.d": 1e3\n');
    expect(r.value).toEqual({ a: { b: ['x', 16], 'c.d': 1000 } });
    expect(r.index.locate(['a', 'b', 1], false)).toEqual({ line: 2, column: 10 });
    expect(r.index.locate(['a', 'c.d'], true)).toEqual({ line: 3, column: 3 });
    expect(r.index.source(['a', 'b', 1])).toBe('0x10');
    expect(r.index.source(['a', 'c.d'])).toBe('1e3');
  });

  it('falls back to the nearest ancestor with a position', () => {
    const r = parseYaml('a:\n  b: 1\n');
    expect(r.index.locate(['a', 'b', 'missing', 3], false)).toEqual({ line: 2, column: 6 });
  });

  it('reports syntax errors with their position and no value', () => {
    const r = parseYaml('a: "open\n');
    expect(r.broken).toBe(true);
    expect(r.issues[0]?.code).toBe('yaml-syntax');
  });

  it('reads YAML 1.1 words as strings, leaving booleans to the schema', () => {
    expect(parseYaml('a: yes\nb: true\nc: ~\n').value).toEqual({ a: 'yes', b: true, c: null });
  });

  it('refuses an alias bomb quickly instead of expanding it', () => {
    // 10 levels of 10 references each would stand for 10^10 nodes
    let text = 'l0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 10; i++) text += `l${i}: &a${i} [${Array<string>(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const r = parseYaml(text);
    expect(r.broken).toBe(true);
    expect(r.issues.map((i) => i.code)).toEqual(['yaml-syntax']);
  });

  it('refuses absurd nesting with an error, not a crash', () => {
    const r = parseYaml(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(r.broken).toBe(true);
    expect(r.issues[0]?.code).toBe('yaml-syntax');
  });

  it('stops a self-referencing alias', () => {
    const r = parseYaml('a: &x\n  - *x\n');
    expect(r.issues.length).toBeGreaterThan(0);
  });
});

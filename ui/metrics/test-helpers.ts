/**
 * Shared by the metrics tests: a parser for the Prometheus text exposition format (0.0.4), so that tests
 * assert on what a scraper actually reads (series, label values, numbers), not on prom-client's objects.
 */
import { expect } from 'vitest';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** `# TYPE` per metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** `# HELP` per metric family. */
  readonly helps: ReadonlyMap<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new Error(`not a sample value: ${JSON.stringify(text)}`);
  return v;
}

/** `{a="x",b="y\"z"}` from `start` (the `{`); returns the labels and the index after the `}`. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (line[i] !== '}') {
    const name = NAME.exec(line.slice(i))?.[0];
    if (name === undefined || line[i + name.length] !== '=' || line[i + name.length + 1] !== '"') throw new Error(`bad label at ${i}: ${line}`);
    i += name.length + 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`unterminated label value: ${line}`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i++];
        value += e === 'n' ? '\n' : (e ?? '');
      } else value += c;
    }
    if (Object.hasOwn(labels, name)) throw new Error(`label ${name} twice: ${line}`);
    labels[name] = value;
    if (line[i] === ',') i++;
  }
  return { labels, end: i + 1 };
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, family = '', rest = ''] = meta;
      (kind === 'TYPE' ? types : helps).set(family, rest);
      continue;
    }
    if (line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new Error(`not a sample: ${line}`);
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i));
    if (line[i] !== ' ') throw new Error(`no value: ${line}`);
    samples.push({ name, labels, value: parseValue(line.slice(i + 1).split(' ')[0] ?? '') });
  }
  return { samples, types, helps };
}

const matches = (s: Sample, name: string, labels: Readonly<Record<string, string>>) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);

/** The samples of `name` whose labels include `labels`. */
export function series(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return e.samples.filter((s) => matches(s, name, labels));
}

/** The value of the one sample of `name` with (at least) these labels; fails the test if there is not exactly one. */
export function valueOf(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = series(e, name, labels);
  if (found.length !== 1) return expect.fail(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? Number.NaN;
}

/** Every metric family name that has a `# TYPE` line. */
export function families(e: Exposition): string[] {
  return [...e.types.keys()];
}

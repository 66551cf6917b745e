/**
 * The template functions of the subset: Go's own (`printf`, `eq`, `ne`, `not`; `and` and `or`
 * short-circuit and live in exec.ts) and Sprig's or Helm's (`default`, `quote`, `toYaml`, `indent`,
 * `nindent`, `trunc`, `trimSuffix`, `b64enc`, `required`, `int`, `dict`, `include`). Each checks its
 * arguments as Go would convert them: a string parameter takes a string, an int parameter an int
 * (so a float64 from values.yaml passed to `trunc` fails here as it fails in Helm).
 */
import { dump } from 'js-yaml';
import { goFloat, goType, isMap, printValue, truth } from './values.js';

export interface FunctionContext {
  /** Render the named template with `data` as its dot (Helm's `include`). */
  readonly include: (name: string, data: unknown) => string;
}

type Fn = (args: readonly unknown[], ctx: FunctionContext) => unknown;

interface FunctionSpec {
  readonly min: number;
  /** Infinity for variadic functions. */
  readonly max: number;
  readonly fn: Fn;
}

const str = (v: unknown, fn: string, i: number): string => {
  if (typeof v !== 'string') throw new Error(`wrong type for value; expected string; got ${goType(v)} (argument ${i + 1} of ${fn})`);
  return v;
};

const int = (v: unknown, fn: string, i: number): number => {
  if (typeof v !== 'bigint') throw new Error(`wrong type for value; expected int; got ${goType(v)} (argument ${i + 1} of ${fn})`);
  return Number(v);
};

/** Sprig's `empty`: what `default` replaces. */
function empty(v: unknown): boolean {
  return !truth(v);
}

/** Go's strconv.Quote: printable characters kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (/\p{C}/u.test(ch)) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The data toYaml serialises: bigints become numbers, nil map entries stay null. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  if (typeof v === 'object' && v !== null) throw new Error(`toYaml of a ${goType(v)} is outside the subset`);
  return v ?? null;
}

/** Helm's toYaml (sigs.k8s.io/yaml): keys sorted, lists not indented under their key, no final newline. */
export function toYaml(v: unknown): string {
  return dump(plain(v), { sortKeys: true, seqNoIndent: true, lineWidth: -1, noRefs: true }).replace(/\n$/, '');
}

function indent(spaces: number, s: string): string {
  const pad = ' '.repeat(spaces);
  return pad + s.replaceAll('\n', `\n${pad}`);
}

/** Go's fmt.Sprintf for the verbs the chart uses: %s, %d, %v, %q and %%. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let k = 0;
  return format.replace(/%(.)/gs, (_, verb: string) => {
    if (verb === '%') return '%';
    if (!'sdvq'.includes(verb)) throw new Error(`printf verb %${verb} is outside the subset`);
    if (k >= args.length) throw new Error(`printf: missing argument for %${verb}`);
    const a = args[k++];
    switch (verb) {
      case 's':
        if (typeof a !== 'string') throw new Error(`printf %s of a ${goType(a)} (Go prints %!s(...))`);
        return a;
      case 'd':
        if (typeof a !== 'bigint') throw new Error(`printf %d of a ${goType(a)} (Go prints %!d(...)); convert with int`);
        return String(a);
      case 'q':
        return goQuote(typeof a === 'string' ? a : printValue(a));
      default:
        return typeof a === 'number' ? goFloat(a) : printValue(a);
    }
  });
}

/** Go's eq: basic values of the same kind; comparing an int with a float64 is an error, as in Go. */
function equal(a: unknown, b: unknown): boolean {
  const kind = (v: unknown) => (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' ? typeof v : null);
  const ka = kind(a);
  const kb = kind(b);
  if (ka === null || kb === null) throw new Error(`eq/ne of a ${goType(ka === null ? a : b)} is outside the subset`);
  if (ka !== kb) throw new Error(`incompatible types for comparison (${goType(a)} and ${goType(b)})`);
  return a === b;
}

/** cast.ToInt, as Sprig's `int`: floats truncate, numeric strings parse, anything else is 0. */
function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && /^[+-]?[0-9]+(\.0*)?$/.test(v.trim())) return BigInt(v.trim().replace(/\.0*$/, '').replace(/^\+/, ''));
  return 0n;
}

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  default: { min: 1, max: 2, fn: ([d, given]) => (empty(given) ? d : given) },
  quote: { min: 0, max: Infinity, fn: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(printValue(a))).join(' ') },
  toYaml: { min: 1, max: 1, fn: ([v]) => toYaml(v) },
  indent: { min: 2, max: 2, fn: ([n, s]) => indent(int(n, 'indent', 0), str(s, 'indent', 1)) },
  nindent: { min: 2, max: 2, fn: ([n, s]) => `\n${indent(int(n, 'nindent', 0), str(s, 'nindent', 1))}` },
  trunc: {
    min: 2,
    max: 2,
    fn: ([n, s]) => {
      const c = int(n, 'trunc', 0);
      const t = str(s, 'trunc', 1);
      if (c < 0 && t.length + c > 0) return t.slice(t.length + c);
      return c >= 0 && t.length > c ? t.slice(0, c) : t;
    },
  },
  trimSuffix: { min: 2, max: 2, fn: ([suffix, s]) => {
    const a = str(suffix, 'trimSuffix', 0);
    const b = str(s, 'trimSuffix', 1);
    return a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b;
  } },
  printf: { min: 1, max: Infinity, fn: ([f, ...rest]) => sprintf(str(f, 'printf', 0), rest) },
  b64enc: { min: 1, max: 1, fn: ([s]) => Buffer.from(str(s, 'b64enc', 0), 'utf8').toString('base64') },
  required: {
    min: 2,
    max: 2,
    fn: ([warn, v]) => {
      if (v === null || v === undefined || v === '') throw new Error(str(warn, 'required', 0));
      return v;
    },
  },
  eq: { min: 2, max: Infinity, fn: ([a, ...rest]) => rest.some((b) => equal(a, b)) },
  ne: { min: 2, max: 2, fn: ([a, b]) => !equal(a, b) },
  not: { min: 1, max: 1, fn: ([v]) => !truth(v) },
  int: { min: 1, max: 1, fn: ([v]) => toInt(v) },
  dict: {
    min: 0,
    max: Infinity,
    fn: (args) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < args.length; i += 2) out[printValue(args[i])] = i + 1 < args.length ? args[i + 1] : '';
      return out;
    },
  },
  include: { min: 2, max: 2, fn: ([name, data], ctx) => ctx.include(str(name, 'include', 0), data) },
};

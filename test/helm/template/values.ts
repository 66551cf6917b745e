/**
 * How Go templates see values, in JavaScript: a YAML number from values.yaml is a float64 (Helm reads
 * values through JSON) and is a JS number here; an integer literal in a template, or what `int`
 * returns, is an int and is a bigint here. The difference shows when printing (Go prints the float64
 * 1000000 as `1e+06`) and in what functions accept, so the renderer refuses what Helm would refuse.
 * Structs (`.Release`, `.Chart`, `.Files`) are marked: a missing field of a struct is an error, a missing
 * key of a map is nil.
 */

const STRUCTS = new WeakMap<object, string>();

/** Mark `o` as a Go struct named `type` (for error messages and missing-field errors). */
export function struct<T extends object>(type: string, o: T): T {
  STRUCTS.set(o, type);
  return o;
}

export function structType(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null ? STRUCTS.get(v) : undefined;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && structType(v) === undefined;
}

/** Go's name of a value's type, for messages. */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'function') return 'func';
  return structType(v) ?? 'map[string]interface {}';
}

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function truth(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** A float64 as Go's %v prints it: shortest digits, exponent form below 1e-4 and from 1e+06 on. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/**
 * A value as a template prints it (Go's %v). nil prints nothing (Helm removes Go's `<no value>`).
 * Lists and maps are refused: the chart prints them with toYaml.
 */
export function printValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new Error(`printing a ${goType(v)} is outside the subset; use toYaml`);
}

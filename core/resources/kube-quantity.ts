/**
 * Kubernetes resource quantities (pod requests, node allocatable) converted into drover's base units:
 * the one place where Kubernetes quantity strings are parsed. queues.yaml quantities have their own,
 * stricter grammar in `quantity.ts`.
 *
 * The grammar is k8s.io/apimachinery's `resource.Quantity`:
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <signedNumber>    ::= [ "+" | "-" ] <number>
 *   <number>          ::= <digits> | <digits> "." <digits> | <digits> "." | "." <digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei            (powers of 1024)
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E (powers of 1000, from 10^-9 to 10^18)
 *   <decimalExponent> ::= ( "e" | "E" ) <signedDigits>          (`1e3`, `2E6`, `5e-3`; exponent fits int32)
 *
 * `E` alone is exa (`1E` = 10^18); followed by digits it is an exponent (`1E3` = 1000). Values are exact
 * (BigInt arithmetic) and rounded up to a whole unit, as Kubernetes' `Value()` and `MilliValue()` do, so
 * `100m` has a `Value()` of 1 and `0.1` a `MilliValue()` of 100.
 *
 * Deliberate differences from Kubernetes: a negative quantity is a problem (a request or a capacity is
 * never negative); a result above the int64 maximum is a problem (Kubernetes silently caps the quantity
 * at 2^63-1, and `MilliValue()` of such a cap wraps around), as it is in queues.yaml.
 *
 * The mapping to drover resources follows YuniKorn's shim (yunikorn-k8shim `pkg/common/resource.go`):
 * `cpu` becomes `vcore` in millicores (`MilliValue()`); every other name is kept as it is with
 * `Value()`: `memory`, `ephemeral-storage` and `hugepages-2Mi` in bytes, `pods` and extended resources
 * (`nvidia.com/gpu`) as counts.
 */
import type { Resource } from './resource.js';
import { VCORE } from './quantity.js';

export const KUBE_QUANTITY_REASONS = ['syntax', 'suffix', 'negative', 'overflow', 'type'] as const;
export type KubeQuantityReason = (typeof KUBE_QUANTITY_REASONS)[number];

export type KubeQuantityResult =
  | { readonly ok: true; readonly value: number; readonly exact: boolean }
  | { readonly ok: false; readonly reason: KubeQuantityReason; readonly message: string };

export interface KubeResourceProblem {
  /** The Kubernetes resource name, as written in the list (`cpu`, `memory`, `nvidia.com/gpu`). */
  readonly name: string;
  /** Why the quantity was refused, or `duplicate`: two names map to one drover name (`cpu` and `vcore`). */
  readonly reason: KubeQuantityReason | 'duplicate';
  readonly message: string;
}

export interface KubeResources {
  readonly resources: Resource;
  readonly problems: readonly KubeResourceProblem[];
}

/** How a Kubernetes unit scales a number: value * 10^exp10 * 2^exp2. */
interface Unit {
  readonly exp10: number;
  readonly exp2: number;
}

// Maps, not object literals: a suffix or a resource name such as `constructor` must not find
// Object.prototype.
const UNITS: ReadonlyMap<string, Unit> = new Map([
  ['n', { exp10: -9, exp2: 0 }],
  ['u', { exp10: -6, exp2: 0 }],
  ['m', { exp10: -3, exp2: 0 }],
  ['', { exp10: 0, exp2: 0 }],
  ['k', { exp10: 3, exp2: 0 }],
  ['M', { exp10: 6, exp2: 0 }],
  ['G', { exp10: 9, exp2: 0 }],
  ['T', { exp10: 12, exp2: 0 }],
  ['P', { exp10: 15, exp2: 0 }],
  ['E', { exp10: 18, exp2: 0 }],
  ['Ki', { exp10: 0, exp2: 10 }],
  ['Mi', { exp10: 0, exp2: 20 }],
  ['Gi', { exp10: 0, exp2: 30 }],
  ['Ti', { exp10: 0, exp2: 40 }],
  ['Pi', { exp10: 0, exp2: 50 }],
  ['Ei', { exp10: 0, exp2: 60 }],
]);

/** Scales of the two accessors: `Value()` counts units, `MilliValue()` thousandths. */
const SCALES = { value: 0, milli: 3 } as const;
type Scale = keyof typeof SCALES;

/** Kubernetes names stored under another drover name or scale; all others keep their name and `Value()`. */
const RENAMED: ReadonlyMap<string, { readonly as: string; readonly scale: Scale }> = new Map([['cpu', { as: VCORE, scale: 'milli' }]]);

const NUMBER = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const EXPONENT = /^[eE]([+-]?[0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;
const MAX_INT64 = (1n << 63n) - 1n;
const LOG10_2 = Math.log10(2);
/** 10^19 > 2^63: a value with this many decimal digits or more overflows. */
const INT64_DIGITS = 19;

/** `Value()` of a Kubernetes quantity: whole units, rounded up (`100m` -> 1, `1Ki` -> 1024). */
export function parseKubeQuantity(text: string): KubeQuantityResult {
  return scaled(text, 'value');
}

/** `MilliValue()` of a Kubernetes quantity: thousandths, rounded up (`0.5` -> 500, `1n` -> 1). */
export function parseKubeMilli(text: string): KubeQuantityResult {
  return scaled(text, 'milli');
}

/**
 * A Kubernetes ResourceList (`requests`, `allocatable`) as a drover resource: `cpu` -> `vcore` in
 * millicores, the rest by name in `Value()` units. Entries that do not parse are left out and reported,
 * so one bad entry does not hide the others.
 *
 * Values are read as Kubernetes reads JSON: strings (surrounding white space ignored), numbers (their
 * JavaScript text, so `0.5` and `1e21` work; a JSON number has already lost digits beyond double
 * precision) and `null` (zero). Anything else is a problem with reason `type`.
 */
export function kubeResources(list: Readonly<Record<string, unknown>>): KubeResources {
  const resources = new Map<string, number>();
  const problems: KubeResourceProblem[] = [];
  const from = new Map<string, string>();
  for (const [name, raw] of Object.entries(list)) {
    const rename = RENAMED.get(name);
    const as = rename?.as ?? name;
    const previous = from.get(as);
    if (previous !== undefined) {
      problems.push({ name, reason: 'duplicate', message: `${name} and ${previous} are both stored as ${as}; ${name} is ignored` });
      continue;
    }
    const result = readValue(raw, rename?.scale ?? 'value');
    if (!result.ok) {
      problems.push({ name, reason: result.reason, message: `${name}: ${result.message}` });
      continue;
    }
    resources.set(as, result.value);
    from.set(as, name);
  }
  return { resources: Object.fromEntries(resources), problems };
}

function readValue(raw: unknown, scale: Scale): KubeQuantityResult {
  if (typeof raw === 'string') return scaled(raw.trim(), scale);
  if (raw === null) return { ok: true, value: 0, exact: true };
  if (typeof raw === 'number' && Number.isFinite(raw)) return scaled(String(raw), scale);
  const what = typeof raw === 'number' ? String(raw) : `a value of type ${typeof raw}`;
  return { ok: false, reason: 'type', message: `${what} is not a quantity: expected a string such as 500m or 4Gi, or a number` };
}

function scaled(text: string, scale: Scale): KubeQuantityResult {
  const match = NUMBER.exec(text);
  const [, sign = '', whole = '', fraction = '', suffix = ''] = match ?? [];
  if (match === null || (whole === '' && fraction === '')) {
    return { ok: false, reason: 'syntax', message: `'${text}' is not a Kubernetes quantity: expected a number with an optional unit such as 500m, 1.5Gi or 1e3` };
  }
  const unit = unitOf(suffix);
  if (unit === undefined) {
    return { ok: false, reason: 'suffix', message: `'${text}' has the unit '${suffix}', which Kubernetes does not know; use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3` };
  }
  const significant = (whole + fraction).replace(/^0+/, '');
  if (significant === '') return { ok: true, value: 0, exact: true };
  if (sign === '-') return { ok: false, reason: 'negative', message: `'${text}' is negative; quantities must be 0 or more` };

  // value = digits * 10^exp10 * 2^exp2, with trailing zeros moved into the exponent.
  const digits = significant.replace(/0+$/, '');
  const exp10 = unit.exp10 + SCALES[scale] - fraction.length + (significant.length - digits.length);
  const overflow = { ok: false, reason: 'overflow', message: `'${text}' is larger than a 64-bit quantity can hold` } as const;
  // The value is at least 10^(digits - 1 + exp10) * 2^exp2; from 10^19 up it cannot fit (and the
  // exponent can be huge, so decide before building the number).
  if (digits.length - 1 + exp10 + unit.exp2 * LOG10_2 >= INT64_DIGITS) return overflow;
  const mantissa = BigInt(digits) << BigInt(unit.exp2);
  let value: bigint;
  if (exp10 >= 0) value = mantissa * 10n ** BigInt(exp10);
  else if (-exp10 >= digits.length + INT64_DIGITS) value = 1n; // mantissa < 10^(digits + 19): 0 < value < 1, rounded up
  else {
    const divisor = 10n ** BigInt(-exp10);
    value = (mantissa + divisor - 1n) / divisor;
  }
  if (value > MAX_INT64) return overflow;
  const num = Number(value);
  return { ok: true, value: num, exact: Number.isSafeInteger(num) };
}

function unitOf(suffix: string): Unit | undefined {
  const named = UNITS.get(suffix);
  if (named !== undefined) return named;
  const exponent = EXPONENT.exec(suffix)?.[1];
  if (exponent === undefined) return undefined;
  const exp10 = Number(exponent);
  return Math.abs(exp10) > MAX_INT32 ? undefined : { exp10, exp2: 0 };
}

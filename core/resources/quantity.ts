/**
 * Quantities as queues.yaml writes them, converted to the integer base units the core uses.
 *
 * The grammar is YuniKorn's (white space anywhere is ignored):
 *
 *   <quantity>     ::= <signedNumber><suffix>
 *   <signedNumber> ::= ["+"] <digits>                 (negative values are rejected)
 *   <suffix>       ::= <binarySI> | <decimalSI>
 *   <binarySI>     ::= Ki | Mi | Gi | Ti | Pi | Ei     (powers of 1024)
 *   <decimalSI>    ::= "" | k | M | G | T | P | E      (powers of 1000)
 *
 * `vcore` is special: a plain number counts cores and is stored in millicores (`2` -> 2000), and the
 * suffix `m` gives millicores directly (`500m` -> 500). Results must fit in a signed 64-bit integer, as
 * in YuniKorn. The core keeps quantities as JavaScript numbers, which are exact up to 2^53 (8 PiB of
 * memory, 9 billion cores); larger values are accepted and flagged as approximate.
 */

export const VCORE = 'vcore';

const LEGAL = /^([+-]?[0-9]+)([A-Za-z]*)$/;
const WHITESPACE = /\s+/g;
const MAX_INT64 = (1n << 63n) - 1n;

const MULTIPLIERS: Readonly<Record<string, bigint>> = {
  '': 1n,
  m: 1n,
  k: 1000n,
  M: 1000n ** 2n,
  G: 1000n ** 3n,
  T: 1000n ** 4n,
  P: 1000n ** 5n,
  E: 1000n ** 6n,
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

export type QuantityResult =
  | { readonly ok: true; readonly value: number; readonly exact: boolean }
  | { readonly ok: false; readonly reason: 'syntax' | 'negative' | 'suffix' | 'overflow'; readonly message: string };

/** Parse the quantity of resource `name` as queues.yaml writes it. */
export function parseConfigQuantity(name: string, text: string): QuantityResult {
  const milli = name === VCORE;
  const compact = text.replace(WHITESPACE, '');
  const match = LEGAL.exec(compact);
  if (match === null) {
    const hint = /^[+-]?[0-9]*\.[0-9]+/.test(compact) ? '; fractions are not allowed (write 1500M, or 1500m for vcore)' : '';
    return { ok: false, reason: 'syntax', message: `'${text}' is not a quantity: expected a whole number with an optional unit such as 4Gi, 500M or, for vcore, 500m${hint}` };
  }
  const [, digits = '', suffix = ''] = match;
  if (digits.startsWith('-')) return { ok: false, reason: 'negative', message: `'${text}' is negative; quantities must be 0 or more` };
  const scale = MULTIPLIERS[suffix];
  if (scale === undefined || (suffix === 'm' && !milli)) {
    const allowed = milli ? 'm, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei' : 'k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei';
    return { ok: false, reason: 'suffix', message: `'${text}' has the unit '${suffix}', which ${name} does not take; use one of ${allowed}` };
  }
  let value = BigInt(digits) * scale;
  if (milli && suffix !== 'm') value *= 1000n;
  if (value > MAX_INT64) return { ok: false, reason: 'overflow', message: `'${text}' is larger than a 64-bit quantity can hold` };
  const num = Number(value);
  return { ok: true, value: num, exact: Number.isSafeInteger(num) };
}

const BINARY_UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** A quantity in words for messages: `vcore 1500m`, `memory 4Gi`, `pods 10`. */
export function formatQuantity(name: string, value: number): string {
  if (name === VCORE) return value % 1000 === 0 ? `${value / 1000}` : `${value}m`;
  if (name === 'memory' || name === 'ephemeral-storage') {
    let v = value;
    let unit = '';
    for (const u of BINARY_UNITS) {
      if (v < 1024 || v % 1024 !== 0) break;
      v /= 1024;
      unit = u;
    }
    return `${v}${unit}`;
  }
  return `${value}`;
}

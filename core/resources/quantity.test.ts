import { describe, expect, it } from 'vitest';
import { formatQuantity, parseConfigQuantity } from './quantity.js';

describe('parseConfigQuantity', () => {
  it.each([
    { name: 'plain number', resource: 'memory', text: '1000', value: 1000 },
    { name: 'zero', resource: 'memory', text: '0', value: 0 },
    { name: 'plus sign', resource: 'memory', text: '+5', value: 5 },
    { name: 'white space anywhere', resource: 'memory', text: ' 25  k ', value: 25_000 },
    { name: 'decimal k', resource: 'memory', text: '2k', value: 2_000 },
    { name: 'decimal M', resource: 'memory', text: '500M', value: 500_000_000 },
    { name: 'decimal T', resource: 'memory', text: '10T', value: 10 * 1e12 },
    { name: 'binary Ki', resource: 'memory', text: '2Ki', value: 2 * 1024 },
    { name: 'binary Gi', resource: 'memory', text: '4Gi', value: 4 * 1024 ** 3 },
    // vcore counts cores and keeps millicores: 2 -> 2 * 1000
    { name: 'vcore in cores', resource: 'vcore', text: '2', value: 2000 },
    { name: 'vcore in millicores', resource: 'vcore', text: '500m', value: 500 },
    // 2k cores = 2000 cores = 2,000,000 millicores
    { name: 'vcore with a decimal suffix', resource: 'vcore', text: '2k', value: 2_000_000 },
    { name: 'extended resource count', resource: 'nvidia.com/gpu', text: '4', value: 4 },
    // 2^63 - 1 is the largest int64; it is beyond 2^53, so the number is approximate
    { name: 'int64 max', resource: 'memory', text: '9223372036854775807', value: Number(2n ** 63n - 1n) },
  ])('$name: $resource $text', ({ resource, text, value }) => {
    const r = parseConfigQuantity(resource, text);
    expect(r).toMatchObject({ ok: true, value });
  });

  it.each([
    { name: 'text', resource: 'memory', text: 'text', reason: 'syntax' },
    { name: 'empty', resource: 'memory', text: '', reason: 'syntax' },
    { name: 'fraction', resource: 'vcore', text: '0.5', reason: 'syntax' },
    { name: 'negative', resource: 'memory', text: '-1', reason: 'negative' },
    { name: 'unknown unit', resource: 'memory', text: '5X', reason: 'suffix' },
    { name: 'lower-case ki', resource: 'memory', text: '5ki', reason: 'suffix' },
    { name: 'milli on memory', resource: 'memory', text: '500m', reason: 'suffix' },
    { name: 'int64 overflow', resource: 'memory', text: '9223372036854775808', reason: 'overflow' },
    // 1000E = 10^21 > 2^63
    { name: 'overflow by unit', resource: 'memory', text: '1000E', reason: 'overflow' },
    // 7E cores = 7 * 10^18 * 1000 millicores > 2^63
    { name: 'vcore overflow', resource: 'vcore', text: '7E', reason: 'overflow' },
  ])('$name: $resource $text is rejected ($reason)', ({ resource, text, reason }) => {
    expect(parseConfigQuantity(resource, text)).toMatchObject({ ok: false, reason });
  });

  it('marks values beyond 2^53 as inexact', () => {
    expect(parseConfigQuantity('memory', '7Pi')).toMatchObject({ ok: true, exact: true });
    expect(parseConfigQuantity('memory', '9E')).toMatchObject({ ok: true, exact: false });
  });
});

describe('formatQuantity', () => {
  it.each([
    { resource: 'vcore', value: 2000, text: '2' },
    { resource: 'vcore', value: 1500, text: '1500m' },
    { resource: 'memory', value: 4 * 1024 ** 3, text: '4Gi' },
    { resource: 'memory', value: 1000, text: '1000' },
    { resource: 'pods', value: 110, text: '110' },
  ])('$resource $value -> $text', ({ resource, value, text }) => {
    expect(formatQuantity(resource, value)).toBe(text);
  });
});

/**
 * The encoding rules: Go's omitempty, YuniKorn's percent truncation, Go's duration spelling, the node
 * utilisation buckets.
 */
import { describe, expect, it } from 'vitest';
import { absUsedCapacity, daoMap, goDuration, ns, omitEmpty } from './json.js';
import { bucketName, bucketOf } from './node-utilization.js';

describe('omitEmpty', () => {
  it.each([
    { name: 'false', value: false, kept: false },
    { name: 'zero', value: 0, kept: false },
    { name: 'empty string', value: '', kept: false },
    { name: 'empty list', value: [], kept: false },
    { name: 'empty map', value: {}, kept: false },
    { name: 'null', value: null, kept: false },
    { name: 'true', value: true, kept: true },
    { name: 'negative number', value: -2_147_483_648, kept: true },
    { name: 'the string 0', value: '0', kept: true },
    { name: 'map with a zero', value: { vcore: 0 }, kept: true },
  ])('$name', ({ value, kept }) => {
    expect(omitEmpty('f', value)).toEqual(kept ? { f: value } : {});
  });
});

describe('resource maps', () => {
  it('keeps zeros, sorts keys as Go does, and is absent when empty', () => {
    expect(Object.keys(daoMap({ vcore: 1, 'nvidia.com/gpu': 0, memory: 2, Pods: 3 }) ?? {})).toEqual(['Pods', 'memory', 'nvidia.com/gpu', 'vcore']);
    expect(daoMap({})).toBeUndefined();
  });

  it('turns milliseconds into nanoseconds', () => {
    // 1 700 000 000 123 ms -> 1 700 000 000 123 000 000 ns, printed exactly by JSON.stringify
    expect(JSON.stringify(ns(1_700_000_000_123))).toBe('1700000000123000000');
  });
});

describe('absUsedCapacity', () => {
  it.each([
    // 1 of 4 GiB -> 25; 2000 of 2000 m -> 100; 1 of 110 pods = 0.9 -> 0 (truncated)
    { name: 'truncates', capacity: { memory: 4, vcore: 2000, pods: 110 }, used: { memory: 1, vcore: 2000, pods: 1 }, want: { memory: 25, vcore: 100, pods: 0 } },
    // types missing from usage are left out, as YuniKorn leaves them out
    { name: 'only types used', capacity: { memory: 4, vcore: 2000 }, used: { vcore: 500 }, want: { vcore: 25 } },
    // 3000 of 2000 -> 150 (recovered pods can overbook)
    { name: 'over 100', capacity: { vcore: 2000 }, used: { vcore: 3000 }, want: { vcore: 150 } },
    { name: 'zero capacity left out', capacity: { gpu: 0, vcore: 10 }, used: { gpu: 0, vcore: 1 }, want: { vcore: 10 } },
    { name: 'no capacity', capacity: null, used: { vcore: 1 }, want: {} },
  ])('$name', ({ capacity, used, want }) => {
    expect(absUsedCapacity(capacity, used)).toEqual(want);
  });
});

describe('goDuration', () => {
  it.each([
    { ms: 0, want: '0s' },
    { ms: 30_000, want: '30s' },
    { ms: 90_000, want: '1m30s' },
    { ms: 120_000, want: '2m0s' },
    { ms: 3_600_000, want: '1h0m0s' },
    { ms: 5_400_500, want: '1h30m0.5s' },
    { ms: 1_500, want: '1.5s' },
    { ms: 300, want: '300ms' },
    { ms: 1.25, want: '1.25ms' },
    { ms: 0.5, want: '500µs' },
    { ms: 0.000_001, want: '1ns' },
  ])('$ms ms is $want', ({ ms, want }) => {
    expect(goDuration(ms)).toBe(want);
  });
});

describe('node utilisation buckets', () => {
  it.each([
    // bucket = max(ceil(u / 10) - 1, 0), the last bucket holds 91-100 and anything over
    { percent: 0, bucket: 0 },
    { percent: 10, bucket: 0 },
    { percent: 11, bucket: 1 },
    { percent: 20, bucket: 1 },
    { percent: 25, bucket: 2 },
    { percent: 99, bucket: 9 },
    { percent: 100, bucket: 9 },
    { percent: 150, bucket: 9 },
  ])('$percent% is bucket $bucket', ({ percent, bucket }) => {
    expect(bucketOf(percent)).toBe(bucket);
  });

  it('names buckets as YuniKorn does', () => {
    expect([0, 1, 9].map(bucketName)).toEqual(['0-10%', '10-20%', '90-100%']);
  });
});

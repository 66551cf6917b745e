import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatCores, formatPercent, formatQuantity, formatResource, nanosToMillis, shortPath } from './format.js';

const GiB = 2 ** 30;

describe('formatQuantity', () => {
  it.each([
    { name: 'whole cores', resource: 'vcore', value: 2000, text: '2 cores' },
    { name: 'one core', resource: 'vcore', value: 1000, text: '1 core' },
    { name: 'a core and a half', resource: 'vcore', value: 1500, text: '1.5 cores' },
    { name: 'millicores', resource: 'vcore', value: 250, text: '0.25 cores' },
    // 98,400 millicores: above 10 cores one decimal, above 100 none.
    { name: 'many cores', resource: 'vcore', value: 98_400, text: '98.4 cores' },
    { name: 'hundreds of cores', resource: 'vcore', value: 640_000, text: '640 cores' },
    { name: 'GiB', resource: 'memory', value: 4 * GiB, text: '4 GiB' },
    { name: 'fractional GiB', resource: 'memory', value: 1.5 * GiB, text: '1.5 GiB' },
    { name: 'MiB', resource: 'memory', value: 256 * 2 ** 20, text: '256 MiB' },
    { name: 'bytes', resource: 'memory', value: 512, text: '512 B' },
    { name: 'pods', resource: 'pods', value: 1, text: '1 pod' },
    { name: 'an extended resource', resource: 'nvidia.com/gpu', value: 2, text: '2 nvidia.com/gpu' },
  ])('$name', ({ resource, value, text }) => {
    expect(formatQuantity(resource, value)).toBe(text);
  });

  it('writes a map main resources first, zeros left out', () => {
    expect(formatResource({ pods: 3, memory: 4 * GiB, vcore: 1500, 'nvidia.com/gpu': 0 })).toBe('1.5 cores, 4 GiB, 3 pods');
    expect(formatResource({ pods: 3, memory: 4 * GiB, vcore: 1500 }, { only: ['vcore', 'memory'] })).toBe('1.5 cores, 4 GiB');
    expect(formatResource({})).toBe('none');
    expect(formatResource(undefined)).toBe('none');
  });

  it('has the core helpers agree with each other', () => {
    expect(formatCores(0)).toBe('0 cores');
    expect(formatBytes(1024)).toBe('1 KiB');
  });
});

describe('percent, times and paths', () => {
  it('never shows a busy queue as 0%', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.004)).toBe('<1%');
    expect(formatPercent(0.456)).toBe('46%');
  });

  it('reads nanoseconds beyond 2^53 back to the millisecond', () => {
    const ms = 1_732_486_891_123;
    expect(nanosToMillis(ms * 1e6)).toBe(ms);
    expect(nanosToMillis(0)).toBeUndefined();
    expect(nanosToMillis(undefined)).toBeUndefined();
  });

  it('says how long ago', () => {
    expect(formatAge(0, 5_000)).toBe('5 s ago');
    expect(formatAge(0, 180_000)).toBe('3 min ago');
    expect(formatAge(0, 2 * 3_600_000)).toBe('2 h ago');
    expect(formatAge(0, 4 * 86_400_000)).toBe('4 d ago');
  });

  it('shortens a long queue path from the left by whole segments', () => {
    expect(shortPath('root.a')).toBe('root.a');
    expect(shortPath('root.engineering.platform.batch.nightly', 26)).toBe('…platform.batch.nightly');
  });
});

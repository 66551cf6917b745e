import { describe, expect, it } from 'vitest';
import { add, fitsInMax, formatResource, isZero, minOfMax, overMax } from './resource.js';

describe('resource arithmetic', () => {
  it('adds entry by entry, absent entries counting as zero', () => {
    expect(add({ vcore: 1000, memory: 5 }, { memory: 7, pods: 1 })).toEqual({ vcore: 1000, memory: 12, pods: 1 });
  });

  it.each([
    { name: 'within', request: { vcore: 500 }, max: { vcore: 1000 }, fits: true },
    { name: 'equal', request: { vcore: 1000 }, max: { vcore: 1000 }, fits: true },
    { name: 'over', request: { vcore: 1001 }, max: { vcore: 1000 }, fits: false },
    { name: 'absent in max is unlimited', request: { memory: 10 ** 12 }, max: { vcore: 1000 }, fits: true },
    { name: 'absent in request is zero', request: {}, max: { vcore: 0 }, fits: true },
    { name: 'zero max blocks a positive request', request: { vcore: 1 }, max: { vcore: 0 }, fits: false },
  ])('fitsInMax: $name', ({ request, max, fits }) => {
    expect(fitsInMax(request, max)).toBe(fits);
    expect(overMax(request, max).length === 0).toBe(fits);
  });

  it('takes the tighter maximum entry by entry, keeping entries set on one side only', () => {
    expect(minOfMax({ vcore: 1000, memory: 50 }, { memory: 20, pods: 3 })).toEqual({ vcore: 1000, memory: 20, pods: 3 });
  });

  it('knows zero', () => {
    expect(isZero({})).toBe(true);
    expect(isZero({ memory: 0, vcore: 0 })).toBe(true);
    expect(isZero({ memory: 0, vcore: 1 })).toBe(false);
  });

  it('formats with sorted keys and queues.yaml units', () => {
    expect(formatResource({ vcore: 2500, memory: 2 * 1024 ** 3 })).toBe('{memory: 2Gi, vcore: 2500m}');
    expect(formatResource({ vcore: 2000, memory: 1 }, ['vcore'])).toBe('{vcore: 2}');
  });
});

import { describe, expect, it } from 'vitest';
import { createOrderedSet } from './ordered-set.js';
import { seededRandom, shuffled } from './test-helpers.js';

const byNumber = (a: number, b: number) => a - b;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('ordered set (B-tree)', () => {
  it.each([
    { name: 'empty', insert: [], remove: [], contents: [] },
    { name: 'sorted on insert', insert: [5, 1, 4, 2, 3], remove: [], contents: [1, 2, 3, 4, 5] },
    { name: 'duplicates kept once', insert: [2, 1, 2, 1], remove: [], contents: [1, 2] },
    { name: 'delete present and absent keys', insert: [1, 2, 3], remove: [2, 7], contents: [1, 3] },
    { name: 'delete everything', insert: [3, 1, 2], remove: [1, 2, 3], contents: [] },
  ])('$name', ({ insert, remove, contents }) => {
    const set = createOrderedSet(byNumber, { minDegree: 2 });
    for (const k of insert) set.insert(k);
    for (const k of remove) set.delete(k);
    expect([...set]).toEqual(contents);
    expect(set.size).toBe(contents.length);
    expect(set.first()).toBe(contents[0]);
    expect(set.check()).toEqual([]);
  });

  it('says whether an insert or a delete changed anything', () => {
    const set = createOrderedSet(byNumber);
    expect(set.insert(1)).toBe(true);
    expect(set.insert(1)).toBe(false);
    expect(set.has(1)).toBe(true);
    expect(set.delete(1)).toBe(true);
    expect(set.delete(1)).toBe(false);
    expect(set.has(1)).toBe(false);
  });

  it.each([
    { name: 'a present key', after: 10, keys: [12, 14, 16, 18] },
    { name: 'an absent key', after: 11, keys: [12, 14, 16, 18] },
    { name: 'below the first', after: -5, keys: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18] },
    { name: 'the last', after: 18, keys: [] },
  ])('iterates after $name', ({ after, keys }) => {
    // 0, 2, ..., 18 with t = 2 is a tree three levels deep, so seeks cross internal nodes.
    const set = createOrderedSet(byNumber, { minDegree: 2 });
    for (const k of shuffled(seededRandom(7), range(10).map((i) => i * 2))) set.insert(k);
    expect([...set.after(after)]).toEqual(keys);
  });

  it.each([2, 3, 16])('matches a sorted array through random inserts and deletes (t = %i)', (minDegree) => {
    const random = seededRandom(minDegree);
    const set = createOrderedSet(byNumber, { minDegree });
    const model = new Set<number>();
    for (let step = 0; step < 4_000; step++) {
      // Grow for the first half, then shrink, so the tree both splits and merges all the way to the root.
      const key = Math.floor(random() * 400);
      const grow = step < 2_000 ? random() < 0.7 : random() < 0.3;
      if (grow) expect(set.insert(key)).toBe(!model.has(key));
      else expect(set.delete(key)).toBe(model.has(key));
      if (grow) model.add(key);
      else model.delete(key);
      if (step % 20 === 0 || step > 3_900) {
        expect(set.check()).toEqual([]);
        expect([...set]).toEqual([...model].sort(byNumber));
      }
    }
  });

  describe('live iteration', () => {
    const build = () => {
      const set = createOrderedSet(byNumber, { minDegree: 2 });
      for (const k of range(20)) set.insert(k * 10);
      return set;
    };

    it('visits a key inserted ahead of the cursor but not one behind it', () => {
      const set = build();
      const seen: number[] = [];
      for (const k of set) {
        seen.push(k);
        if (k === 50) {
          set.insert(55);
          set.insert(5);
        }
      }
      expect(seen).toEqual([...range(6).map((i) => i * 10), 55, ...range(14).map((i) => 60 + i * 10)]);
    });

    it('skips keys deleted ahead of the cursor, even when the tree reshapes', () => {
      const set = build();
      const seen: number[] = [];
      for (const k of set) {
        seen.push(k);
        if (k === 30) for (const d of [0, 10, 20, 40, 60, 80, 100, 120]) set.delete(d);
      }
      expect(seen).toEqual([0, 10, 20, 30, 50, 70, 90, 110, 130, 140, 150, 160, 170, 180, 190]);
      expect(set.check()).toEqual([]);
    });

    it('stops early without harm', () => {
      const set = build();
      const firstThree: number[] = [];
      for (const k of set) {
        if (firstThree.length === 3) break;
        firstThree.push(k);
      }
      expect(firstThree).toEqual([0, 10, 20]);
      expect(set.size).toBe(20);
    });
  });

  it('refuses a minimum degree below 2 (a programming error)', () => {
    expect(() => createOrderedSet(byNumber, { minDegree: 1 })).toThrow(/minimum degree/);
  });
});

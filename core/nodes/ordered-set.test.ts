import { describe, expect, it } from 'vitest';
import type { Augmentation } from './ordered-set.js';
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

describe('ordered set with subtree summaries', () => {
  /** Keys with a weight the summary reads; ordered by id. */
  interface Item {
    readonly id: number;
    weight: number;
  }
  interface Sum {
    count: number;
    max: number;
  }
  const byId = (a: Item, b: Item) => a.id - b.id;
  /** Summary: how many keys a subtree holds, and their largest weight. */
  const countAndMax: Augmentation<Item, Sum> = {
    create: () => ({ count: 0, max: Number.NEGATIVE_INFINITY }),
    recompute: ({ keys, children }, into) => {
      into.count = keys.length;
      into.max = Math.max(Number.NEGATIVE_INFINITY, ...keys.map((k) => k.weight));
      for (const c of children ?? []) {
        into.count += c.summary.count;
        into.max = Math.max(into.max, c.summary.max);
      }
      return into;
    },
    add: (s, key) => ({ count: s.count + 1, max: Math.max(s.max, key.weight) }),
    dependsOn: () => true,
    equal: (a, b) => a.count === b.count && a.max === b.max,
  };
  /** Summary: the largest weight only (count stays 0), so a removal below the maximum changes nothing. */
  const maxOnly: Augmentation<Item, Sum> = {
    ...countAndMax,
    recompute: (node, into) => {
      countAndMax.recompute(node, into);
      into.count = 0;
      return into;
    },
    add: (s, key) => ({ count: 0, max: Math.max(s.max, key.weight) }),
    dependsOn: (s, key) => key.weight >= s.max,
  };
  const augmented = (minDegree: number, augmentation = countAndMax) => createOrderedSet(byId, { minDegree, augmentation });

  it.each([
    { minDegree: 2, summary: 'count and max' },
    { minDegree: 3, summary: 'count and max' },
    { minDegree: 16, summary: 'count and max' },
    { minDegree: 2, summary: 'max only' },
    { minDegree: 16, summary: 'max only' },
  ])('keeps every summary current through splits, merges and borrows (t = $minDegree, $summary)', ({ minDegree, summary }) => {
    const random = seededRandom(100 + minDegree);
    const set = augmented(minDegree, summary === 'max only' ? maxOnly : countAndMax);
    const model = new Map<number, Item>();
    for (let step = 0; step < 4_000; step++) {
      const id = Math.floor(random() * 400);
      const grow = step < 2_000 ? random() < 0.7 : random() < 0.3;
      const item = model.get(id) ?? { id, weight: Math.floor(random() * 1_000) };
      if (grow) {
        expect(set.insert(item)).toBe(!model.has(id));
        model.set(id, item);
      } else {
        expect(set.delete(item)).toBe(model.delete(id));
      }
      if (random() < 0.2 && model.size > 0) {
        // A weight changes in place: the key keeps its place, the summaries on its path must follow.
        const changed = [...model.values()][Math.floor(random() * model.size)];
        if (changed !== undefined) {
          changed.weight = Math.floor(random() * 1_000);
          expect(set.refresh(changed)).toBe(true);
        }
      }
      if (step % 10 === 0 || step > 3_900) expect(set.check()).toEqual([]);
    }
    expect(set.refresh({ id: 1_000, weight: 0 })).toBe(false);
  });

  it('reports a summary left stale (the checker can fail)', () => {
    const set = augmented(2);
    const items = range(20).map((id) => ({ id, weight: id }));
    for (const item of items) set.insert(item);
    expect(set.check()).toEqual([]);
    const item = items[7] ?? { id: 7, weight: 7 };
    item.weight = 1_000;
    expect(set.check().some((p) => p.includes('stale summary'))).toBe(true);
    set.refresh(item);
    expect(set.check()).toEqual([]);
  });

  it.each([2, 16])('finds what a scan in order finds, testing keys only in admitted subtrees (t = %i)', (minDegree) => {
    const random = seededRandom(200 + minDegree);
    const set = augmented(minDegree);
    const items = shuffled(random, range(500)).map((id) => ({ id, weight: Math.floor(random() * 1_000) }));
    for (const item of items) set.insert(item);
    const sorted = [...set];
    for (let q = 0; q < 300; q++) {
      const threshold = Math.floor(random() * 1_100);
      const odd = random() < 0.5;
      const wanted = (k: Item) => k.weight >= threshold && (!odd || k.id % 2 === 1);
      const tested: Item[] = [];
      const found = set.findFirst(
        (s) => s.max >= threshold,
        (k) => {
          tested.push(k);
          return wanted(k);
        },
      );
      expect(found).toBe(sorted.find(wanted));
      // Pruning only on the maximum: every key at or above the threshold before the answer is tested.
      const expectedTests = sorted.filter((k) => k.weight >= threshold && (found === undefined || k.id <= found.id));
      expect(tested.filter((k) => k.weight >= threshold)).toEqual(expectedTests);
    }
  });

  it('treats a change during findFirst as a bug', () => {
    const set = augmented(2);
    for (const id of range(10)) set.insert({ id, weight: id });
    const find = () =>
      set.findFirst(
        () => true,
        (k) => {
          set.delete(k);
          return false;
        },
      );
    expect(find).toThrow(/changed during findFirst/);
  });
});

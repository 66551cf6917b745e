import { describe, expect, it } from 'vitest';
import { RESERVATION_DELAY_MS } from './allocate.js';
import { harness, OPEN } from './test-helpers.js';

const cycles = (h: ReturnType<typeof harness>, ms: number) => {
  for (let t = 0; t < ms; t += 100) {
    h.clock.ms += 100;
    h.s.schedule();
  }
};

describe('reservations', () => {
  it('keep a large ask from starving behind small ones: the reserved node takes no other pods', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 16);
    h.app('small', 'root.a');
    h.app('large', 'root.b');
    h.ask('s1', 'small', { vcore: 2000 });
    h.s.schedule();
    expect(h.placed.get('s1')).toBe('n1');
    h.ask('big', 'large', { vcore: 4000 });
    cycles(h, RESERVATION_DELAY_MS + 100);
    expect(h.reasons.get('big')?.message).toContain('node n1 is reserved for this pod');
    // a small ask that would fit waits: the node is kept for the large one
    h.ask('s2', 'small', { vcore: 1000 });
    cycles(h, 300);
    expect(h.placed.has('s2')).toBe(false);
    h.release('s1');
    cycles(h, 100);
    expect(h.placed.get('big')).toBe('n1');
  });

  it('never reserve a node the predicates rule out, so other pods keep using it', () => {
    const onlyN2 = new Set(['picky', 'filler']);
    const h = harness(OPEN(), { fits: (ask, node) => !onlyN2.has(ask.allocationKey) || node === 'n2' });
    h.node('n1', 4, 16);
    h.node('n2', 4, 16);
    h.app('picky', 'root.a');
    h.app('filler', 'root.a');
    h.ask('picky', 'picky', { vcore: 3500 });
    h.ask('filler', 'filler', { vcore: 3000 });
    cycles(h, RESERVATION_DELAY_MS + 500);
    expect(h.placed.get('picky')).toBe('n2');
    expect(h.reasons.get('filler')?.message).toContain('node n2 is reserved');
    h.app('other', 'root.b');
    h.ask('q1', 'other', { vcore: 800 });
    cycles(h, 200);
    expect(h.placed.get('q1')).toBe('n1');
  });

  it('end when the ask goes away', () => {
    const h = harness(OPEN());
    h.node('n1', 4, 16);
    h.app('small', 'root.a');
    h.app('large', 'root.b');
    h.ask('s1', 'small', { vcore: 2000 });
    h.ask('big', 'large', { vcore: 4000 });
    cycles(h, RESERVATION_DELAY_MS + 100);
    h.removeAsk('big');
    h.ask('s2', 'small', { vcore: 1000 });
    cycles(h, 100);
    expect(h.placed.get('s2')).toBe('n1');
  });
});

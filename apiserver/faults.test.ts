import { describe, expect, it } from 'vitest';
import { faultFor, NO_FAULTS } from './faults.js';

const plan = (over: Partial<typeof NO_FAULTS>) => ({ ...NO_FAULTS, ...over });

describe('faultFor', () => {
  it.each([
    { name: 'no faults', p: plan({}), method: 'GET', watch: false, draw: 0, fault: 'none' },
    // a draw below the rate injects, one at or above it does not
    { name: '500 below its rate', p: plan({ internalError: 0.3 }), method: 'GET', watch: false, draw: 0.29, fault: 500 },
    { name: '500 above its rate', p: plan({ internalError: 0.3 }), method: 'GET', watch: false, draw: 0.3, fault: 'none' },
    { name: '409 only on writes', p: plan({ conflict: 1 }), method: 'GET', watch: false, draw: 0, fault: 'none' },
    { name: '409 on a patch', p: plan({ conflict: 1 }), method: 'PATCH', watch: false, draw: 0, fault: 409 },
    { name: '410 only on watches', p: plan({ gone: 1 }), method: 'GET', watch: false, draw: 0, fault: 'none' },
    { name: '410 on a watch', p: plan({ gone: 1 }), method: 'GET', watch: true, draw: 0, fault: 410 },
  ])('$name', ({ p, method, watch, draw, fault }) => {
    const f = faultFor(p, method, watch, () => draw);
    expect(f.kind === 'none' ? 'none' : f.code).toBe(fault);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';
import { generateConfig } from './config-load.js';

describe('the config.load benchmark input', () => {
  it('is a valid configuration of about 1,000 queues four levels deep', () => {
    const { text, queues } = generateConfig();
    const r = loadConfig(text);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    if (!r.ok) expect.fail('invalid');
    expect(queues).toBe(1010);
    const depth = (q: { queues: readonly unknown[] }): number => 1 + Math.max(0, ...q.queues.map((c) => depth(c as { queues: readonly unknown[] })));
    expect(depth(r.config.partitions[0]?.root ?? { queues: [] })).toBe(4);
  });
});

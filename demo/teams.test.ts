import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';
import { demoQueuesYaml, TEAMS } from './teams.js';

describe("the demo's queues.yaml", () => {
  const loaded = loadConfig(demoQueuesYaml());

  it('loads without an issue', () => {
    expect(loaded.issues).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  it("gives each team a queue with the team's guarantee and maximum, and places by namespace", () => {
    if (!loaded.ok) return expect.fail('the demo queues.yaml does not load');
    const [partition] = loaded.config.partitions;
    expect(partition?.placementRules.map((r) => `${r.name}:${r.value}`)).toEqual(['provided:', 'tag:namespace']);
    expect(partition?.root.queues.map((q) => q.path)).toEqual(TEAMS.map((t) => `root.${t.name}`));
    // analytics: 24 cores = 24000 millicores guaranteed, 48 at most
    expect(partition?.root.queues[0]).toMatchObject({ guaranteed: { vcore: 24_000, memory: 96 * 2 ** 30 }, max: { vcore: 48_000, memory: 192 * 2 ** 30 } });
  });

  it("fits the guarantees in drover dev's default cluster: 10 nodes of 8 cores and 32Gi", () => {
    // 24 + 32 + 8 = 64 cores <= 80; 96 + 128 + 32 = 256Gi <= 320Gi
    expect(TEAMS.reduce((sum, t) => sum + t.guaranteed.vcore, 0)).toBeLessThanOrEqual(80);
    expect(TEAMS.reduce((sum, t) => sum + Number(t.guaranteed.memory.replace('Gi', '')), 0)).toBeLessThanOrEqual(320);
    // and no team's maximum is the whole cluster, so a burst waits on its queue
    for (const t of TEAMS) expect(t.max.vcore).toBeLessThan(80);
  });
});

import { describe, expect, it } from 'vitest';
import { RUN_SECONDS_ANNOTATION } from '../apiserver/kubelets.js';
import { parseKubeMilli } from '../core/resources/kube-quantity.js';
import { TEAMS } from './teams.js';
import { readGang, taskGroupName } from '../shim/gang/task-groups.js';
import { createWorkload, DEFAULT_SHAPE, DEMO_LABEL, driverPod, executorPod } from './workload.js';
import type { Arrival } from './workload.js';

const arrivals = (seed: number, n: number, shape = DEFAULT_SHAPE): Arrival[] => {
  const w = createWorkload(TEAMS, shape, seed);
  return Array.from({ length: n }, () => w.next());
};

describe('the demo workload', () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(arrivals(7, 50)).toEqual(arrivals(7, 50));
    expect(arrivals(8, 50)).not.toEqual(arrivals(7, 50));
  });

  it('arrives on average every meanArrivalMs, from every team, roughly by weight', () => {
    const list = arrivals(1, 3000);
    const mean = list.reduce((sum, a) => sum + a.afterMs, 0) / list.length;
    expect(mean).toBeGreaterThan(DEFAULT_SHAPE.meanArrivalMs * 0.9);
    expect(mean).toBeLessThan(DEFAULT_SHAPE.meanArrivalMs * 1.1);
    const byTeam = new Map<string, number>();
    for (const a of list) byTeam.set(a.apps[0]?.team.name ?? '', (byTeam.get(a.apps[0]?.team.name ?? '') ?? 0) + 1);
    // weights 3:2:2 of 7: analytics 3/7 = 0.43, ml and reporting 2/7 = 0.29 each
    expect((byTeam.get('analytics') ?? 0) / list.length).toBeCloseTo(3 / 7, 1);
    expect((byTeam.get('ml') ?? 0) / list.length).toBeCloseTo(2 / 7, 1);
    expect((byTeam.get('reporting') ?? 0) / list.length).toBeCloseTo(2 / 7, 1);
  });

  it('sends bursts that ask for more than the team queue guarantees', () => {
    const bursts = arrivals(1, 500).filter((a) => a.apps.length > 1);
    expect(bursts.length).toBeGreaterThan(0);
    const overGuarantee = bursts.filter((a) => {
      const team = a.apps[0]?.team;
      if (team === undefined) return false;
      // millicores asked: per app, a driver plus its executors
      const asked = a.apps.reduce((sum, app) => sum + parseCpu(team.driver.cpu) + app.executors * parseCpu(team.executor.cpu), 0);
      return asked > team.guaranteed.vcore * 1000;
    });
    expect(overGuarantee.length).toBeGreaterThan(0);
  });

  it('makes Spark pods that name no scheduler, grouped by spark-app-selector, that finish', () => {
    const app = arrivals(3, 1)[0]?.apps[0];
    if (app === undefined) return expect.fail('no application');
    const driver = driverPod(app);
    const executor = executorPod(app, 2);
    expect(driver.spec?.schedulerName).toBeUndefined();
    expect(executor.spec?.schedulerName).toBeUndefined();
    expect(driver.metadata).toMatchObject({
      name: `${app.name}-driver`,
      namespace: app.team.name,
      labels: { 'spark-app-selector': app.id, 'spark-role': 'driver', [DEMO_LABEL]: 'true' },
      annotations: { [RUN_SECONDS_ANNOTATION]: String(app.runSeconds + DEFAULT_SHAPE.driverExtraSeconds) },
    });
    expect(executor.metadata).toMatchObject({
      name: `${app.name}-exec-2`,
      labels: { 'spark-app-selector': app.id, 'spark-role': 'executor', 'spark-exec-id': '2' },
      annotations: { [RUN_SECONDS_ANNOTATION]: String(app.runSeconds) },
    });
    expect(executor.spec?.containers[0]?.resources?.requests).toEqual({ cpu: app.team.executor.cpu, memory: app.team.executor.memory });
    expect(app.id).toMatch(/^spark-[0-9a-f]{32}$/);
    expect(driver.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('the demo gangs', () => {
  it("declares the ml team's applications as gangs the shim reads: the driver and every executor", () => {
    const apps = arrivals(5, 200).flatMap((a) => a.apps);
    const ml = apps.find((a) => a.team.name === 'ml');
    const other = apps.find((a) => a.team.name !== 'ml');
    if (ml === undefined || other === undefined) return expect.fail('no applications of both kinds');
    const { gang, problems } = readGang(driverPod(ml).metadata?.annotations ?? {});
    expect(problems).toEqual([]);
    expect(gang?.taskGroups.map((g) => [g.name, g.minMember])).toEqual([
      ['spark-driver', 1],
      ['spark-executor', ml.executors],
    ]);
    expect(gang?.style).toBe('Soft');
    expect(taskGroupName(executorPod(ml, 1).metadata?.annotations ?? {})).toBe('spark-executor');
    expect(readGang(driverPod(other).metadata?.annotations ?? {}).gang).toBeNull();
  });
});

function parseCpu(q: string): number {
  const r = parseKubeMilli(q);
  if (!r.ok) throw new Error(`bad quantity ${q}`);
  return r.value;
}

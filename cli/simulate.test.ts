import { describe, expect, it } from 'vitest';
import { runCli } from './main.js';
import { fakeIo } from './test-helpers.js';


const SCENARIO = `nodes:
  - {name: node-1, allocatable: {cpu: "2", memory: 4Gi}}
pods:
  - {name: p1, namespace: team-a, labels: {applicationId: a}, requests: {cpu: "1"}}
  - {name: p2, namespace: team-a, labels: {applicationId: a}, requests: {cpu: "2"}}
`;

describe('drover simulate', () => {
  it('prints one JSON document with the default configuration', async () => {
    const t = fakeIo({ 's.yaml': SCENARIO });
    expect(await runCli(['simulate', 's.yaml'], t.io)).toBe(0);
    const doc = JSON.parse(t.out()) as { pods: { name: string; state: string; queue: string }[]; queues: { queuePath: string }[] };
    // the default configuration: tag rule on the namespace, root open to everyone
    expect(doc.pods.map((p) => [p.name, p.state, p.queue])).toEqual([
      ['p1', 'Bound', 'root.team-a'],
      ['p2', 'Pending', 'root.team-a'],
    ]);
    expect(doc.queues.map((q) => q.queuePath)).toEqual(['root', 'root.team-a']);
  });

  it('takes --config over the scenario queues', async () => {
    const t = fakeIo({ 's.yaml': SCENARIO, 'q.yaml': 'partitions:\n  - placementrules: [{name: fixed, value: root.all, create: true}]\n    queues: [{name: root, submitacl: "*"}]\n' });
    expect(await runCli(['simulate', 's.yaml', '--config', 'q.yaml'], t.io)).toBe(0);
    expect(t.out()).toContain('"queue": "root.all"');
  });

  it('prints a table at a terminal', async () => {
    const t = fakeIo({ 's.yaml': SCENARIO }, true);
    expect(await runCli(['simulate', 's.yaml'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^ticks: \d+\nPOD +STATE/);
  });

  it.each([
    { name: 'an invalid scenario', files: { 's.yaml': 'pods: 5\n' }, args: ['simulate', 's.yaml'], code: 1, err: /s\.yaml:1:7: error wrong-type at pods/ },
    { name: 'an invalid configuration', files: { 's.yaml': SCENARIO, 'q.yaml': 'partitions: x\n' }, args: ['simulate', 's.yaml', '-c', 'q.yaml'], code: 1, err: /q\.yaml:1:13: error wrong-type/ },
    { name: 'no scenario', files: {}, args: ['simulate'], code: 2, err: /exactly one scenario/ },
    { name: 'a bad output', files: { 's.yaml': SCENARIO }, args: ['simulate', 's.yaml', '-o', 'xml'], code: 2, err: /--output/ },
  ])('exits $code for $name', async ({ files, args, code, err }) => {
    const t = fakeIo(files);
    expect(await runCli(args, t.io)).toBe(code);
    expect(t.err()).toMatch(err);
    expect(t.out()).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from './main.js';
import { fakeIo } from './test-helpers.js';


const GOOD = 'partitions:\n  - queues:\n      - name: root\n        submitacl: "*"\n';
const BAD = 'partitions:\n  - queues:\n      - name: root\n        queues:\n          - name: a.b\n          - name: c\n            maxapplications: x\n';

describe('drover validate', () => {
  it('exits 0 and prints nothing for a valid file', async () => {
    const t = fakeIo({ 'q.yaml': GOOD });
    expect(await runCli(['validate', 'q.yaml'], t.io)).toBe(0);
    expect(t.out()).toBe('');
  });

  it('prints one line per issue as FILE:LINE:COL: SEVERITY CODE at PATH: MESSAGE and exits 1', async () => {
    const t = fakeIo({ 'q.yaml': BAD, 'ok.yaml': GOOD });
    expect(await runCli(['validate', 'ok.yaml', 'q.yaml'], t.io)).toBe(1);
    const lines = t.out().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^q\.yaml:5:19: error queue-name-invalid at partitions\[0\]\.queues\[0\]\.queues\[0\]\.name: .+/);
    expect(lines[1]).toMatch(/^q\.yaml:7:30: error wrong-type at partitions\[0\]\.queues\[0\]\.queues\[1\]\.maxapplications: .+/);
  });

  it('tells a person at a terminal the verdict for each file, on stderr', async () => {
    const t = fakeIo({ 'q.yaml': BAD, 'ok.yaml': GOOD });
    await runCli(['validate', 'ok.yaml', 'q.yaml'], { ...t.io, isTty: true });
    expect(t.err()).toBe('ok.yaml: valid (0 errors, 0 warnings)\nq.yaml: invalid (2 errors, 0 warnings)\n');
  });

  it('prints JSON with --output json', async () => {
    const t = fakeIo({ 'q.yaml': BAD });
    expect(await runCli(['validate', '--output', 'json', 'q.yaml'], t.io)).toBe(1);
    const doc = JSON.parse(t.out()) as { files: { file: string; valid: boolean; issues: { code: string; line: number }[] }[] };
    expect(doc.files[0]?.file).toBe('q.yaml');
    expect(doc.files[0]?.valid).toBe(false);
    expect(doc.files[0]?.issues.map((i) => [i.code, i.line])).toEqual([
      ['queue-name-invalid', 5],
      ['wrong-type', 7],
    ]);
  });

  it('validates the queues.yaml of ConfigMaps, at the lines of the manifest', async () => {
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: drover-configs
data:
  queues.yaml: |
${BAD.split('\n').map((l) => (l === '' ? l : `    ${l}`)).join('\n')}`;
    const t = fakeIo({ 'cm.yaml': manifest });
    expect(await runCli(['validate', 'cm.yaml'], t.io)).toBe(1);
    // line 5 of the embedded text is line 11 of the manifest, 4 columns further right
    expect(t.out()).toMatch(/^cm\.yaml:11:23: error queue-name-invalid /);
  });

  it('finds ConfigMaps inside a List, as kubectl prints them', async () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data:
      queues.yaml: |
        partitions:
          - queues: [{name: root, maxapplications: many}]
`;
    const t = fakeIo({ 'list.yaml': list });
    expect(await runCli(['validate', 'list.yaml'], t.io)).toBe(1);
    expect(t.out()).toMatch(/^list\.yaml:10:52: error wrong-type at partitions\[0\]\.queues\[0\]\.maxapplications: /);
  });

  it('warns about a ConfigMap without queues.yaml and still exits 0', async () => {
    const t = fakeIo({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {other: "1"}\n' });
    expect(await runCli(['validate', 'cm.yaml'], t.io)).toBe(0);
    expect(t.out()).toMatch(/warning config-empty/);
  });

  it.each([
    { name: 'no file', args: ['validate'] },
    { name: 'an unknown option', args: ['validate', '--fast', 'q.yaml'] },
    { name: 'an unknown output', args: ['validate', '-o', 'xml', 'q.yaml'] },
    { name: 'a missing file', args: ['validate', 'missing.yaml'] },
    { name: 'an unknown command', args: ['frobnicate'] },
  ])('exits 2 for $name', async ({ args }) => {
    const t = fakeIo({ 'q.yaml': GOOD });
    expect(await runCli(args, t.io)).toBe(2);
    expect(t.err()).not.toBe('');
  });
});

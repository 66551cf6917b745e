import { describe, expect, it } from 'vitest';
import type { AdmissionSettings, Patterns } from './settings.js';
import { admissionSettings, compilePatterns, DEFAULT_ADMISSION_SETTINGS, matchesAny, parseApplicationLabels } from './settings.js';

const texts = (p: Patterns): string[] => p.map((x) => x.text);

describe('DEFAULT_ADMISSION_SETTINGS', () => {
  it("are YuniKorn's defaults, with drover's scheduler name", () => {
    const s = DEFAULT_ADMISSION_SETTINGS;
    expect({
      schedulerName: s.schedulerName,
      processNamespaces: texts(s.processNamespaces),
      bypassNamespaces: texts(s.bypassNamespaces),
      labelNamespaces: texts(s.labelNamespaces),
      noLabelNamespaces: texts(s.noLabelNamespaces),
      generateUniqueAppId: s.generateUniqueAppId,
      bypassAuth: s.bypassAuth,
      trustControllers: s.trustControllers,
      systemUsers: texts(s.systemUsers),
      externalUsers: texts(s.externalUsers),
      externalGroups: texts(s.externalGroups),
    }).toEqual({
      schedulerName: 'drover',
      processNamespaces: [],
      bypassNamespaces: ['^kube-system$'],
      labelNamespaces: [],
      noLabelNamespaces: [],
      generateUniqueAppId: false,
      bypassAuth: false,
      trustControllers: true,
      systemUsers: ['^system:serviceaccount:kube-system:'],
      externalUsers: [],
      externalGroups: [],
    });
  });

  it('are frozen', () => {
    expect(Object.isFrozen(DEFAULT_ADMISSION_SETTINGS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ADMISSION_SETTINGS.bypassNamespaces)).toBe(true);
  });
});

describe('admissionSettings', () => {
  it.each([
    { name: 'YuniKorn key', raw: { 'admissionController.filtering.bypassNamespaces': '^a$,^b$' }, field: 'bypassNamespaces', value: ['^a$', '^b$'] },
    { name: 'short key', raw: { bypassNamespaces: '^a$' }, field: 'bypassNamespaces', value: ['^a$'] },
    { name: 'entries are trimmed, empty ones skipped', raw: { processNamespaces: ' ^a$ , ,^b$,' }, field: 'processNamespaces', value: ['^a$', '^b$'] },
    // present but empty means "none": kube-system is then processed, as in YuniKorn
    { name: 'an empty list replaces the default', raw: { bypassNamespaces: '' }, field: 'bypassNamespaces', value: [] },
    { name: 'labelNamespaces', raw: { 'admissionController.filtering.labelNamespaces': 'spark' }, field: 'labelNamespaces', value: ['spark'] },
    { name: 'noLabelNamespaces short', raw: { noLabelNamespaces: 'batch' }, field: 'noLabelNamespaces', value: ['batch'] },
    { name: 'systemUsers', raw: { 'admissionController.accessControl.systemUsers': '^system:' }, field: 'systemUsers', value: ['^system:'] },
    { name: 'externalUsers', raw: { 'admissionController.accessControl.externalUsers': '^airflow$' }, field: 'externalUsers', value: ['^airflow$'] },
    { name: 'externalGroups', raw: { 'admissionController.accessControl.externalGroups': '^admins$' }, field: 'externalGroups', value: ['^admins$'] },
  ] as const)('reads $name', ({ raw, field, value }) => {
    const { settings, problems } = admissionSettings(raw);
    expect(problems).toEqual([]);
    expect(texts(settings[field])).toEqual(value);
  });

  it.each([
    { text: 'true', value: true },
    { text: 'True', value: true },
    { text: 'TRUE', value: true },
    { text: 't', value: true },
    { text: '1', value: true },
    { text: 'false', value: false },
    { text: 'F', value: false },
    { text: '0', value: false },
  ])('reads the boolean "$text" as Go does', ({ text, value }) => {
    const keys = ['admissionController.filtering.generateUniqueAppId', 'admissionController.accessControl.bypassAuth', 'admissionController.accessControl.trustControllers'];
    const { settings, problems } = admissionSettings(Object.fromEntries(keys.map((k) => [k, text])));
    expect(problems).toEqual([]);
    expect([settings.generateUniqueAppId, settings.bypassAuth, settings.trustControllers]).toEqual([value, value, value]);
  });

  it.each([
    { name: 'a bad regex', raw: { 'admissionController.filtering.bypassNamespaces': '^ok$,([' }, code: 'regex-invalid', key: 'admissionController.filtering.bypassNamespaces' },
    { name: 'a lookahead (not RE2)', raw: { labelNamespaces: '^(?!x)' }, code: 'regex-invalid', key: 'labelNamespaces' },
    { name: 'a bad boolean', raw: { generateUniqueAppId: 'yes' }, code: 'bool-invalid', key: 'generateUniqueAppId' },
    { name: 'an empty boolean', raw: { 'admissionController.accessControl.bypassAuth': '' }, code: 'bool-invalid', key: 'admissionController.accessControl.bypassAuth' },
    { name: 'a padded boolean (Go does not trim)', raw: { trustControllers: ' false' }, code: 'bool-invalid', key: 'trustControllers' },
    { name: 'a bad scheduler name', raw: { schedulerName: 'Drover_1' }, code: 'name-invalid', key: 'schedulerName' },
    { name: 'a value that is not text', raw: { bypassAuth: true }, code: 'value-not-text', key: 'bypassAuth' },
    { name: 'the removed default queue', raw: { 'admissionController.filtering.defaultQueue': 'root.default' }, code: 'key-removed', key: 'admissionController.filtering.defaultQueue' },
    { name: 'a misspelt key', raw: { 'admissionController.filtering.bypassnamespaces': 'x' }, code: 'key-unknown', key: 'admissionController.filtering.bypassnamespaces' },
    { name: 'conflicting long and short keys', raw: { 'admissionController.filtering.bypassNamespaces': 'a', bypassNamespaces: 'b' }, code: 'key-conflict', key: 'bypassNamespaces' },
  ])('reports $name', ({ raw, code, key }) => {
    const { problems } = admissionSettings(raw);
    expect(problems.map((p) => ({ code: p.code, key: p.key }))).toEqual([{ code, key }]);
  });

  it.each([
    { name: 'a bad list keeps the whole default', raw: { bypassNamespaces: '^ok$,([' }, check: (s: AdmissionSettings) => texts(s.bypassNamespaces), value: ['^kube-system$'] },
    { name: 'a bad boolean keeps its default', raw: { trustControllers: 'nope' }, check: (s: AdmissionSettings) => s.trustControllers, value: true },
    { name: 'a bad name keeps drover', raw: { schedulerName: '-x' }, check: (s: AdmissionSettings) => s.schedulerName, value: 'drover' },
    { name: 'the YuniKorn key wins a conflict', raw: { 'admissionController.filtering.bypassNamespaces': 'a', bypassNamespaces: 'b' }, check: (s: AdmissionSettings) => texts(s.bypassNamespaces), value: ['a'] },
    { name: 'a non-text long key leaves the short one', raw: { 'admissionController.filtering.generateUniqueAppId': 1, generateUniqueAppId: 'true' }, check: (s: AdmissionSettings) => s.generateUniqueAppId, value: true },
  ])('falls back: $name', ({ raw, check, value }) => {
    expect(check(admissionSettings(raw).settings)).toEqual(value);
  });

  it('ignores the rest of a yunikorn-configs ConfigMap', () => {
    const raw = { 'queues.yaml': 'partitions: []', 'log.level': '0', 'admissionController.webHook.amServiceName': 'svc', 'service.policyGroup': 'queues' };
    expect(admissionSettings(raw).problems).toEqual([]);
  });

  it('takes a custom scheduler name', () => {
    expect(admissionSettings({ schedulerName: 'drover-canary.batch' }).settings.schedulerName).toBe('drover-canary.batch');
  });

  it('does not read inherited members as keys', () => {
    expect(admissionSettings(Object.create({ bypassAuth: 'true' }) as Record<string, unknown>).settings.bypassAuth).toBe(false);
  });
});

describe('matchesAny', () => {
  it.each([
    { list: '^kube-system$', text: 'kube-system', hit: true },
    { list: '^kube-system$', text: 'kube-system-2', hit: false },
    // unanchored, as Go's MatchString
    { list: 'spark', text: 'team-spark-jobs', hit: true },
    { list: '^a$,^b$', text: 'b', hit: true },
    { list: '(?i)^PROD', text: 'prod-eu', hit: true },
    { list: '', text: 'anything', hit: false },
  ])('$list ~ $text: $hit', ({ list, text, hit }) => {
    const compiled = compilePatterns(list);
    expect(compiled.ok && matchesAny(compiled.patterns, text)).toBe(hit);
  });
});

describe('applicationLabels', () => {
  const labelTexts = (s: { applicationLabels: readonly { key: string; guard: { key: string; value: string } | null }[] }) =>
    s.applicationLabels.map((l) => (l.guard === null ? l.key : `${l.key}@${l.guard.key}=${l.guard.value}`));

  it("defaults to the engines' keys", () => {
    expect(labelTexts(DEFAULT_ADMISSION_SETTINGS)).toEqual(['sparkoperator.k8s.io/app-name', 'app@type=flink-native-kubernetes', 'app@type=flink-standalone-kubernetes', 'ray.io/cluster', 'dask.org/cluster-name', 'release@app=dask']);
  });

  it.each([
    { text: 'example.com/job', want: [{ key: 'example.com/job', guard: null }] },
    { text: ' a , b@example.com/kind=batch ,, ', want: [{ key: 'a', guard: null }, { key: 'b', guard: { key: 'example.com/kind', value: 'batch' } }] },
    { text: '', want: [] },
  ])("reads '$text'", ({ text, want }) => {
    expect(parseApplicationLabels(text)).toEqual({ ok: true, labels: want });
    const { settings, problems } = admissionSettings({ applicationLabels: text });
    expect(problems).toEqual([]);
    expect(settings.applicationLabels).toEqual(want);
  });

  it.each([
    { text: 'ok,-bad', entry: '-bad' },
    { text: 'a@type', entry: 'a@type' },
    { text: 'a@type=', entry: 'a@type=' },
    { text: 'a@=x', entry: 'a@=x' },
    { text: 'a@type=b c', entry: 'a@type=b c' },
    { text: 'Bad_Prefix/x', entry: 'Bad_Prefix/x' },
    { text: `${'k'.repeat(64)}`, entry: 'k'.repeat(64) },
  ])("rejects '$text' whole and keeps the default", ({ text, entry }) => {
    const parsed = parseApplicationLabels(text);
    expect(parsed).toMatchObject({ ok: false, entry });
    const { settings, problems } = admissionSettings({ applicationLabels: text });
    expect(problems.map((p) => ({ code: p.code, key: p.key }))).toEqual([{ code: 'label-invalid', key: 'applicationLabels' }]);
    expect(settings.applicationLabels).toEqual(DEFAULT_ADMISSION_SETTINGS.applicationLabels);
  });
});

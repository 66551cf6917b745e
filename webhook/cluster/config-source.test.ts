import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionSettings, DEFAULT_ADMISSION_SETTINGS } from '../admission/index.js';
import { DEFAULT_CONFIG_MAPS } from '../server/config-maps.js';
import type { Pair } from '../server/config-maps.js';
import { reloadSettings, watchConfigMaps } from './config-source.js';
import type { ConfigSource } from './config-source.js';
import { eventually, recordingLogger, startTestCluster } from './test-helpers.js';
import type { TestCluster } from './test-helpers.js';

const BYPASS = 'admissionController.filtering.bypassNamespaces';
const UNIQUE = 'admissionController.filtering.generateUniqueAppId';
const pair = (defaults: Record<string, string> | null, user: Record<string, string> | null): Pair => ({
  defaults: defaults === null ? null : { name: 'drover-defaults', data: defaults },
  user: user === null ? null : { name: 'drover-configs', data: user },
});

describe('reloadSettings', () => {
  it.each([
    { name: 'the user value wins over the default, key by key', pair: pair({ [BYPASS]: '^a$', [UNIQUE]: 'true' }, { [BYPASS]: '^b$' }), overrides: {}, kind: 'applied', bypass: ['^b$'], unique: true },
    { name: 'the command line wins over both', pair: pair({ [BYPASS]: '^a$' }, { [BYPASS]: '^b$' }), overrides: { bypassNamespaces: '^c$', [BYPASS]: '^c$' }, kind: 'applied', bypass: ['^c$'], unique: false },
    { name: 'an unknown key is applied with a warning', pair: pair(null, { [BYPASS]: '^b$', 'admissionController.filtering.bypassNamespace': 'x' }), overrides: {}, kind: 'applied', bypass: ['^b$'], unique: false },
    { name: 'nothing changed', pair: pair(null, { 'log.level': 'debug' }), overrides: {}, kind: 'unchanged', bypass: [], unique: false },
    { name: 'a bad regular expression refuses the whole edit', pair: pair(null, { [BYPASS]: '^b$', [UNIQUE]: 'true', 'admissionController.filtering.processNamespaces': '([' }), overrides: {}, kind: 'refused', bypass: [], unique: false },
    { name: 'a bad boolean refuses it too', pair: pair(null, { [UNIQUE]: 'yes' }), overrides: {}, kind: 'refused', bypass: [], unique: false },
  ])('$name', ({ pair: p, overrides, kind, bypass, unique }) => {
    const r = reloadSettings(DEFAULT_ADMISSION_SETTINGS, p, overrides);
    expect(r.kind).toBe(kind);
    if (r.kind === 'applied') expect({ bypass: r.settings.bypassNamespaces.map((x) => x.text), unique: r.settings.generateUniqueAppId }).toEqual({ bypass, unique });
  });

  it('does not refuse a reload for a bad value that came from the command line', () => {
    const overrides = { bypassAuth: 'maybe' };
    const r = reloadSettings(admissionSettings(overrides).settings, pair(null, { [UNIQUE]: 'true' }), overrides);
    expect(r.kind).toBe('applied');
  });
});

describe('watchConfigMaps', () => {
  let cluster: TestCluster;
  let source: ConfigSource;
  let core: CoreV1Api;

  beforeAll(async () => {
    cluster = await startTestCluster();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'sched' } } });
    source = watchConfigMaps({ kubeConfig: cluster.kubeConfig, namespace: 'sched', names: DEFAULT_CONFIG_MAPS, overrides: {}, initial: DEFAULT_ADMISSION_SETTINGS, logger: recordingLogger().logger });
    await source.started;
  });

  afterAll(async () => {
    await source.stop();
    await cluster.close();
  });

  const bypass = () => source.settings().bypassNamespaces.map((p) => p.text).join(',');
  const create = (name: string, value: string) => core.createNamespacedConfigMap({ namespace: 'sched', body: { metadata: { name }, data: { [BYPASS]: value } } });

  it("takes YuniKorn's ConfigMaps, and drover's over them once they exist", async () => {
    await create('yunikorn-configs', '^yk$');
    await eventually("YuniKorn's user ConfigMap", bypass, (b) => b === '^yk$');
    await create('drover-configs', '^drover$');
    await eventually("drover's user ConfigMap", bypass, (b) => b === '^drover$');
    expect(source.view.get('yunikorn-configs')).toEqual({ [BYPASS]: '^yk$' });
    await core.deleteNamespacedConfigMap({ name: 'drover-configs', namespace: 'sched' });
    await eventually("YuniKorn's again", bypass, (b) => b === '^yk$');
  });

  it('ignores ConfigMaps of other names', async () => {
    await create('unrelated', '^x$');
    await create('drover-defaults', '^defaults$');
    await eventually('the defaults seen', () => source.view.get('drover-defaults'), (d) => d !== null);
    expect(source.view.get('unrelated')).toBeNull();
    expect(bypass()).toBe('^yk$');
  });
});

import { describe, expect, it } from 'vitest';
import type { NamespaceInfo, TriState } from './namespace-filter.js';
import { flag, inScope, readNamespace, shouldLabelNamespace, shouldProcessNamespace } from './namespace-filter.js';
import { admissionSettings } from './settings.js';

const ns = (name: string, enableYuniKorn: TriState = 'unset', generateAppId: TriState = 'unset'): NamespaceInfo => ({ name, enableYuniKorn, generateAppId });
const settings = (raw: Record<string, string>) => admissionSettings(raw).settings;

describe('shouldProcessNamespace', () => {
  it.each([
    { name: 'defaults: any namespace', raw: {}, ns: ns('team-a'), process: true },
    { name: 'defaults: kube-system is bypassed', raw: {}, ns: ns('kube-system'), process: false },
    { name: 'defaults: only kube-system exactly', raw: {}, ns: ns('kube-system-x'), process: true },
    { name: 'processNamespaces lists it', raw: { processNamespaces: '^batch-,^ml$' }, ns: ns('ml'), process: true },
    { name: 'processNamespaces does not list it', raw: { processNamespaces: '^batch-,^ml$' }, ns: ns('web'), process: false },
    { name: 'bypass beats process', raw: { processNamespaces: '^batch-', bypassNamespaces: '-test$' }, ns: ns('batch-test'), process: false },
    { name: 'an empty bypass list processes kube-system', raw: { bypassNamespaces: '' }, ns: ns('kube-system'), process: true },
    { name: 'annotation true beats bypass', raw: {}, ns: ns('kube-system', 'true'), process: true },
    { name: 'annotation true beats processNamespaces', raw: { processNamespaces: '^batch-' }, ns: ns('web', 'true'), process: true },
    { name: 'annotation false beats the lists', raw: {}, ns: ns('team-a', 'false'), process: false },
  ])('$name', ({ raw, ns: namespace, process }) => {
    expect(shouldProcessNamespace(namespace, settings(raw))).toBe(process);
  });
});

describe('shouldLabelNamespace', () => {
  it.each([
    { name: 'defaults: every namespace', raw: {}, ns: ns('team-a'), label: true },
    { name: 'defaults: even kube-system (processing is decided apart)', raw: {}, ns: ns('kube-system'), label: true },
    { name: 'labelNamespaces lists it', raw: { labelNamespaces: '^spark' }, ns: ns('spark-jobs'), label: true },
    { name: 'labelNamespaces does not list it', raw: { labelNamespaces: '^spark' }, ns: ns('web'), label: false },
    { name: 'noLabel beats label', raw: { labelNamespaces: '^spark', noLabelNamespaces: 'legacy' }, ns: ns('spark-legacy'), label: false },
    { name: 'annotation true beats noLabel', raw: { noLabelNamespaces: '.*' }, ns: ns('web', 'unset', 'true'), label: true },
    { name: 'annotation false beats the default', raw: {}, ns: ns('web', 'unset', 'false'), label: false },
  ])('$name', ({ raw, ns: namespace, label }) => {
    expect(shouldLabelNamespace(namespace, settings(raw))).toBe(label);
  });
});

describe('flag', () => {
  it.each([
    { name: 'absent', annotations: {}, value: 'unset' },
    { name: 'no annotations', annotations: undefined, value: 'unset' },
    { name: 'null annotations', annotations: null, value: 'unset' },
    { name: '"true"', annotations: { k: 'true' }, value: 'true' },
    // YuniKorn compares with "true" exactly: everything else is false, not unset
    { name: '"True"', annotations: { k: 'True' }, value: 'false' },
    { name: '"false"', annotations: { k: 'false' }, value: 'false' },
    { name: 'empty', annotations: { k: '' }, value: 'false' },
    { name: 'a non-string', annotations: { k: true }, value: 'false' },
  ])('$name -> $value', ({ annotations, value }) => {
    expect(flag(annotations, 'k')).toBe(value);
  });
});

describe('readNamespace', () => {
  it.each([
    { name: 'the given namespace', input: { name: 'team-a' }, pod: 'other', info: ns('team-a') },
    { name: 'its annotations', input: { name: 'team-a', annotations: { 'yunikorn.apache.org/namespace.enableYuniKorn': 'false', 'yunikorn.apache.org/namespace.generateAppId': 'true' } }, pod: '', info: ns('team-a', 'false', 'true') },
    { name: "unknown: the pod's namespace", input: null, pod: 'team-b', info: ns('team-b') },
    { name: 'no name at all: default', input: null, pod: '', info: ns('default') },
    { name: 'an empty name: default', input: { name: '' }, pod: 'x', info: ns('default') },
  ])('$name', ({ input, pod, info }) => {
    expect(readNamespace(input, pod)).toEqual({ ok: true, value: info });
  });

  it.each([
    { name: 'upper case', input: { name: 'Team' } },
    { name: 'too long', input: { name: 'a'.repeat(64) } },
    { name: 'huge', input: { name: 'a'.repeat(1_000_000) } },
    { name: 'not a string', input: { name: 42 as unknown as string } },
  ])('refuses a name that is $name', ({ input }) => {
    expect(readNamespace(input, '').ok).toBe(false);
  });
});

describe('inScope', () => {
  const unlabelled = settings({ noLabelNamespaces: '^plain$' });
  it.each([
    { name: 'labelled namespace', ns: ns('team-a'), labels: {}, yes: true },
    { name: 'unlabelled, no id label', ns: ns('plain'), labels: {}, yes: false },
    { name: 'unlabelled, canonical id label', ns: ns('plain'), labels: { 'yunikorn.apache.org/app-id': 'a' }, yes: true },
    { name: 'unlabelled, legacy id label', ns: ns('plain'), labels: { applicationId: 'a' }, yes: true },
    { name: 'unlabelled, spark label', ns: ns('plain'), labels: { 'spark-app-selector': 'spark-1' }, yes: true },
    { name: 'unlabelled, empty id label', ns: ns('plain'), labels: { applicationId: '' }, yes: false },
    { name: 'not processed, even with an id', ns: ns('kube-system'), labels: { applicationId: 'a' }, yes: false },
  ])('$name: $yes', ({ ns: namespace, labels, yes }) => {
    expect(inScope(namespace, new Map(Object.entries(labels)), unlabelled)).toBe(yes);
  });
});

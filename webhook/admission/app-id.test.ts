import { describe, expect, it } from 'vitest';
import { findApplicationId, findQueue, generateApplicationId, planLabels } from './app-id.js';

const map = (o: Record<string, string> = {}): ReadonlyMap<string, string> => new Map(Object.entries(o));

describe('findApplicationId', () => {
  // precedence: canonical label > annotation > legacy label > spark-app-selector
  it.each([
    { name: 'none', labels: {}, annotations: {}, found: null },
    { name: 'canonical label', labels: { 'yunikorn.apache.org/app-id': 'c' }, annotations: {}, found: { id: 'c', source: 'canonical-label' } },
    { name: 'annotation', labels: {}, annotations: { 'yunikorn.apache.org/app-id': 'n' }, found: { id: 'n', source: 'annotation' } },
    { name: 'legacy label', labels: { applicationId: 'l' }, annotations: {}, found: { id: 'l', source: 'legacy-label' } },
    { name: 'spark label', labels: { 'spark-app-selector': 's' }, annotations: {}, found: { id: 's', source: 'spark-label' } },
    { name: 'canonical beats annotation', labels: { 'yunikorn.apache.org/app-id': 'c' }, annotations: { 'yunikorn.apache.org/app-id': 'n' }, found: { id: 'c', source: 'canonical-label' } },
    { name: 'annotation beats legacy', labels: { applicationId: 'l' }, annotations: { 'yunikorn.apache.org/app-id': 'n' }, found: { id: 'n', source: 'annotation' } },
    { name: 'legacy beats spark', labels: { applicationId: 'l', 'spark-app-selector': 's' }, annotations: {}, found: { id: 'l', source: 'legacy-label' } },
    { name: 'empty values do not count', labels: { 'yunikorn.apache.org/app-id': '', applicationId: '' }, annotations: { 'yunikorn.apache.org/app-id': '' }, found: null },
    { name: 'an empty canonical falls through to spark', labels: { 'yunikorn.apache.org/app-id': '', 'spark-app-selector': 's' }, annotations: {}, found: { id: 's', source: 'spark-label' } },
    { name: 'the queue annotation is no id', labels: {}, annotations: { 'yunikorn.apache.org/queue': 'root.a' }, found: null },
  ])('$name', ({ labels, annotations, found }) => {
    expect(findApplicationId(map(labels), map(annotations))).toEqual(found);
  });
});

describe('findQueue', () => {
  // precedence: canonical label > annotation > legacy label
  it.each([
    { name: 'none', labels: {}, annotations: {}, queue: null },
    { name: 'canonical label', labels: { 'yunikorn.apache.org/queue': 'root.c' }, annotations: { 'yunikorn.apache.org/queue': 'root.n' }, queue: 'root.c' },
    { name: 'annotation beats legacy', labels: { queue: 'root.l' }, annotations: { 'yunikorn.apache.org/queue': 'root.n' }, queue: 'root.n' },
    { name: 'legacy label', labels: { queue: 'root.l' }, annotations: {}, queue: 'root.l' },
    { name: 'empty canonical falls through', labels: { 'yunikorn.apache.org/queue': '', queue: 'root.l' }, annotations: {}, queue: 'root.l' },
  ])('$name', ({ labels, annotations, queue }) => {
    expect(findQueue(map(labels), map(annotations))).toBe(queue);
  });
});

describe('generateApplicationId', () => {
  const ns46 = 'n'.repeat(46);
  const ns53 = 'n'.repeat(53);
  it.each([
    { name: 'shared per namespace', ns: 'team-a', unique: false, uid: 'u-1', id: 'yunikorn-team-a-autogen' },
    { name: 'unique with uid', ns: 'team-a', unique: true, uid: '8f0c', id: 'team-a-8f0c' },
    { name: 'unique before the uid exists', ns: 'team-a', unique: true, uid: '', id: 'team-a-uniqueautogen' },
    // 'yunikorn-' (9) + 46 + '-autogen' (8) = 63: fits exactly
    { name: 'a 46-character namespace fits', ns: ns46, unique: false, uid: '', id: `yunikorn-${ns46}-autogen` },
    // 9 + 53 = 62, then '-' at 63: YuniKorn would end the label with '-', which the API server rejects
    { name: 'cut to 63 without a trailing dash', ns: ns53, unique: false, uid: '', id: `yunikorn-${ns53}` },
    // the namespace part of a unique id is at most 26 characters; 26 + 1 + 36 = 63
    { name: 'unique: namespace cut to 26', ns: 'x'.repeat(40), unique: true, uid: '0'.repeat(36), id: `${'x'.repeat(26)}-${'0'.repeat(36)}` },
  ])('$name', ({ ns, unique, uid, id }) => {
    const generated = generateApplicationId(ns, unique, uid);
    expect(generated).toBe(id);
    expect(generated.length).toBeLessThanOrEqual(63);
  });
});

describe('planLabels', () => {
  it.each([
    {
      name: 'no id anywhere: generated under both labels',
      labels: { other: 'x' }, annotations: {},
      plan: { 'yunikorn.apache.org/app-id': 'yunikorn-team-a-autogen', applicationId: 'yunikorn-team-a-autogen' }, generated: 'yunikorn-team-a-autogen',
    },
    { name: 'canonical id copied to legacy', labels: { 'yunikorn.apache.org/app-id': 'a' }, annotations: {}, plan: { applicationId: 'a' }, generated: null },
    { name: 'canonical id replaces a different legacy id', labels: { 'yunikorn.apache.org/app-id': 'a', applicationId: 'b' }, annotations: {}, plan: { applicationId: 'a' }, generated: null },
    { name: 'legacy id alone: nothing written', labels: { applicationId: 'b' }, annotations: {}, plan: {}, generated: null },
    { name: 'spark id alone: nothing written', labels: { 'spark-app-selector': 'spark-1' }, annotations: {}, plan: {}, generated: null },
    { name: 'annotation id alone: nothing written', labels: {}, annotations: { 'yunikorn.apache.org/app-id': 'n' }, plan: {}, generated: null },
    { name: 'canonical queue copied to legacy', labels: { applicationId: 'b', 'yunikorn.apache.org/queue': 'root.q' }, annotations: {}, plan: { queue: 'root.q' }, generated: null },
    { name: 'legacy queue alone: nothing written', labels: { applicationId: 'b', queue: 'root.q' }, annotations: {}, plan: {}, generated: null },
  ])('$name', ({ labels, annotations, plan, generated }) => {
    const result = planLabels(map(labels), map(annotations), 'team-a', false, '');
    expect(Object.fromEntries(result.labels)).toEqual(plan);
    expect(result.generated).toBe(generated);
  });
});

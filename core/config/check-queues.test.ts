import { describe, expect, it } from 'vitest';
import { errorsOf } from './test-helpers.js';

/** A partition whose root holds `body` (indented as root's children). */
const tree = (body: string) => `partitions:\n  - queues:\n      - name: root\n        queues:\n${body}`;

describe('queue resources and maxapplications', () => {
  it.each([
    {
      name: 'guaranteed within max passes',
      yaml: tree('          - {name: a, resources: {guaranteed: {vcore: 1}, max: {vcore: 2}}}\n'),
      errors: [],
    },
    {
      // guaranteed 2 cores (2000m) > max 1 core (1000m)
      name: 'guaranteed above max',
      yaml: tree('          - {name: a, resources: {guaranteed: {vcore: 2}, max: {vcore: 1}}}\n'),
      errors: [{ code: 'guaranteed-above-max', path: 'partitions[0].queues[0].queues[0].resources.guaranteed' }],
    },
    {
      name: 'a guarantee on a resource the max leaves unlimited',
      yaml: tree('          - {name: a, resources: {guaranteed: {memory: 10Gi}, max: {vcore: 1}}}\n'),
      errors: [],
    },
    {
      // a.max memory 100 bounds b (no max) and so c: c.max 150 > 100
      name: 'child max above a grandparent max',
      yaml: tree('          - name: a\n            resources: {max: {memory: 100}}\n            queues:\n              - name: b\n                queues:\n                  - {name: c, resources: {max: {memory: 150}}}\n'),
      errors: [{ code: 'max-above-parent-max', path: 'partitions[0].queues[0].queues[0].queues[0].queues[0].resources.max.memory' }],
    },
    {
      // children guaranteed 60 + 50 = 110 > parent guaranteed 100
      name: 'children guaranteed above the parent guarantee',
      yaml: tree('          - name: a\n            resources: {guaranteed: {memory: 100}}\n            queues:\n              - {name: b, resources: {guaranteed: {memory: 60}}}\n              - {name: c, resources: {guaranteed: {memory: 50}}}\n'),
      errors: [{ code: 'children-guaranteed-above-guaranteed', path: 'partitions[0].queues[0].queues[0].resources.guaranteed' }],
    },
    {
      // b has no guarantee and passes c's 150 up to a, which guarantees 100
      name: 'a grandchild guarantee through a level without one',
      yaml: tree('          - name: a\n            resources: {guaranteed: {memory: 100}}\n            queues:\n              - name: b\n                queues:\n                  - {name: c, resources: {guaranteed: {memory: 150}}}\n'),
      errors: [{ code: 'children-guaranteed-above-guaranteed', path: 'partitions[0].queues[0].queues[0].resources.guaranteed' }],
    },
    {
      // children guaranteed 50 + 40 = 90 > parent max 80
      name: 'children guaranteed above the parent max',
      yaml: tree('          - name: a\n            resources: {max: {memory: 80}}\n            queues:\n              - {name: b, resources: {guaranteed: {memory: 50}}}\n              - {name: c, resources: {guaranteed: {memory: 40}}}\n'),
      errors: [{ code: 'children-guaranteed-above-max', path: 'partitions[0].queues[0].queues[0].queues' }],
    },
    {
      name: 'child maxapplications above the parent',
      yaml: tree('          - name: a\n            maxapplications: 2\n            queues:\n              - {name: b, maxapplications: 3}\n'),
      errors: [{ code: 'maxapps-above-parent', path: 'partitions[0].queues[0].queues[0].queues[0].maxapplications' }],
    },
    {
      name: 'an unlimited child under a limited parent',
      yaml: tree('          - name: a\n            maxapplications: 2\n            queues:\n              - {name: b}\n'),
      errors: [{ code: 'maxapps-unset-under-limited-parent', path: 'partitions[0].queues[0].queues[0].queues[0].name' }],
    },
    {
      name: 'equal maxapplications pass',
      yaml: tree('          - name: a\n            maxapplications: 2\n            queues:\n              - {name: b, maxapplications: 2}\n'),
      errors: [],
    },
    {
      name: 'sibling names that differ only in case',
      yaml: tree('          - {name: Team}\n          - {name: team}\n'),
      errors: [{ code: 'queue-name-duplicate', path: 'partitions[0].queues[0].queues[1].name' }],
    },
    {
      name: 'the same name under different parents',
      yaml: tree('          - {name: a, queues: [{name: x}]}\n          - {name: b, queues: [{name: x}]}\n'),
      errors: [],
    },
    {
      name: 'every character YuniKorn allows in a name',
      yaml: tree('          - {name: "Az09_-#@/:"}\n'),
      errors: [],
    },
  ])('$name', ({ yaml, errors }) => {
    expect(errorsOf(yaml)).toEqual(errors);
  });
});

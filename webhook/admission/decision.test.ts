import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PodDecision } from './decision.js';
import { admissionOutcome, DENY_CODES, SKIP_CODES } from './decision.js';
import { SETTINGS_PROBLEM_CODES } from './settings.js';

describe('admissionOutcome', () => {
  const op = { op: 'add', path: '/spec/schedulerName', value: 'drover' } as const;
  it.each<{ name: string; decision: PodDecision; outcome: unknown }>([
    { name: 'skip', decision: { kind: 'skip', code: 'own-pod', reason: 'r' }, outcome: { allowed: true, message: null, patch: [] } },
    { name: 'deny', decision: { kind: 'deny', code: 'user-info-changed', message: 'no' }, outcome: { allowed: false, message: 'no', patch: [] } },
    {
      name: 'mutate',
      decision: { kind: 'mutate', schedulerName: 'drover', replacedSchedulerName: null, labelled: true, applicationId: 'a', applicationIdSource: 'legacy-label', queue: null, labels: {}, annotations: {}, patch: [op] },
      outcome: { allowed: true, message: null, patch: [op] },
    },
  ])('$name', ({ decision, outcome }) => {
    expect(admissionOutcome(decision)).toEqual(outcome);
  });
});

describe('docs/admission.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'admission.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
  it.each([...Object.keys(SKIP_CODES), ...Object.keys(DENY_CODES), ...Object.keys(SETTINGS_PROBLEM_CODES)])('documents %s', (code) => {
    expect(documented).toContain(code);
  });
});

import { describe, expect, it } from 'vitest';
import { misspeltProperty, parseGoDuration, PROPERTY_READERS } from './properties.js';

describe('parseGoDuration', () => {
  it.each([
    { text: '30s', ms: 30_000 },
    { text: '15m', ms: 900_000 },
    { text: '1h30m', ms: 5_400_000 },
    { text: '1.5s', ms: 1500 },
    { text: '300ms', ms: 300 },
    { text: '0', ms: 0 },
    { text: '-2s', ms: -2000 },
  ])('$text = $ms ms', ({ text, ms }) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'soon', '5 s', 's', '1d'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('property readers', () => {
  it.each([
    { key: 'application.sort.policy', text: 'fair', ok: true, value: 'fair' },
    { key: 'application.sort.policy', text: 'FAIR', ok: false, value: 'fifo' },
    { key: 'application.sort.policy', text: 'stateaware', ok: false, value: 'fifo' },
    { key: 'application.sort.priority', text: 'disabled', ok: true, value: 'disabled' },
    { key: 'priority.policy', text: 'Fence', ok: true, value: 'fence' },
    { key: 'priority.offset', text: '-100', ok: true, value: -100 },
    { key: 'priority.offset', text: '3000000000', ok: false, value: 0 },
    { key: 'preemption.policy', text: 'disabled', ok: true, value: 'disabled' },
    { key: 'preemption.delay', text: '0s', ok: false, value: 30_000 },
    { key: 'quota.preemption.delay', text: '2s', ok: true, value: 2000 },
  ] as const)('$key: $text', ({ key, text, ok, value }) => {
    expect(PROPERTY_READERS[key](text)).toMatchObject({ ok, value });
  });

  it('recognises misspellings of known properties only', () => {
    expect(misspeltProperty('application.sort.polcy')).toBe('application.sort.policy');
    expect(misspeltProperty('Priority.Offset')).toBe('priority.offset');
    expect(misspeltProperty('sample')).toBeUndefined();
    expect(misspeltProperty('priority.offset')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { matches, matchesFields, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('label selectors', () => {
  const labels = { app: 'spark', 'spark-role': 'driver', 'yunikorn.apache.org/app-id': 'a1' };
  it.each([
    { selector: '', match: true },
    { selector: 'app=spark', match: true },
    { selector: 'app==spark', match: true },
    { selector: 'app!=spark', match: false },
    { selector: 'app=flink', match: false },
    { selector: 'spark-role in (driver, executor)', match: true },
    { selector: 'spark-role notin (driver)', match: false },
    { selector: 'yunikorn.apache.org/app-id', match: true },
    { selector: '!yunikorn.apache.org/app-id', match: false },
    { selector: '!missing', match: true },
    { selector: 'missing!=x', match: true },
    { selector: 'app=spark,spark-role=executor', match: false },
  ])('"$selector" -> $match', ({ selector, match }) => {
    const r = parseLabelSelector(selector);
    if (!r.ok) expect.fail(r.message);
    expect(matches(r.selector, labels)).toBe(match);
  });

  it.each(['app=(x', '=x', 'a b c', 'bad key!=x'])('rejects %j', (selector) => {
    expect(parseLabelSelector(selector).ok).toBe(false);
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1', schedulerName: 'drover' }, status: { phase: 'Running' } };
  it.each([
    { selector: 'spec.nodeName=n1', match: true },
    { selector: 'spec.nodeName=', match: false },
    { selector: 'spec.schedulerName=drover,status.phase!=Succeeded', match: true },
    { selector: 'metadata.name=p,metadata.namespace=other', match: false },
  ])('"$selector" -> $match', ({ selector, match }) => {
    const r = parseFieldSelector(selector, 'pods');
    if (!r.ok) expect.fail(r.message);
    expect(matchesFields(r.selector, pod)).toBe(match);
  });

  it('refuses a field the resource does not offer', () => {
    expect(parseFieldSelector('spec.nodeName=n1', 'configmaps')).toMatchObject({ ok: false, message: 'field label not supported: spec.nodeName' });
  });
});

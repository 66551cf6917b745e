import { describe, expect, it } from 'vitest';
import { mergePatch, strategicMergePatch } from './patch.js';

describe('merge patch (RFC 7386)', () => {
  it.each([
    { name: 'adds and replaces', target: { a: 1, b: { c: 2 } }, patch: { a: 3, b: { d: 4 } }, result: { a: 3, b: { c: 2, d: 4 } } },
    { name: 'null deletes', target: { a: 1, b: 2 }, patch: { b: null }, result: { a: 1 } },
    { name: 'lists are replaced', target: { l: [1, 2] }, patch: { l: [3] }, result: { l: [3] } },
    { name: 'a scalar patch replaces', target: { a: 1 }, patch: 'x', result: 'x' },
  ])('$name', ({ target, patch, result }) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });
});

describe('strategic merge patch', () => {
  it('merges conditions by type', () => {
    const pod = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'False' }] } };
    const patch = { status: { conditions: [{ type: 'PodScheduled', status: 'True', reason: 'Bound' }] } };
    expect(strategicMergePatch(pod, patch)).toEqual({
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True', reason: 'Bound' }] },
    });
  });

  it('deletes list items with $patch: delete and merges maps as a merge patch does', () => {
    const node = { metadata: { labels: { a: '1', b: '2' } }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'j', effect: 'NoExecute' }] } };
    const patch = { metadata: { labels: { b: null, c: '3' } }, spec: { taints: [{ key: 'k', effect: 'NoSchedule', $patch: 'delete' }] } };
    expect(strategicMergePatch(node, patch)).toEqual({ metadata: { labels: { a: '1', c: '3' } }, spec: { taints: [{ key: 'j', effect: 'NoExecute' }] } });
  });

  it('replaces lists it does not know a merge key for', () => {
    expect(strategicMergePatch({ spec: { args: ['a'] } }, { spec: { args: ['b'] } })).toEqual({ spec: { args: ['b'] } });
  });
});

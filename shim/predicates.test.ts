import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hostPorts, podFitsNode } from './predicates.js';

const node: V1Node = {
  metadata: { name: 'gpu-1', labels: { 'kubernetes.io/hostname': 'gpu-1', pool: 'gpu', zone: 'a', cores: '64' } },
  spec: { taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }, { key: 'note', effect: 'PreferNoSchedule' }] },
};
const tolerant = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] };
const pod = (spec: Record<string, unknown>): V1Pod => ({ spec: { containers: [{ name: 'c' }], ...tolerant, ...spec } });

describe('podFitsNode', () => {
  it.each([
    { name: 'a tolerant pod', spec: {}, ok: true },
    { name: 'no toleration for a NoSchedule taint', spec: { tolerations: [] }, ok: false },
    { name: 'a toleration by key and value', spec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true' }] }, ok: true },
    { name: 'a toleration with the wrong value', spec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'false' }] }, ok: false },
    { name: 'tolerate everything', spec: { tolerations: [{ operator: 'Exists' }] }, ok: true },
    { name: 'its own node name', spec: { nodeName: 'gpu-1' }, ok: true },
    { name: 'another node name', spec: { nodeName: 'cpu-1' }, ok: false },
    { name: 'a matching node selector', spec: { nodeSelector: { pool: 'gpu' } }, ok: true },
    { name: 'a node selector that does not match', spec: { nodeSelector: { pool: 'cpu' } }, ok: false },
    { name: 'affinity In', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } } }, ok: true },
    { name: 'affinity NotIn', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } } }, ok: false },
    // terms are ORed: the second one holds
    { name: 'affinity, one of two terms', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['32'] }] }] } } } }, ok: true },
    { name: 'affinity on the node name field', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-2'] }] }] } } } }, ok: false },
  ])('$name -> $ok', ({ spec, ok }) => {
    expect(podFitsNode(pod(spec), node).ok).toBe(ok);
  });

  it('refuses a host port already taken on the node', () => {
    const p = pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    expect(hostPorts(p)).toEqual(['TCP/8080']);
    expect(podFitsNode(p, node, new Set(['TCP/8080']))).toMatchObject({ ok: false });
    expect(podFitsNode(p, node, new Set(['UDP/8080'])).ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { apiGroupList, apiResourceList, findResource, storeKey } from './resources.js';

describe('discovery', () => {
  it('lists the core resources with their subresources', () => {
    const list = apiResourceList('', 'v1') as { groupVersion: string; resources: { name: string; namespaced: boolean; kind: string }[] };
    expect(list.groupVersion).toBe('v1');
    expect(list.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/binding', 'pods/status', 'pods/eviction', 'nodes', 'namespaces', 'configmaps', 'secrets', 'events']));
    expect(list.resources.find((r) => r.name === 'nodes')?.namespaced).toBe(false);
    expect(list.resources.find((r) => r.name === 'pods/binding')?.kind).toBe('Binding');
  });

  it('lists the groups with their preferred version', () => {
    const groups = apiGroupList() as { groups: { name: string; preferredVersion: { groupVersion: string } }[] };
    expect(groups.groups.map((g) => g.name)).toEqual(['admissionregistration.k8s.io', 'apps', 'coordination.k8s.io', 'events.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io']);
    expect(groups.groups.find((g) => g.name === 'scheduling.k8s.io')?.preferredVersion.groupVersion).toBe('scheduling.k8s.io/v1');
  });

  it('knows nothing of unknown groups', () => {
    expect(apiResourceList('batch', 'v1')).toBeUndefined();
    expect(findResource('', 'v1', 'deployments')).toBeUndefined();
  });

  it('keeps core and events.k8s.io events in one store', () => {
    const core = findResource('', 'v1', 'events');
    const group = findResource('events.k8s.io', 'v1', 'events');
    if (core === undefined || group === undefined) expect.fail('missing');
    expect(storeKey(core)).toBe(storeKey(group));
  });
});

/**
 * The resources the embedded API server serves, and the discovery documents that describe them
 * (`/api`, `/api/v1`, `/apis`, `/apis/<group>/<version>`), in the shapes client libraries and kubectl
 * read: APIVersions, APIGroupList, APIResourceList.
 */

export interface ResourceType {
  /** Plural, lower-case: the path segment (`pods`). */
  readonly name: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly subresources?: readonly ('status' | 'binding' | 'eviction')[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

export const RESOURCES: readonly ResourceType[] = [
  { name: 'pods', kind: 'Pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], subresources: ['status', 'binding', 'eviction'] },
  { name: 'nodes', kind: 'Node', group: '', version: 'v1', namespaced: false, shortNames: ['no'], subresources: ['status'] },
  { name: 'namespaces', kind: 'Namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], subresources: ['status'] },
  { name: 'configmaps', kind: 'ConfigMap', group: '', version: 'v1', namespaced: true, shortNames: ['cm'] },
  { name: 'secrets', kind: 'Secret', group: '', version: 'v1', namespaced: true },
  { name: 'events', kind: 'Event', group: '', version: 'v1', namespaced: true, shortNames: ['ev'] },
  { name: 'events', kind: 'Event', group: 'events.k8s.io', version: 'v1', namespaced: true, shortNames: ['ev'] },
  { name: 'priorityclasses', kind: 'PriorityClass', group: 'scheduling.k8s.io', version: 'v1', namespaced: false, shortNames: ['pc'] },
  { name: 'leases', kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true },
  { name: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', namespaced: false },
  { name: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', namespaced: false },
  // Kept, not acted on (no controllers run here): so that a chart's objects can be applied as a whole.
  { name: 'services', kind: 'Service', group: '', version: 'v1', namespaced: true, shortNames: ['svc'], subresources: ['status'] },
  { name: 'serviceaccounts', kind: 'ServiceAccount', group: '', version: 'v1', namespaced: true, shortNames: ['sa'] },
  { name: 'deployments', kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], subresources: ['status'] },
  { name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', namespaced: true, shortNames: ['pdb'], subresources: ['status'] },
  { name: 'roles', kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true },
  { name: 'rolebindings', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true },
  { name: 'clusterroles', kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false },
  { name: 'clusterrolebindings', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false },
];

export function apiVersionOf(r: ResourceType): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** The resource served at `group/version/name`, or undefined. */
export function findResource(group: string, version: string, name: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

/** The store key of a resource: events of both groups are one resource, as in Kubernetes. */
export function storeKey(r: ResourceType): string {
  return r.name === 'events' ? 'events' : `${r.group}/${r.name}`;
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): unknown {
  const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => r.group))].sort();
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const versions = [...new Set(RESOURCES.filter((r) => r.group === name).map((r) => r.version))];
      const v = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: v, preferredVersion: v[0] };
    }),
  };
}

export function apiResourceList(group: string, version: string): object | undefined {
  const list = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (list.length === 0) return undefined;
  const resources = list.flatMap((r) => [
    {
      name: r.name,
      singularName: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...VERBS],
      ...(r.shortNames === undefined ? {} : { shortNames: [...r.shortNames] }),
    },
    ...(r.subresources ?? []).map((sub) => ({
      name: `${r.name}/${sub}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : r.kind,
      verbs: sub === 'status' ? ['get', 'patch', 'update'] : ['create'],
      ...(sub === 'eviction' ? { group: 'policy', version: 'v1' } : {}),
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}

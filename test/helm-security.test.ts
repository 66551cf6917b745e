/**
 * The checks of helm-chart.test.ts can fail: each security problem and schema problem they look for
 * is found on an object made to have it, and an object with every property passes.
 */
import { describe, expect, it } from 'vitest';
import type { Obj } from './helm/fixtures.js';
import { securityProblems } from './helm/security.js';
import type { K8sObject } from './helm/security.js';
import { kubernetesProblems } from './helm/validate.js';

describe('the security checks can fail', () => {
  const deployment = (container: Obj, pod: Obj = {}): K8sObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' },
    spec: { template: { spec: { automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } }, ...pod, containers: [{ name: 'c', image: 'i', securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...container } }] } } },
  });
  const role = (kind: string, rule: Obj): K8sObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'r' }, rules: [rule] });

  it('passes a container that has it all', () => {
    expect(securityProblems([deployment({})])).toEqual([]);
  });

  it.each([
    { name: 'a wildcard verb', objects: [role('Role', { apiGroups: [''], resources: ['pods'], verbs: ['*'] })], code: 'rbac-wildcard' },
    { name: 'a wildcard resource', objects: [role('ClusterRole', { apiGroups: [''], resources: ['*'], verbs: ['get'] })], code: 'rbac-wildcard' },
    { name: 'a wildcard group', objects: [role('Role', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] })], code: 'rbac-wildcard' },
    { name: 'secrets in a ClusterRole', objects: [role('ClusterRole', { apiGroups: [''], resources: ['secrets'], verbs: ['get'] })], code: 'rbac-cluster-secrets' },
    { name: 'escalate', objects: [role('ClusterRole', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] })], code: 'rbac-dangerous-verb' },
    { name: 'cluster-admin', objects: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }], code: 'rbac-builtin-admin' },
    { name: 'a container that may run as root', objects: [deployment({}, { securityContext: { runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } } })], code: 'container-may-run-as-root' },
    { name: 'a container as uid 0', objects: [deployment({ runAsUser: 0 })], code: 'container-run-as-user' },
    { name: 'a user given by name only (no uid)', objects: [deployment({}, { securityContext: { runAsNonRoot: true, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } } })], code: 'container-run-as-user' },
    { name: 'a writable root filesystem', objects: [deployment({ readOnlyRootFilesystem: false })], code: 'container-writable-root' },
    { name: 'privilege escalation left on', objects: [deployment({ allowPrivilegeEscalation: true })], code: 'container-privilege-escalation' },
    { name: 'a privileged container', objects: [deployment({ privileged: true })], code: 'container-privileged' },
    { name: 'capabilities kept', objects: [deployment({ capabilities: { drop: ['NET_RAW'] } })], code: 'container-capabilities-kept' },
    { name: 'a capability added', objects: [deployment({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } })], code: 'container-capabilities-added' },
    { name: 'seccomp unconfined', objects: [deployment({ seccompProfile: { type: 'Unconfined' } })], code: 'container-seccomp' },
    { name: 'the host network', objects: [deployment({}, { hostNetwork: true })], code: 'pod-host-namespace' },
    { name: 'a hostPath volume', objects: [deployment({}, { volumes: [{ name: 'h', hostPath: { path: '/' } }] })], code: 'pod-host-path' },
    { name: 'a token nobody needs', objects: [deployment({}, { automountServiceAccountToken: true, serviceAccountName: 'idle' })], code: 'pod-token-unneeded' },
    { name: 'a ServiceAccount mounting its token everywhere', objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's', namespace: 'ns' } }], code: 'serviceaccount-automount' },
    { name: 'a Secret in the chart', objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { k: 'dg==' } }], code: 'secret-in-chart' },
  ])('finds $name', ({ objects, code }) => {
    expect(securityProblems(objects).map((p) => p.code)).toContain(code);
  });

  it('finds an unknown field and a wrong type', () => {
    const d = deployment({ readOnlyRootFileSystem: true });
    expect(kubernetesProblems(d)).toContain('unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"');
    expect(kubernetesProblems({ ...d, spec: { replicas: 'two' } }).join('\n')).toContain('replicas must be integer');
  });
});

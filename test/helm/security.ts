/**
 * The security properties every rendered object must have, as problems with a stable code and a path
 * (an empty list means the objects pass):
 * - RBAC: no `*` in verbs, resources, apiGroups or resourceNames; no escalate, bind or impersonate; no
 *   ClusterRole that grants Secrets (Secrets only in drover's own namespace); no binding to
 *   cluster-admin, admin or edit; no aggregated roles.
 * - Pods: every container (init and ephemeral too) runs as a numeric non-root user and group, with a
 *   read-only root filesystem, no privilege escalation, not privileged, ALL capabilities dropped and
 *   none added, seccomp RuntimeDefault (the pod's settings count where the container has none); no
 *   host namespaces or hostPath volumes.
 * - Tokens: ServiceAccounts do not mount their token; a pod that mounts one uses a ServiceAccount
 *   that some rendered binding grants something (otherwise the token is not needed).
 * - No Secret is shipped in the chart.
 */

export interface K8sObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

export interface SecurityProblem {
  readonly code: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  /** Where in it, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly path: string;
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

const DANGEROUS_VERBS = ['escalate', 'bind', 'impersonate'];
const BUILTIN_ADMIN_ROLES = ['cluster-admin', 'admin', 'edit'];

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function securityProblems(objects: readonly K8sObject[]): SecurityProblem[] {
  const problems: SecurityProblem[] = [];
  const boundAccounts = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    for (const s of list(o.subjects)) {
      const subject = obj(s);
      if (subject.kind === 'ServiceAccount') boundAccounts.add(`${String(subject.namespace)}/${String(subject.name)}`);
    }
  }
  for (const o of objects) {
    const at = `${o.kind}/${o.metadata.name}`;
    const add = (code: string, path: string) => problems.push({ code, object: at, path });
    switch (o.kind) {
      case 'Role':
      case 'ClusterRole':
        if (o.aggregationRule !== undefined) add('rbac-aggregation', 'aggregationRule');
        list(o.rules).forEach((r, i) => checkRule(o.kind === 'ClusterRole', obj(r), `rules[${i}]`, add));
        break;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        if (BUILTIN_ADMIN_ROLES.includes(String(obj(o.roleRef).name))) add('rbac-builtin-admin', 'roleRef.name');
        break;
      case 'ServiceAccount':
        if (o.automountServiceAccountToken !== false) add('serviceaccount-automount', 'automountServiceAccountToken');
        break;
      case 'Secret':
        add('secret-in-chart', 'data');
        break;
    }
    const specPath = POD_SPEC_PATHS[o.kind];
    if (specPath !== undefined) {
      let spec: unknown = o;
      for (const k of specPath) spec = obj(spec)[k];
      checkPod(obj(spec), specPath.join('.'), o.metadata.namespace ?? '', boundAccounts, add);
    }
  }
  return problems;
}

function checkRule(cluster: boolean, rule: Obj, path: string, add: (code: string, path: string) => void): void {
  for (const field of ['verbs', 'resources', 'apiGroups', 'resourceNames', 'nonResourceURLs']) {
    if (strings(rule[field]).some((v) => v.includes('*'))) add('rbac-wildcard', `${path}.${field}`);
  }
  if (strings(rule.verbs).some((v) => DANGEROUS_VERBS.includes(v))) add('rbac-dangerous-verb', `${path}.verbs`);
  if (cluster && strings(rule.apiGroups).includes('') && strings(rule.resources).some((r) => r === 'secrets' || r.startsWith('secrets/'))) add('rbac-cluster-secrets', `${path}.resources`);
}

function checkPod(spec: Obj, path: string, namespace: string, boundAccounts: ReadonlySet<string>, add: (code: string, path: string) => void): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) add('pod-host-namespace', `${path}.${field}`);
  }
  list(spec.volumes).forEach((v, i) => {
    if (obj(v).hostPath !== undefined) add('pod-host-path', `${path}.volumes[${i}].hostPath`);
  });
  if (spec.automountServiceAccountToken !== false) {
    const account = typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
    if (!boundAccounts.has(`${namespace}/${account}`)) add('pod-token-unneeded', `${path}.automountServiceAccountToken`);
  }
  const pod = obj(spec.securityContext);
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[group]).forEach((c, i) => {
      const here = `${path}.${group}[${i}].securityContext`;
      const sc = obj(obj(c).securityContext);
      const eff = (k: string): unknown => (sc[k] !== undefined ? sc[k] : pod[k]);
      if (eff('runAsNonRoot') !== true) add('container-may-run-as-root', `${here}.runAsNonRoot`);
      const user = eff('runAsUser');
      if (typeof user !== 'number' || !Number.isInteger(user) || user <= 0) add('container-run-as-user', `${here}.runAsUser`);
      const gid = eff('runAsGroup');
      if (typeof gid !== 'number' || !Number.isInteger(gid) || gid <= 0) add('container-run-as-group', `${here}.runAsGroup`);
      if (sc.readOnlyRootFilesystem !== true) add('container-writable-root', `${here}.readOnlyRootFilesystem`);
      if (sc.allowPrivilegeEscalation !== false) add('container-privilege-escalation', `${here}.allowPrivilegeEscalation`);
      if (sc.privileged === true) add('container-privileged', `${here}.privileged`);
      const caps = obj(sc.capabilities);
      if (!strings(caps.drop).includes('ALL')) add('container-capabilities-kept', `${here}.capabilities.drop`);
      if (list(caps.add).length > 0) add('container-capabilities-added', `${here}.capabilities.add`);
      if (obj(eff('seccompProfile')).type !== 'RuntimeDefault') add('container-seccomp', `${here}.seccompProfile`);
    });
  }
}

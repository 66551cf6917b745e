/**
 * The kube-scheduler filters the core asks the shim about (`ResourceManagerCallback.fits`): may this
 * pod go to this node, resources aside (the core checks those)? Covered: node name, node selector,
 * required node affinity (matchExpressions and matchFields on metadata.name), taints with effect
 * NoSchedule and NoExecute against the pod's tolerations, host ports. Not yet: inter-pod affinity and
 * anti-affinity, topology spread, volume and zone filters.
 */
import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };

function requirementHolds(r: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function termHolds(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => requirementHolds(r, labels[r.key])) && fields.every((r) => r.key === 'metadata.name' && requirementHolds(r, node.metadata?.name));
}

export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return toleration.key === undefined || toleration.key === '' || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** May `pod` run on `node`, resources aside? `usedPorts` are the host ports taken on the node. */
export function podFitsNode(pod: V1Pod, node: V1Node, usedPorts: ReadonlySet<string> = new Set()): Verdict {
  const name = node.metadata?.name ?? '';
  const wanted = pod.spec?.nodeName;
  if (wanted !== undefined && wanted !== '' && wanted !== name) return { ok: false, reason: `the pod asks for node ${wanted}` };
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return { ok: false, reason: `node(s) didn't match Pod's node selector (${k}=${v})` };
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms !== undefined && terms.length > 0 && !terms.some((t) => termHolds(t, node))) return { ok: false, reason: "node(s) didn't match Pod's node affinity" };
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint))) return { ok: false, reason: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` };
  }
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort === undefined || p.hostPort === 0) continue;
      const id = `${p.protocol ?? 'TCP'}/${p.hostPort}`;
      if (usedPorts.has(id)) return { ok: false, reason: `node(s) didn't have free ports for the requested pod ports (${id})` };
    }
  }
  return OK;
}

/** The host ports a pod takes on its node, as `PROTOCOL/port`. */
export function hostPorts(pod: V1Pod): string[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => (p.hostPort ?? 0) !== 0).map((p) => `${p.protocol ?? 'TCP'}/${p.hostPort ?? 0}`));
}

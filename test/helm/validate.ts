/**
 * Every rendered object against Kubernetes' schemas: kubernetes-models' validation (types, required
 * fields, formats) and, since those schemas allow unknown fields, the field lists of
 * @kubernetes/client-node's models (what the embedded API server checks with kubectl's strict
 * validation), so a misspelt `readOnlyRootFileSystem` fails here instead of being dropped by the API
 * server. cert-manager's kinds have no model here: their few fields are checked by hand.
 */
import { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { unknownFields } from '../../apiserver/schema.js';
import type { K8sObject } from './security.js';

type Validating = new (data: never) => { validate(): void };

/** The kinds the chart renders, by `apiVersion/kind`, with their client-node model name. */
const MODELS: Readonly<Record<string, { readonly model: Validating; readonly clientNode: string }>> = {
  'v1/ConfigMap': { model: ConfigMap, clientNode: 'V1ConfigMap' },
  'v1/Service': { model: Service, clientNode: 'V1Service' },
  'v1/ServiceAccount': { model: ServiceAccount, clientNode: 'V1ServiceAccount' },
  'apps/v1/Deployment': { model: Deployment, clientNode: 'V1Deployment' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, clientNode: 'V1PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, clientNode: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: ClusterRoleBinding, clientNode: 'V1ClusterRoleBinding' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, clientNode: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, clientNode: 'V1RoleBinding' },
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': { model: MutatingWebhookConfiguration, clientNode: 'V1MutatingWebhookConfiguration' },
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': { model: ValidatingWebhookConfiguration, clientNode: 'V1ValidatingWebhookConfiguration' },
};

/** cert-manager.io/v1: the fields the chart may set, and those it must. */
const CERT_MANAGER: Readonly<Record<string, { readonly allowed: readonly string[]; readonly required: readonly string[] }>> = {
  Certificate: { allowed: ['secretName', 'issuerRef', 'dnsNames', 'commonName', 'duration', 'renewBefore', 'privateKey', 'usages'], required: ['secretName', 'issuerRef', 'dnsNames'] },
  Issuer: { allowed: ['selfSigned', 'ca'], required: [] },
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with `o` as a Kubernetes object; empty when it is valid. */
export function kubernetesProblems(o: K8sObject): string[] {
  const problems: string[] = [];
  const name = o.metadata.name;
  const label = o.kind === 'Service' || o.kind === 'Namespace';
  if (!(label ? DNS_LABEL.test(name) && name.length <= 63 : DNS_SUBDOMAIN.test(name) && name.length <= 253)) problems.push(`metadata.name "${name}" is not a valid name`);
  if (o.apiVersion === 'cert-manager.io/v1') return [...problems, ...certManagerProblems(o)];
  const entry = MODELS[`${o.apiVersion}/${o.kind}`];
  if (entry === undefined) return [...problems, `no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new (entry.model as unknown as new (data: unknown) => { validate(): void })(o).validate();
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  for (const field of unknownFields(entry.clientNode, o)) problems.push(`unknown field "${field}"`);
  return problems;
}

function certManagerProblems(o: K8sObject): string[] {
  const rules = CERT_MANAGER[o.kind];
  if (rules === undefined) return [`no schema for ${o.apiVersion} ${o.kind}`];
  const spec = o.spec;
  if (typeof spec !== 'object' || spec === null) return ['spec is missing'];
  const keys = Object.keys(spec);
  const problems = keys.filter((k) => !rules.allowed.includes(k)).map((k) => `unknown field "spec.${k}"`);
  for (const k of rules.required) if (!keys.includes(k)) problems.push(`spec.${k} is required`);
  if (o.kind === 'Issuer' && keys.length !== 1) problems.push('an Issuer has exactly one kind of issuer');
  return problems;
}

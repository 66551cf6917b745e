/**
 * What makes the certificate manager look again, besides its clock: the Secret changed by someone
 * else (another replica renewed it, a person deleted it) and a webhook configuration that does not
 * carry the bundle (created after the webhook started, or reset by `helm upgrade`). Changes the
 * manager made itself are recognised and ignored.
 */
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1MutatingWebhookConfiguration, V1Secret, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Change } from '../../shim/informer.js';
import { keepWatching } from '../cluster/watch.js';
import type { KeptWatch } from '../cluster/watch.js';
import { hasBundle } from './publish.js';
import type { WebhookConfigurationRef } from './publish.js';

export interface TriggerOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly secretName: string;
  readonly webhookConfigurations: readonly WebhookConfigurationRef[];
  readonly logger: Logger;
  /** The resourceVersion of the Secret the manager last read or wrote. */
  readonly secretVersion: () => string | null;
  /** The bundle (base64) the configurations should carry; null before the first Secret. */
  readonly bundle: () => string | null;
  readonly kick: () => void;
}

export function watchTriggers(o: TriggerOptions): KeptWatch[] {
  const { kubeConfig, logger, namespace } = o;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const watches = [
    keepWatching<V1Secret>({
      kubeConfig,
      logger,
      path: `/api/v1/namespaces/${namespace}/secrets`,
      // Only its own Secret: RBAC can then grant list and watch on that one name.
      fieldSelector: `metadata.name=${o.secretName}`,
      list: () => core.listNamespacedSecret({ namespace, fieldSelector: `metadata.name=${o.secretName}` }),
      handle: (c) => {
        if (c.object.metadata?.name === o.secretName && (c.type === 'delete' || c.object.metadata.resourceVersion !== o.secretVersion())) o.kick();
      },
    }),
  ];
  const onConfig = (kind: WebhookConfigurationRef['kind']) => (c: Change<V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration>) => {
    const bundle = o.bundle();
    const watched = o.webhookConfigurations.some((r) => r.kind === kind && r.name === c.object.metadata?.name);
    if (watched && c.type !== 'delete' && bundle !== null && !hasBundle(c.object, bundle)) o.kick();
  };
  if (o.webhookConfigurations.some((r) => r.kind === 'mutating')) {
    const path = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
    watches.push(keepWatching<V1MutatingWebhookConfiguration>({ kubeConfig, logger, path, list: () => admission.listMutatingWebhookConfiguration(), handle: onConfig('mutating') }));
  }
  if (o.webhookConfigurations.some((r) => r.kind === 'validating')) {
    const path = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
    watches.push(keepWatching<V1ValidatingWebhookConfiguration>({ kubeConfig, logger, path, list: () => admission.listValidatingWebhookConfiguration(), handle: onConfig('validating') }));
  }
  return watches;
}

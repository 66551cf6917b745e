/**
 * What the shim keeps for each pod of drover's (its latest object, where it is in binding, its node
 * and its application), shared by the binding, gang and removal code with the rest of what they write
 * with; and the error a write gets when this replica no longer leads.
 */
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { AllocationKey, ApplicationId, Logger } from '../core/port.js';
import type { Dispatcher } from './dispatcher.js';
import type { Reporter } from './reporter.js';

export interface Tracked {
  pod: V1Pod;
  state: 'pending' | 'binding' | 'bound';
  /** The node the core placed it on, or where it was found bound. */
  node: string | null;
  readonly app: ApplicationId;
}

/** A write refused because this replica no longer leads (412: the dispatcher does not retry it). */
export class NotLeading extends Error {
  readonly code = 412;
  constructor() {
    super('this replica no longer leads');
  }
}

export const podName = (pod: V1Pod): string => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;

/** What the parts of the shim that write to the cluster share: the client, its pace, the events, the pods. */
export interface ShimWriter {
  readonly core: CoreV1Api;
  readonly dispatcher: Dispatcher;
  readonly reporter: Reporter;
  readonly logger: Logger;
  readonly leading: () => boolean;
  readonly pods: ReadonlyMap<AllocationKey, Tracked>;
}

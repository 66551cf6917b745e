/**
 * What the shim keeps for each pod of drover's (its latest object, where it is in binding, its node
 * and its application), shared by the binding, gang and removal code; and the error a write gets when
 * this replica no longer leads.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ApplicationId } from '../core/port.js';

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

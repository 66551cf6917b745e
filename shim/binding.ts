/**
 * Bindings: a pod goes to the node the core chose through the binding subresource, paced by the
 * dispatcher. A binding that fails for good goes back to the core and the pod is asked for again, so
 * nothing is lost or bound twice; a pod taking over a placeholder is bound only once the placeholder
 * is gone.
 */
import type { V1Binding, V1Pod } from '@kubernetes/client-node';
import { asNodeId } from '../core/port.js';
import type { Allocation, AllocationKey, AskInfo } from '../core/port.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { statusOf } from './dispatcher.js';
import type { Removal } from './removal.js';
import { NotLeading, podName } from './tracked.js';
import type { ShimWriter } from './tracked.js';

/** What a binding attempt answers when there was nothing left to send. */
const ALREADY = Symbol('already bound');

export interface BinderDeps extends ShimWriter {
  /** Made after the binder (they call it back), hence read when needed. */
  readonly removal: () => Removal;
  readonly scheduler: () => Scheduler;
  readonly askFor: (pod: V1Pod) => AskInfo;
  readonly observe?: { bind(seconds: number, outcome: 'success' | 'failure' | 'conflict'): void };
}

export interface Binder {
  bind(allocation: Allocation): void;
}

export function createBinder(d: BinderDeps): Binder {
  /**
   * Bind a pod where the core placed it. When it takes over a placeholder (`replaces`), the
   * placeholder is deleted first and the pod bound only once the watch shows it gone, so the node
   * never holds both; if that cannot be finished (this replica stopped leading, the delete failed)
   * the pod goes back to the queue and the placeholder, still there, is booked again.
   */
  const bind = ({ allocationKey: key, nodeId, replaces }: Allocation): void => {
    const scheduler = d.scheduler();
    const entry = d.pods.get(key);
    if (entry === undefined || entry.state !== 'pending') return;
    entry.state = 'binding';
    entry.node = nodeId;
    const name = entry.pod.metadata?.name ?? '';
    const namespace = entry.pod.metadata?.namespace ?? 'default';
    const placeholder = replaces === undefined ? undefined : d.pods.get(replaces);
    const sentAt = performance.now();
    (replaces === undefined ? Promise.resolve() : d.removal().remove(replaces))
      .then(() =>
        d.dispatcher.submit<typeof ALREADY | V1Binding>('bind', () => {
          // Seen bound meanwhile (an earlier attempt whose answer was lost landed): nothing to send.
          if (d.pods.get(key) !== entry || entry.state !== 'binding') return Promise.resolve(ALREADY);
          // A replica that lost the lead meanwhile must not bind: the call fails and the pod goes back.
          return d.leading() ? d.core.createNamespacedPodBinding({ name, namespace, body: { metadata: { name }, target: { kind: 'Node', name: nodeId } } }) : Promise.reject(new NotLeading());
        }),
      )
      .then((answer) => {
        if (answer === ALREADY) return;
        d.observe?.bind((performance.now() - sentAt) / 1000, 'success');
        if (entry.state === 'binding') entry.state = 'bound';
        d.logger.debug({ podName: name, namespace, nodeId }, 'bound');
        const took = placeholder === undefined ? '' : ` (in place of placeholder ${podName(placeholder.pod)})`;
        d.reporter.podEvent(entry.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeId}${took}`);
      })
      .catch((err: unknown) => {
        // Still binding: nobody saw it bound meanwhile. Give the resources back and ask again; a 409
        // means it is bound elsewhere, which the watch reports and books.
        d.observe?.bind((performance.now() - sentAt) / 1000, statusOf(err) === 409 ? 'conflict' : 'failure');
        if (replaces !== undefined) rebookPlaceholder(replaces);
        if (d.pods.get(key) !== entry || entry.state !== 'binding') return;
        d.logger.warn({ podName: name, namespace, nodeId, status: statusOf(err), error: String(err) }, 'bind failed; the pod goes back to the queue');
        scheduler.releaseAllocation(key);
        entry.state = 'pending';
        entry.node = null;
        scheduler.addAsk(d.askFor(entry.pod));
      });
  };

  /** A placeholder the core had handed to a real pod that could not take it: still there, so booked again. */
  const rebookPlaceholder = (key: AllocationKey): void => {
    const t = d.pods.get(key);
    const scheduler = d.scheduler();
    if (t === undefined || t.state === 'pending' || t.node === null) return;
    scheduler.recoverAllocation({ ...d.askFor(t.pod), nodeId: asNodeId(t.node) });
  };

  return { bind };
}

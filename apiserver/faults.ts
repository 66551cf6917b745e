/**
 * Fault injection for tests of the shim and the webhook: the embedded API server can answer 500, 409
 * or 410 at a given rate, add latency, and drop watch connections after a while. Rates are
 * probabilities per request (0..1) drawn from an injected random source, so tests are repeatable.
 */
export interface FaultPlan {
  /** Added before every answer, in ms. */
  readonly latencyMs: number;
  /** Probability that a request is answered 500 InternalError. */
  readonly internalError: number;
  /** Probability that an update (PUT, PATCH) or delete is answered 409 Conflict. */
  readonly conflict: number;
  /** Probability that a watch starts with a 410 Expired ERROR event (the client must relist). */
  readonly gone: number;
  /** Close every watch this long after it starts, in ms; 0: never. */
  readonly dropWatchAfterMs: number;
}

export const NO_FAULTS: FaultPlan = { latencyMs: 0, internalError: 0, conflict: 0, gone: 0, dropWatchAfterMs: 0 };

export type Fault = { readonly kind: 'none' } | { readonly kind: 'status'; readonly code: 409 | 410 | 500; readonly reason: string; readonly message: string };

/** The fault, if any, for one request. */
export function faultFor(plan: FaultPlan, method: string, watch: boolean, random: () => number): Fault {
  if (plan.internalError > 0 && random() < plan.internalError) return { kind: 'status', code: 500, reason: 'InternalError', message: 'injected fault: internal error' };
  if (watch && plan.gone > 0 && random() < plan.gone) return { kind: 'status', code: 410, reason: 'Expired', message: 'injected fault: too old resource version' };
  const writes = method === 'PUT' || method === 'PATCH' || method === 'DELETE';
  if (writes && plan.conflict > 0 && random() < plan.conflict) {
    return { kind: 'status', code: 409, reason: 'Conflict', message: 'injected fault: the object has been modified; please apply your changes to the latest version and try again' };
  }
  return { kind: 'none' };
}

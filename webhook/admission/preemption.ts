/**
 * The `yunikorn.apache.org/allow-preemption` annotation of a pod: may the scheduler preempt it. A pod
 * that already says "true" or "false" keeps its word; otherwise the value comes from its PriorityClass,
 * which opts out with the same annotation set to "false". Any other value, an unknown class or no class
 * at all means "true", as in YuniKorn's priority class cache. The class's preemptionPolicy is not read:
 * it governs whether the pod may preempt others, which the scheduler reads from the pod itself.
 */
import { ANNOTATION } from './keys.js';
import type { StringMap } from './object.js';
import { member } from './object.js';

/** The pod's PriorityClass, as far as the caller knows it. */
export interface PriorityClassInput {
  readonly name: string;
  readonly annotations?: unknown;
}

/**
 * The value the pod must carry, or null when it already carries a valid one. The class is used only
 * when its name is the pod's spec.priorityClassName: a class looked up for another name is unknown.
 */
export function allowPreemption(annotations: StringMap, priorityClassName: string, priorityClass: PriorityClassInput | null): 'true' | 'false' | null {
  const own = annotations.get(ANNOTATION.allowPreemption);
  if (own === 'true' || own === 'false') return null;
  if (priorityClass === null || priorityClassName === '' || priorityClass.name !== priorityClassName) return 'true';
  return member(priorityClass.annotations, ANNOTATION.allowPreemption) === 'false' ? 'false' : 'true';
}

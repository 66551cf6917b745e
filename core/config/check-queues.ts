/**
 * Semantic checks of the queue tree, as YuniKorn makes them:
 *
 *   guaranteed <= max                               on every queue
 *   max <= the tightest max of its ancestors        (absent in a max = unlimited)
 *   sum(children's guaranteed) <= guaranteed        when the parent has a guarantee
 *   sum(children's guaranteed) <= effective max
 *   maxapplications: a limited parent has only limited children, each within the parent's number
 *
 * A queue without a guarantee passes its children's sum up, so a guarantee is checked against the
 * nearest guaranteed ancestor even when levels in between set none.
 */
import { add, EMPTY, fitsInMax, formatResource, isZero, overMax } from '../resources/resource.js';
import type { Resource } from '../resources/resource.js';
import { error } from './issues.js';
import type { PendingIssue } from './issues.js';
import type { QueueDraft } from './normalise.js';

/** The effective max of a queue, entry by entry, with the queue that sets each entry. */
type EffectiveMax = Readonly<Record<string, { readonly value: number; readonly from: string }>>;

function values(m: EffectiveMax): Resource {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.value]));
}

/** Strict fit: an entry absent from `larger` counts as zero (YuniKorn's FitIn). */
function fitsIn(smaller: Resource, larger: Resource): boolean {
  for (const [k, v] of Object.entries(smaller)) if (v > (larger[k] ?? 0)) return false;
  return true;
}

function tighten(parent: EffectiveMax, q: QueueDraft): EffectiveMax {
  const out: Record<string, { value: number; from: string }> = { ...parent };
  for (const [k, v] of Object.entries(q.max)) {
    const cur = out[k];
    if (cur === undefined || v < cur.value) out[k] = { value: v, from: q.path };
  }
  return out;
}

export function checkQueueResources(root: QueueDraft, issues: PendingIssue[]): void {
  walk(root, {}, issues);
}

/** Returns the guarantee this queue claims from its parent. */
function walk(q: QueueDraft, parentMax: EffectiveMax, issues: PendingIssue[]): Resource {
  const res = [...q.doc, 'resources'];
  if (!fitsInMax(q.guaranteed, q.max)) {
    const keys = overMax(q.guaranteed, q.max);
    issues.push(error('guaranteed-above-max', [...res, 'guaranteed'], `${q.path}: guaranteed ${formatResource(q.guaranteed, keys)} is more than its max ${formatResource(q.max, keys)}`));
  }
  const parentValues = values(parentMax);
  if (!fitsInMax(q.max, parentValues)) {
    for (const k of overMax(q.max, parentValues)) {
      const bound = parentMax[k];
      if (bound === undefined) continue;
      issues.push(error('max-above-parent-max', [...res, 'max', k], `${q.path}: max ${formatResource(q.max, [k])} is more than the max ${formatResource(parentValues, [k])} of ${bound.from}`));
    }
  }
  const effective = tighten(parentMax, q);
  let sum: Resource = EMPTY;
  for (const child of q.queues) sum = add(sum, walk(child, effective, issues));
  if (!isZero(q.guaranteed) && !fitsIn(sum, q.guaranteed)) {
    issues.push(error('children-guaranteed-above-guaranteed', [...res, 'guaranteed'], `${q.path}: its children are guaranteed ${formatResource(sum)} in total, more than its own guaranteed ${formatResource(q.guaranteed)}`));
  }
  const effValues = values(effective);
  if (!fitsInMax(sum, effValues)) {
    const keys = overMax(sum, effValues);
    const from = [...new Set(keys.map((k) => effective[k]?.from ?? q.path))].join(', ');
    issues.push(error('children-guaranteed-above-max', q.queues.length > 0 ? [...q.doc, 'queues'] : res, `${q.path}: its children are guaranteed ${formatResource(sum, keys)} in total, more than the max ${formatResource(effValues, keys)} set on ${from}`));
  }
  return isZero(q.guaranteed) ? sum : q.guaranteed;
}

export function checkQueueMaxApplications(q: QueueDraft, issues: PendingIssue[]): void {
  for (const child of q.queues) {
    if (q.maxApplications !== 0) {
      if (child.maxApplications === 0) {
        issues.push(error('maxapps-unset-under-limited-parent', [...child.doc, 'name'], `${child.path} has no maxapplications, but its parent ${q.path} allows ${q.maxApplications}; give it a maxapplications of at most ${q.maxApplications}`));
      } else if (child.maxApplications > q.maxApplications) {
        issues.push(error('maxapps-above-parent', [...child.doc, 'maxapplications'], `${child.path} allows ${child.maxApplications} applications, more than the ${q.maxApplications} of its parent ${q.path}`));
      }
    }
    checkQueueMaxApplications(child, issues);
  }
}

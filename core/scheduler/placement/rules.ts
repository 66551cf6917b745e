/**
 * The placement rules, one small function each: given the application and the parent path chosen by
 * the rule's parent (or root), the queue path the rule proposes, or null for "no match". A rule that
 * does not match is not an error: placement goes on with the next rule.
 */
import type { RuleName } from '../../config/model.js';
import type { ApplicationInfo } from '../../port.js';

export interface RuleInput {
  readonly app: ApplicationInfo;
  /** The value of a fixed or tag rule. */
  readonly value: string;
  /** The parent path from the parent rule, or null when the rule has none. */
  readonly parent: string | null;
}

/** A queue name made safe: dots would add levels (YuniKorn replaces them with `_dot_`). */
export function escapeName(name: string): string {
  return name.toLowerCase().replace(/\./g, '_dot_');
}

function qualify(name: string, parent: string | null): string {
  const lower = name.toLowerCase();
  if (lower === 'root' || lower.startsWith('root.')) return lower;
  return `${parent ?? 'root'}.${lower}`;
}

export const RULES: Readonly<Record<RuleName, (input: RuleInput) => string | null>> = {
  provided: ({ app, parent }) => (app.queue === undefined || app.queue === '' ? null : qualify(app.queue, parent)),
  user: ({ app, parent }) => (app.user.user === '' ? null : `${parent ?? 'root'}.${escapeName(app.user.user)}`),
  fixed: ({ value, parent }) => (value === '' ? null : qualify(value, parent)),
  tag: ({ app, value, parent }) => {
    const tag = app.tags[value] ?? app.tags[value.toLowerCase()] ?? '';
    if (tag === '') return null;
    const lower = tag.toLowerCase();
    return lower === 'root' || lower.startsWith('root.') ? lower : `${parent ?? 'root'}.${escapeName(tag)}`;
  },
};

/**
 * Placement: which queue an application goes to. Rules are tried in order; a rule proposes a queue
 * (after its parent rule proposed a parent), its filter must let the user through, the queue must be
 * a leaf that exists or that the rule may create, and the user must be allowed to submit there (the
 * submit or admin ACL of the queue or of any ancestor). No match at all rejects the application with
 * the reason of each rule. Without configured rules: the queue the application names, else root.default.
 */
import type { PlacementRuleConfig } from '../../config/model.js';
import type { ApplicationInfo, UserGroup } from '../../port.js';
import type { Queue } from '../queue.js';
import type { QueueTree } from '../queue-tree.js';
import { compileFilter } from './filter.js';
import type { CompiledFilter } from './filter.js';
import { RULES } from './rules.js';

interface CompiledRule {
  readonly config: PlacementRuleConfig;
  readonly filter: CompiledFilter;
  readonly parent: CompiledRule | null;
}

export type Placement = { readonly ok: true; readonly queue: Queue } | { readonly ok: false; readonly reason: string };

/** The rules in force when the configuration names none. */
export const DEFAULT_RULES: readonly PlacementRuleConfig[] = [
  { name: 'provided', create: false, value: '', filter: { type: 'allow', users: { kind: 'none' }, groups: { kind: 'none' } }, parent: null },
  { name: 'fixed', create: true, value: 'root.default', filter: { type: 'allow', users: { kind: 'none' }, groups: { kind: 'none' } }, parent: null },
];

function compileRule(config: PlacementRuleConfig): CompiledRule {
  return { config, filter: compileFilter(config.filter), parent: config.parent === null ? null : compileRule(config.parent) };
}

/** Does the ACL of the queue or of an ancestor let `who` submit? */
export function canSubmit(queue: Queue, who: UserGroup): boolean {
  for (const q of queue.ancestry()) {
    for (const acl of [q.settings.submitAcl, q.settings.adminAcl]) {
      if (acl.allowAll || acl.users.includes(who.user) || who.groups.some((g) => acl.groups.includes(g))) return true;
    }
  }
  return false;
}

export class PlacementManager {
  private rules: readonly CompiledRule[];

  constructor(rules: readonly PlacementRuleConfig[]) {
    this.rules = (rules.length > 0 ? rules : DEFAULT_RULES).map(compileRule);
  }

  /** Propose a path with the rule chain; null when the chain does not match. */
  private propose(rule: CompiledRule, app: ApplicationInfo, tree: QueueTree): { path: string } | { skip: string } {
    let parent: string | null = null;
    if (rule.parent !== null) {
      const p = this.propose(rule.parent, app, tree);
      if ('skip' in p) return p;
      const existing = tree.get(p.path);
      if (existing?.isLeaf === true) return { skip: `parent queue ${p.path} is a leaf` };
      if (existing === undefined && !rule.parent.config.create) return { skip: `parent queue ${p.path} does not exist and the parent rule may not create it` };
      parent = p.path;
    }
    if (!rule.filter(app.user)) return { skip: `the ${rule.config.name} rule's filter excludes user ${app.user.user}` };
    const path = RULES[rule.config.name]({ app, value: rule.config.value, parent });
    if (path === null) {
      const what = rule.config.name === 'tag' ? `no '${rule.config.value}' tag` : rule.config.name === 'provided' ? 'no queue named by the application' : 'no value';
      return { skip: `the ${rule.config.name} rule has ${what}` };
    }
    return { path };
  }

  place(app: ApplicationInfo, tree: QueueTree): Placement {
    const reasons: string[] = [];
    for (const rule of this.rules) {
      const p = this.propose(rule, app, tree);
      if ('skip' in p) {
        reasons.push(p.skip);
        continue;
      }
      const existing = tree.get(p.path);
      if (existing !== undefined) {
        if (!existing.isLeaf) reasons.push(`the ${rule.config.name} rule chose ${p.path}, a parent queue`);
        else if (existing.status === 'Draining') reasons.push(`the ${rule.config.name} rule chose ${p.path}, which is draining`);
        else if (!canSubmit(existing, app.user)) reasons.push(`user ${app.user.user} may not submit to ${p.path} (submit ACL)`);
        else return { ok: true, queue: existing };
        continue;
      }
      if (!rule.config.create) {
        reasons.push(`the ${rule.config.name} rule chose ${p.path}, which does not exist (create: false)`);
        continue;
      }
      const deepest = deepestExisting(tree, p.path);
      if (!canSubmit(deepest, app.user)) {
        reasons.push(`user ${app.user.user} may not submit below ${deepest.path} (submit ACL)`);
        continue;
      }
      const created = tree.createDynamic(p.path);
      if (created.ok) return created;
      reasons.push(created.reason);
    }
    return { ok: false, reason: `no placement rule placed the application: ${reasons.join('; ')}` };
  }
}

function deepestExisting(tree: QueueTree, path: string): Queue {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const q = tree.get(parts.slice(0, n).join('.'));
    if (q !== undefined) return q;
  }
  return tree.root;
}

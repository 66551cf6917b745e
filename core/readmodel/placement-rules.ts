/**
 * The placement rules in force as YuniKorn's RuleDAO list: each rule's name, its parameters as strings
 * (`create`, and `queue`/`qualified` for fixed, `tagName` for tag), its filter when it has one, its parent
 * rule; the configured rules or drover's defaults when none are configured, then the implicit `recovery`
 * rule that keeps already-running applications, always last.
 */
import type { NameMatcher, PlacementRuleConfig } from '../config/model.js';
import type { Partition } from '../scheduler/partition.js';
import { DEFAULT_RULES } from '../scheduler/placement/placement.js';
import type { FilterDao, PlacementRuleDao } from './dao.js';
import { byteOrder, omitEmpty } from './json.js';

/** The queue of applications found running that no rule places (YuniKorn's `root.@recovery@`). */
export const RECOVERY_QUEUE = 'root.@recovery@';

const RECOVERY_RULE: PlacementRuleDao = { name: 'recovery', parameters: { queue: RECOVERY_QUEUE } };

function names(m: NameMatcher): { list?: readonly string[]; exp?: string } {
  switch (m.kind) {
    case 'none':
      return {};
    case 'list':
      return { list: [...m.names].sort(byteOrder) };
    case 'regexp':
      return { exp: m.pattern };
  }
}

function filterDao(rule: PlacementRuleConfig): FilterDao | undefined {
  const { users, groups, type } = rule.filter;
  if (users.kind === 'none' && groups.kind === 'none') return undefined;
  const u = names(users);
  const g = names(groups);
  return { type, ...omitEmpty('userList', u.list), ...omitEmpty('groupList', g.list), ...omitEmpty('userExp', u.exp), ...omitEmpty('groupExp', g.exp) };
}

/** The parameters YuniKorn shows per rule, keys in Go's order. */
function parameters(rule: PlacementRuleConfig): Record<string, string> {
  const create = String(rule.create);
  switch (rule.name) {
    case 'provided':
    case 'user':
      return { create };
    case 'fixed':
      return { create, qualified: String(rule.value.startsWith('root')), queue: rule.value };
    case 'tag':
      return { create, tagName: rule.value };
  }
}

function ruleDao(rule: PlacementRuleConfig): PlacementRuleDao {
  return {
    name: rule.name,
    parameters: parameters(rule),
    ...omitEmpty('filter', filterDao(rule)),
    ...omitEmpty('parentRule', rule.parent === null ? undefined : ruleDao(rule.parent)),
  };
}

export function placementRulesView(p: Partition): PlacementRuleDao[] {
  const rules = p.config.placementRules.length > 0 ? p.config.placementRules : DEFAULT_RULES;
  return [...rules.map(ruleDao), RECOVERY_RULE];
}

/**
 * Placement rules: syntax, filters, and the queues their fixed parts point at.
 *
 * A rule chain is read parent first (`fixed root.users` -> `user` places in root.users.<user>). Its
 * static part is the path built by the leading fixed rules; it must exist or be creatable:
 *   - without a dynamic part the static path is where applications go, so it must be a leaf;
 *   - with one (a user, tag or provided rule after it) it must be a parent;
 *   - a missing queue needs `create: true` on the rule, and cannot hang below a leaf.
 * Only the first fixed rule of a chain may be fully qualified (start with `root.`).
 */
import { error, warning } from './issues.js';
import type { DocPath, PendingIssue } from './issues.js';
import type { FilterConfig, NameMatcher, PlacementRuleConfig } from './model.js';
import { RULE_NAMES } from './model.js';
import { GROUP_NAME, REGEXP_SPECIAL, ROOT, RULE_NAME, USER_NAME } from './names.js';
import type { QueueDraft, RuleDraft } from './normalise.js';

/** Check every rule; returns the parsed rules (only meaningful when no error was reported). */
export function checkPlacementRules(rules: readonly RuleDraft[], root: QueueDraft, issues: PendingIssue[]): PlacementRuleConfig[] {
  const out: PlacementRuleConfig[] = [];
  rules.forEach((rule, i) => {
    const parsed = parseRule(rule, issues);
    if (parsed !== null) out.push(parsed);
    checkStaticPath(rule, i, root, issues);
  });
  return out;
}

function parseRule(rule: RuleDraft, issues: PendingIssue[]): PlacementRuleConfig | null {
  const parent = rule.parent === null ? null : parseRule(rule.parent, issues);
  const filter = parseFilter(rule, issues);
  if (!RULE_NAME.test(rule.name)) {
    issues.push(error('rule-name-invalid', [...rule.doc, 'name'], `'${rule.name}' is not a valid rule name; use one of ${RULE_NAMES.join(', ')}`));
    return null;
  }
  // YuniKorn's validator accepts the next two mistakes and its placement manager then drops the
  // rules; drover drops just the affected rule chain, and says so.
  const name = RULE_NAMES.find((n) => n === rule.name.toLowerCase());
  if (name === undefined) {
    issues.push(warning('rule-unknown', [...rule.doc, 'name'], `there is no placement rule '${rule.name}' (use one of ${RULE_NAMES.join(', ')}); the rule chain that contains it is ignored`));
    return null;
  }
  if ((name === 'fixed' || name === 'tag') && rule.value === '') {
    const what = name === 'fixed' ? 'the queue to place in (root.x or x)' : 'the tag to read (for example namespace)';
    issues.push(warning('rule-value-missing', rule.doc, `a ${name} rule needs a value, ${what}; the rule chain that contains it is ignored`));
    return null;
  }
  if ((name === 'user' || name === 'provided') && rule.value !== '') {
    issues.push(warning('rule-value-ignored', [...rule.doc, 'value'], `the ${name} rule does not read a value; '${rule.value}' is ignored`));
  }
  if (filter === null || (rule.parent !== null && parent === null)) return null;
  return { name, create: rule.create, value: rule.value, filter, parent };
}

function parseFilter(rule: RuleDraft, issues: PendingIssue[]): FilterConfig | null {
  const at = [...rule.doc, 'filter'];
  const typeText = rule.filterType.toLowerCase();
  let type: FilterConfig['type'] = 'allow';
  let ok = true;
  if (typeText === 'deny') type = 'deny';
  else if (typeText !== '' && typeText !== 'allow') {
    issues.push(error('filter-type-invalid', [...at, 'type'], `filter type '${rule.filterType}' is neither allow nor deny`));
    ok = false;
  }
  const users = matcher(rule.users, 'user', [...at, 'users'], issues);
  const groups = matcher(rule.groups, 'group', [...at, 'groups'], issues);
  if (!ok || users === null || groups === null) return null;
  return { type, users, groups };
}

/**
 * One entry that is not a plain name is a regular expression (it must compile and contain a regexp
 * character); several entries are a list of names, where invalid names are ignored.
 */
function matcher(names: readonly string[], kind: 'user' | 'group', at: DocPath, issues: PendingIssue[]): NameMatcher | null {
  const rule = kind === 'user' ? USER_NAME : GROUP_NAME;
  if (names.length === 0) return { kind: 'none' };
  const only = names[0];
  if (names.length === 1 && only !== undefined) {
    if (rule.test(only)) return { kind: 'list', names: [only] };
    const re = compileRe2(only);
    if (re.ok && REGEXP_SPECIAL.test(only)) return { kind: 'regexp', pattern: re.pattern, flags: re.flags };
    const why = re.ok ? `is not a valid ${kind} name and has no regular expression character` : `is not a valid ${kind} name nor a regular expression (${re.message})`;
    issues.push(error(kind === 'user' ? 'filter-users-invalid' : 'filter-groups-invalid', [...at, 0], `'${only}' ${why}`));
    return null;
  }
  const valid: string[] = [];
  names.forEach((name, i) => {
    if (rule.test(name)) valid.push(name);
    else issues.push(warning('filter-entry-ignored', [...at, i], `'${name}' is not a valid ${kind} name and is ignored; a regular expression works only as the single entry of the list`));
  });
  return { kind: 'list', names: valid };
}

type Re2Result = { ok: true; pattern: string; flags: string } | { ok: false; message: string };

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]/;

/**
 * Compile a filter regexp written for YuniKorn (Go RE2 syntax) as a JavaScript RegExp: leading inline
 * flags such as `(?i)` become RegExp flags; lookaround and back-references, which RE2 rejects, are
 * rejected here too.
 */
export function compileRe2(text: string): Re2Result {
  let pattern = text;
  let flags = '';
  const lead = LEADING_FLAGS.exec(pattern);
  if (lead !== null) {
    const f = lead[1] ?? '';
    if (f.includes('U')) return { ok: false, message: 'the ungreedy flag (?U) is not supported' };
    flags = [...new Set(f)].join('');
    pattern = pattern.slice(lead[0].length);
  }
  if (NOT_RE2.test(pattern)) return { ok: false, message: 'lookaround and back-references are not part of RE2 syntax' };
  try {
    new RegExp(pattern, flags);
    return { ok: true, pattern, flags };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e) };
  }
}

function chainOf(rule: RuleDraft): RuleDraft[] {
  return rule.parent === null ? [rule] : [...chainOf(rule.parent), rule];
}

function checkStaticPath(top: RuleDraft, ruleNo: number, root: QueueDraft, issues: PendingIssue[]): void {
  const chain = chainOf(top);
  const names = chain.map((r) => r.name.toLowerCase()).join('->');
  let path = '';
  let dynamic = false;
  for (const r of chain) {
    if (r.name.toLowerCase() !== 'fixed') {
      dynamic = true;
      break;
    }
    const qualified = r.value === ROOT || r.value.toLowerCase().startsWith(`${ROOT}.`);
    if (qualified) {
      if (path !== '') {
        issues.push(error('rule-fixed-qualified-not-first', [...r.doc, 'value'], `placement rule #${ruleNo} (${names}): only the first fixed rule of a chain may be fully qualified, but '${r.value}' follows '${path}'`));
        return;
      }
      path = r.value;
    } else if (r.value !== '') path = `${path === '' ? ROOT : path}.${r.value}`;
  }
  if (path === '') return;
  const parts = path.toLowerCase().split('.');
  const where = [...top.doc];
  const label = `placement rule #${ruleNo} (${names})`;
  let queues: readonly QueueDraft[] = [root];
  let last: QueueDraft | undefined;
  for (let i = 0; i < parts.length; i++) {
    const found = queues.find((q) => q.name === parts[i]);
    if (found === undefined) {
      if (last !== undefined && !last.parent) {
        issues.push(error('rule-queue-not-parent', where, `${label} needs ${path}, which cannot be created because ${last.path} is a leaf`));
      } else if (!top.create) {
        issues.push(error('rule-queue-missing', where, `${label} places applications in ${path}, which does not exist, and the rule has create: false; add the queue or set create: true`));
      }
      return;
    }
    last = found;
    queues = found.queues;
  }
  if (last === undefined) return;
  if (dynamic && !last.parent) {
    issues.push(error('rule-queue-not-parent', where, `${label} creates queues below ${last.path}, but ${last.path} is a leaf; make it a parent (parent: true)`));
  } else if (!dynamic && last.parent) {
    issues.push(error('rule-queue-not-leaf', where, `${label} places applications in ${last.path}, which is a parent queue; applications run only in leaf queues`));
  }
}

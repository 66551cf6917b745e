import { describe, expect, it } from 'vitest';
import { compileRe2 } from './check-placement.js';
import { errorsOf, mustLoad, warningsOf } from './test-helpers.js';

const QUEUES = `    queues:
      - name: root
        queues:
          - {name: users, parent: true}
          - {name: leaf}
          - name: tenants
            queues:
              - {name: team-a, parent: true}
`;
const withRules = (rules: string) => `partitions:\n  - placementrules:\n${rules}${QUEUES}`;
const at0 = 'partitions[0].placementrules[0]';

describe('placement rules', () => {
  it.each([
    { name: 'a fixed rule to a leaf', rules: '      - {name: fixed, value: root.leaf}\n', errors: [] },
    { name: 'an unqualified fixed rule', rules: '      - {name: fixed, value: leaf}\n', errors: [] },
    { name: 'a fixed rule to a parent', rules: '      - {name: fixed, value: root.users}\n', errors: [{ code: 'rule-queue-not-leaf', path: at0 }] },
    { name: 'a missing queue without create', rules: '      - {name: fixed, value: root.nope}\n', errors: [{ code: 'rule-queue-missing', path: at0 }] },
    { name: 'a missing queue with create', rules: '      - {name: fixed, value: root.nope, create: true}\n', errors: [] },
    { name: 'a queue below a leaf', rules: '      - {name: fixed, value: root.leaf.x, create: true}\n', errors: [{ code: 'rule-queue-not-parent', path: at0 }] },
    { name: 'a user rule below a parent', rules: '      - {name: user, create: true, parent: {name: fixed, value: root.users}}\n', errors: [] },
    { name: 'a user rule below a leaf', rules: '      - {name: user, create: true, parent: {name: fixed, value: root.leaf}}\n', errors: [{ code: 'rule-queue-not-parent', path: at0 }] },
    { name: 'a tag rule below a nested parent, case-insensitive', rules: '      - {name: tag, value: namespace, create: true, parent: {name: fixed, value: root.Tenants.TEAM-A}}\n', errors: [] },
    { name: 'two fully qualified fixed rules', rules: '      - {name: fixed, value: root.leaf, parent: {name: fixed, value: root.tenants}}\n', errors: [{ code: 'rule-fixed-qualified-not-first', path: `${at0}.value` }] },
    { name: 'a rule name that is not an identifier', rules: '      - {name: "#fixed", value: leaf}\n', errors: [{ code: 'rule-name-invalid', path: `${at0}.name` }] },
    { name: 'a filter type that is neither allow nor deny', rules: '      - {name: user, create: true, filter: {type: maybe}}\n', errors: [{ code: 'filter-type-invalid', path: `${at0}.filter.type` }] },
    { name: 'a single filter user that is no name nor regexp', rules: '      - {name: user, create: true, filter: {users: [99test]}}\n', errors: [{ code: 'filter-users-invalid', path: `${at0}.filter.users[0]` }] },
    { name: 'a broken filter regexp', rules: '      - {name: user, create: true, filter: {groups: ["dev[" ]}}\n', errors: [{ code: 'filter-groups-invalid', path: `${at0}.filter.groups[0]` }] },
    { name: 'a lookahead, which RE2 does not have', rules: '      - {name: user, create: true, filter: {users: ["(?=a)b.*"]}}\n', errors: [{ code: 'filter-users-invalid', path: `${at0}.filter.users[0]` }] },
  ])('$name', ({ rules, errors }) => {
    expect(errorsOf(withRules(rules))).toEqual(errors);
  });

  it.each([
    { name: 'an unknown rule name', rules: '      - {name: primarygroup, create: true}\n', code: 'rule-unknown', path: `${at0}.name` },
    { name: 'a fixed rule without value', rules: '      - {name: fixed, create: true}\n', code: 'rule-value-missing', path: at0 },
    { name: 'a value on a user rule', rules: '      - {name: user, value: x, create: true}\n', code: 'rule-value-ignored', path: `${at0}.value` },
    { name: 'an invalid name in a filter list', rules: '      - {name: user, create: true, filter: {users: [alice, "b c"]}}\n', code: 'filter-entry-ignored', path: `${at0}.filter.users[1]` },
  ])('warns, as YuniKorn accepts it: $name', ({ rules, code, path }) => {
    expect(errorsOf(withRules(rules))).toEqual([]);
    expect(warningsOf(withRules(rules))).toContainEqual({ code, path });
  });

  it('drops a rule chain with an unknown rule and keeps the others', () => {
    const rules = mustLoad(withRules('      - {name: user, create: true, parent: {name: primarygroup}}\n      - {name: provided, create: true}\n')).partitions[0]?.placementRules;
    expect(rules?.map((r) => r.name)).toEqual(['provided']);
  });

  it('reads filters: one regexp, a list of names, a deny type', () => {
    const rules = mustLoad(withRules('      - {name: user, create: true, filter: {type: DENY, users: ["(?i)^SYS-"], groups: [a, b]}}\n')).partitions[0]?.placementRules;
    expect(rules?.[0]?.filter).toEqual({
      type: 'deny',
      users: { kind: 'regexp', pattern: '^SYS-', flags: 'i' },
      groups: { kind: 'list', names: ['a', 'b'] },
    });
  });
});

describe('compileRe2', () => {
  it.each([
    { text: '^dev-.*$', ok: true },
    { text: '(?i)dev', ok: true },
    { text: '(?U)a+', ok: false },
    { text: '(a)\\1', ok: false },
    { text: '(?<!a)b', ok: false },
    { text: 'a[', ok: false },
  ])('$text -> $ok', ({ text, ok }) => {
    expect(compileRe2(text).ok).toBe(ok);
  });
});

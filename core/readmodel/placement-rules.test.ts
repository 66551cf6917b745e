/**
 * Placement rules as YuniKorn's RuleDAO list: parameters as strings, filters, parent rules, drover's
 * defaults when none are configured, and the implicit recovery rule last.
 */
import { describe, expect, it } from 'vitest';
import { placementRulesView } from './placement-rules.js';
import { harness, json } from './test-helpers.js';

describe('placementRulesView', () => {
  it('gives the configured rules, then recovery', () => {
    const h = harness(`
partitions:
  - placementrules:
      - name: tag
        value: namespace
        create: true
        parent: {name: fixed, value: root.tenants}
        filter: {type: deny, users: [mallory, eve], groups: ["^ops-.*$"]}
      - {name: user, create: false}
    queues:
      - name: root
        submitacl: "*"
        queues:
          - {name: tenants, parent: true}
`);
    expect(json(placementRulesView(h.partition()))).toEqual([
      {
        name: 'tag',
        parameters: { create: 'true', tagName: 'namespace' },
        filter: { type: 'deny', userList: ['eve', 'mallory'], groupExp: '^ops-.*$' },
        parentRule: { name: 'fixed', parameters: { create: 'false', qualified: 'true', queue: 'root.tenants' } },
      },
      { name: 'user', parameters: { create: 'false' } },
      { name: 'recovery', parameters: { queue: 'root.@recovery@' } },
    ]);
  });

  it("gives drover's defaults when no rule is configured", () => {
    const h = harness('partitions:\n  - queues: [{name: root, submitacl: "*"}]\n');
    expect(placementRulesView(h.partition()).map((r) => [r.name, r.parameters])).toEqual([
      ['provided', { create: 'false' }],
      ['fixed', { create: 'true', qualified: 'true', queue: 'root.default' }],
      ['recovery', { queue: 'root.@recovery@' }],
    ]);
  });
});

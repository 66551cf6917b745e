/**
 * A placement rule's user and group filter: allow or deny the users and groups it names (or matches).
 * A filter with no users and no groups lets everyone through, whatever its type.
 */
import type { FilterConfig, NameMatcher } from '../../config/model.js';
import type { UserGroup } from '../../port.js';

function compile(m: NameMatcher): ((name: string) => boolean) | null {
  switch (m.kind) {
    case 'none':
      return null;
    case 'list': {
      const names = new Set(m.names);
      return (n) => names.has(n);
    }
    case 'regexp': {
      const re = new RegExp(m.pattern, m.flags);
      return (n) => re.test(n);
    }
  }
}

export type CompiledFilter = (who: UserGroup) => boolean;

export function compileFilter(filter: FilterConfig): CompiledFilter {
  const users = compile(filter.users);
  const groups = compile(filter.groups);
  if (users === null && groups === null) return () => true;
  const matches = (who: UserGroup) => (users?.(who.user) ?? false) || (groups !== null && who.groups.some(groups));
  return filter.type === 'allow' ? matches : (who) => !matches(who);
}

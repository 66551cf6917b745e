/**
 * Name rules shared by queues, users, groups, placement rules and ACLs, as YuniKorn enforces them.
 */
import type { Acl } from './model.js';

/** A queue name: 1 to 64 of letters, digits and - _ # @ / : (a user name with its dots replaced fits). */
export const QUEUE_NAME = /^[a-zA-Z0-9_:#/@-]{1,64}$/;
/** User names are lenient: POSIX plus @ . # / : and an optional trailing $. */
export const USER_NAME = /^[_a-zA-Z][a-zA-Z0-9:#/_.@-]*[$]?$/;
/** Group names are slightly stricter: no @ and no trailing $. */
export const GROUP_NAME = /^[_a-zA-Z][a-zA-Z0-9:#/_.-]*$/;
/** Characters that make a filter entry a regular expression rather than a name. */
export const REGEXP_SPECIAL = /[\^$*+?()[{}|]/;
/** A placement rule name is an identifier. */
export const RULE_NAME = /^[_a-zA-Z][a-zA-Z0-9_]*$/;

export const WILDCARD = '*';
export const ROOT = 'root';
export const DEFAULT_PARTITION = 'default';

export type AclResult =
  | { readonly ok: true; readonly acl: Acl; readonly ignored: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Parse an ACL: `users groups`, each a comma-separated list, separated by one space. A leading space
 * means groups only; `*` (alone, or as the whole user or group list) allows everyone; '' allows no one.
 * Names that are not valid user or group names are ignored (and reported back), as YuniKorn ignores them.
 */
export function parseAcl(text: string): AclResult {
  const trimmed = text.trim();
  if (text === '') return { ok: true, acl: { allowAll: false, users: [], groups: [], text }, ignored: [] };
  if (trimmed.split(/\s+/).length > 2) {
    return { ok: false, message: `the ACL '${text}' has more than two parts; write 'user1,user2 group1,group2' (users, one space, groups)` };
  }
  const fields = text.split(' ');
  if (fields.length > 2) {
    return { ok: false, message: `the ACL '${text}' has more than one space; YuniKorn rejects it when it builds the queue. Write 'users groups' with exactly one space (a leading space for groups only)` };
  }
  const userList = (fields[0] ?? '').split(',');
  const groupList = fields.length === 2 ? (fields[1] ?? '').split(',') : [];
  const ignored: string[] = [];
  const allowAll = trimmed === WILDCARD || (userList.length === 1 && userList[0] === WILDCARD) || (groupList.length === 1 && groupList[0] === WILDCARD);
  const users = allowAll ? [] : pick(userList, USER_NAME, ignored);
  const groups = allowAll ? [] : pick(groupList, GROUP_NAME, ignored);
  return { ok: true, acl: { allowAll, users, groups, text }, ignored };
}

function pick(names: readonly string[], rule: RegExp, ignored: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (name === '') continue;
    if (rule.test(name)) out.push(name);
    else ignored.push(name);
  }
  return out;
}

/**
 * Configuration issues: every problem found in a queues.yaml is a value with a stable code, a path
 * into the document, the YAML position where it is known, and a message a person can act on.
 * Validation collects all of them; nothing here throws.
 */

/** The stable issue codes. Tests and tools match on these, never on message text. */
export const ISSUE_CODES = {
  // reading the text
  'yaml-syntax': 'the text is not valid YAML',
  'yaml-duplicate-key': 'a mapping has the same key twice',
  'yaml-multiple-documents': 'only the first YAML document is read',
  'config-empty': 'the configuration defines no partition',
  // structure (the schema)
  'unknown-key': 'a key that the format does not have',
  'wrong-type': 'a value of the wrong type',
  'removed-key': 'a key that YuniKorn no longer reads',
  // partitions
  'partition-duplicate': 'two partitions with the same name',
  'partition-no-queues': 'a partition without queues',
  // queues
  'queue-name-invalid': 'a queue name that breaks the naming rules',
  'queue-name-duplicate': 'two sibling queues with the same name',
  'root-resources': 'resources set on the root queue',
  'quantity-invalid': 'a resource quantity that cannot be parsed',
  'quantity-overflow': 'a resource quantity beyond 64 bits',
  'quantity-imprecise': 'a resource quantity beyond exact integer precision',
  'resource-cpu-key': 'a cpu resource where vcore is meant',
  'guaranteed-above-max': 'guaranteed resources above the queue maximum',
  'max-above-parent-max': 'a queue maximum above an ancestor maximum',
  'children-guaranteed-above-guaranteed': 'children guaranteed more than their parent',
  'children-guaranteed-above-max': 'children guaranteed more than their parent maximum',
  'maxapps-above-parent': 'a queue allows more applications than its parent',
  'maxapps-unset-under-limited-parent': 'an unlimited queue under a parent with maxapplications',
  'acl-invalid': 'an ACL that cannot be parsed',
  'acl-entry-ignored': 'an ACL entry that is not a valid user or group name',
  'child-template-on-leaf': 'a child template on a queue that cannot have children',
  'property-value-invalid': 'a queue property value that falls back to its default',
  'property-key-unknown': 'a queue property that looks like a misspelt known property',
  // placement rules
  'rule-name-invalid': 'a placement rule name that is not an identifier',
  'rule-unknown': 'a placement rule that does not exist',
  'rule-value-missing': 'a fixed or tag rule without a value',
  'rule-value-ignored': 'a value on a rule that does not read it',
  'filter-type-invalid': 'a filter type other than allow or deny',
  'filter-users-invalid': 'a single filter user that is neither a name nor a regular expression',
  'filter-groups-invalid': 'a single filter group that is neither a name nor a regular expression',
  'filter-entry-ignored': 'a filter list entry that is not a valid name',
  'rule-fixed-qualified-not-first': 'a fully qualified fixed rule that is not the first of its chain',
  'rule-queue-not-leaf': 'a rule that places applications in a parent queue',
  'rule-queue-not-parent': 'a rule that creates queues below a leaf',
  'rule-queue-missing': 'a rule that references a missing queue without create',
  // limits
  'limit-no-users-or-groups': 'a limit without users or groups',
  'limit-user-invalid': 'a limit user name that breaks the naming rules',
  'limit-group-invalid': 'a limit group name that breaks the naming rules',
  'limit-user-duplicate': 'a user named in two limits of one queue',
  'limit-group-duplicate': 'a group named in two limits of one queue',
  'limit-user-after-wildcard': 'a named user limit after the wildcard user limit',
  'limit-group-after-wildcard': 'a named group limit after the wildcard group limit',
  'limit-wildcard-group-only': 'a wildcard group limit without any named group limit',
  'limit-maxresources-zero': 'a limit whose maxresources are all zero',
  'limit-empty': 'a limit with neither maxresources nor maxapplications',
  'limit-maxapps-above-queue': 'a limit allowing more applications than its queue',
  'limit-maxresources-above-queue': 'a limit allowing more resources than its queue maximum',
  'limit-maxresources-above-parent': 'a limit above the same user or group limit of an ancestor',
  'limit-maxapps-above-parent': 'a limit allowing more applications than an ancestor limit',
  'limit-above-distant-ancestor': 'a limit above an ancestor limit that YuniKorn does not compare',
  // partition settings
  'node-sort-policy-invalid': 'a node sort policy other than fair or binpacking',
  'node-sort-weight-negative': 'a negative node sort resource weight',
  'user-group-resolver-unknown': 'a user group resolver type that does not exist',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;
export type Severity = 'error' | 'warning';

/** One segment of a path: a mapping key or a sequence index. */
export type PathSegment = string | number;
export type DocPath = readonly PathSegment[];

export interface ConfigIssue {
  readonly severity: Severity;
  readonly code: IssueCode;
  /** Where in the document: `partitions[0].queues[1].resources.max.memory`; '' for the whole document. */
  readonly path: string;
  /** 1-based line and column of the offending YAML node, when known. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/** An issue before its position in the text is looked up. */
export interface PendingIssue {
  readonly severity: Severity;
  readonly code: IssueCode;
  readonly at: DocPath;
  /** Point at the key rather than the value (unknown keys, duplicates). */
  readonly onKey?: boolean;
  readonly message: string;
}

export function error(code: IssueCode, at: DocPath, message: string, onKey = false): PendingIssue {
  return { severity: 'error', code, at, message, onKey };
}

export function warning(code: IssueCode, at: DocPath, message: string, onKey = false): PendingIssue {
  return { severity: 'warning', code, at, message, onKey };
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['partitions', 0, 'queues', 1, 'properties', 'a.b']` -> `partitions[0].queues[1].properties["a.b"]` */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (SIMPLE_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function hasErrors(issues: readonly { readonly severity: Severity }[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

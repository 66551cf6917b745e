/**
 * Configuration issues: every problem found in a queues.yaml is a value with a stable code, a path
 * into the document, the YAML position where it is known, and a message a person can act on.
 * Validation collects all of them; nothing here throws.
 */

/**
 * The stable issue codes, each with its one severity. Tests and tools match on codes, never on
 * message text. An error makes the configuration invalid; a warning points at something that loads
 * but probably does not do what its author meant.
 */
export const ISSUE_CODES = {
  // reading the text
  'yaml-syntax': { severity: 'error', summary: 'the text is not valid YAML' },
  'yaml-duplicate-key': { severity: 'error', summary: 'a mapping has the same key twice' },
  'yaml-multiple-documents': { severity: 'warning', summary: 'only the first YAML document is read' },
  'config-empty': { severity: 'warning', summary: 'the configuration defines no partition' },
  // structure (the schema)
  'unknown-key': { severity: 'error', summary: 'a key that the format does not have' },
  'wrong-type': { severity: 'error', summary: 'a value of the wrong type' },
  'removed-key': { severity: 'error', summary: 'a key that YuniKorn no longer reads' },
  // partitions
  'partition-duplicate': { severity: 'error', summary: 'two partitions with the same name' },
  'partition-no-queues': { severity: 'error', summary: 'a partition without queues' },
  // queues
  'queue-name-invalid': { severity: 'error', summary: 'a queue name that breaks the naming rules' },
  'queue-name-duplicate': { severity: 'error', summary: 'two sibling queues with the same name' },
  'root-resources': { severity: 'error', summary: 'resources set on the root queue' },
  'quantity-invalid': { severity: 'error', summary: 'a resource quantity that cannot be parsed' },
  'quantity-overflow': { severity: 'error', summary: 'a resource quantity beyond 64 bits' },
  'quantity-imprecise': { severity: 'warning', summary: 'a resource quantity beyond exact integer precision' },
  'resource-cpu-key': { severity: 'warning', summary: 'a cpu resource where vcore is meant' },
  'guaranteed-above-max': { severity: 'error', summary: 'guaranteed resources above the queue maximum' },
  'max-above-parent-max': { severity: 'error', summary: 'a queue maximum above an ancestor maximum' },
  'children-guaranteed-above-guaranteed': { severity: 'error', summary: 'children guaranteed more than their parent' },
  'children-guaranteed-above-max': { severity: 'error', summary: 'children guaranteed more than their parent maximum' },
  'maxapps-above-parent': { severity: 'error', summary: 'a queue allows more applications than its parent' },
  'maxapps-unset-under-limited-parent': { severity: 'error', summary: 'an unlimited queue under a parent with maxapplications' },
  'acl-invalid': { severity: 'error', summary: 'an ACL that cannot be parsed' },
  'acl-entry-ignored': { severity: 'warning', summary: 'an ACL entry that is not a valid user or group name' },
  'child-template-on-leaf': { severity: 'warning', summary: 'a child template on a queue that cannot have children' },
  'property-value-invalid': { severity: 'warning', summary: 'a queue property value that falls back to its default' },
  'property-key-unknown': { severity: 'warning', summary: 'a queue property that looks like a misspelt known property' },
  // placement rules
  'rule-name-invalid': { severity: 'error', summary: 'a placement rule name that is not an identifier' },
  'rule-unknown': { severity: 'warning', summary: 'a placement rule that does not exist' },
  'rule-value-missing': { severity: 'warning', summary: 'a fixed or tag rule without a value' },
  'rule-value-ignored': { severity: 'warning', summary: 'a value on a rule that does not read it' },
  'filter-type-invalid': { severity: 'error', summary: 'a filter type other than allow or deny' },
  'filter-users-invalid': { severity: 'error', summary: 'a single filter user that is neither a name nor a regular expression' },
  'filter-groups-invalid': { severity: 'error', summary: 'a single filter group that is neither a name nor a regular expression' },
  'filter-entry-ignored': { severity: 'warning', summary: 'a filter list entry that is not a valid name' },
  'rule-fixed-qualified-not-first': { severity: 'error', summary: 'a fully qualified fixed rule that is not the first of its chain' },
  'rule-queue-not-leaf': { severity: 'error', summary: 'a rule that places applications in a parent queue' },
  'rule-queue-not-parent': { severity: 'error', summary: 'a rule that creates queues below a leaf' },
  'rule-queue-missing': { severity: 'error', summary: 'a rule that references a missing queue without create' },
  // limits
  'limit-no-users-or-groups': { severity: 'error', summary: 'a limit without users or groups' },
  'limit-user-invalid': { severity: 'error', summary: 'a limit user name that breaks the naming rules' },
  'limit-group-invalid': { severity: 'error', summary: 'a limit group name that breaks the naming rules' },
  'limit-user-duplicate': { severity: 'error', summary: 'a user named in two limits of one queue' },
  'limit-group-duplicate': { severity: 'error', summary: 'a group named in two limits of one queue' },
  'limit-user-after-wildcard': { severity: 'error', summary: 'a named user limit after the wildcard user limit' },
  'limit-group-after-wildcard': { severity: 'error', summary: 'a named group limit after the wildcard group limit' },
  'limit-wildcard-group-only': { severity: 'error', summary: 'a wildcard group limit without any named group limit' },
  'limit-maxresources-zero': { severity: 'error', summary: 'a limit whose maxresources are all zero' },
  'limit-empty': { severity: 'error', summary: 'a limit with neither maxresources nor maxapplications' },
  'limit-maxapps-above-queue': { severity: 'error', summary: 'a limit allowing more applications than its queue' },
  'limit-maxresources-above-queue': { severity: 'error', summary: 'a limit allowing more resources than its queue maximum' },
  'limit-maxresources-above-parent': { severity: 'error', summary: 'a limit above the same user or group limit of an ancestor' },
  'limit-maxapps-above-parent': { severity: 'error', summary: 'a limit allowing more applications than an ancestor limit' },
  'limit-above-distant-ancestor': { severity: 'warning', summary: 'a limit above an ancestor limit that YuniKorn does not compare' },
  // partition settings
  'node-sort-policy-invalid': { severity: 'error', summary: 'a node sort policy other than fair or binpacking' },
  'node-sort-weight-negative': { severity: 'error', summary: 'a negative node sort resource weight' },
  'user-group-resolver-unknown': { severity: 'warning', summary: 'a user group resolver type that does not exist' },
} as const satisfies Record<string, { readonly severity: Severity; readonly summary: string }>;

export type Severity = 'error' | 'warning';
export type IssueCode = keyof typeof ISSUE_CODES;
export type ErrorCode = { [K in IssueCode]: (typeof ISSUE_CODES)[K]['severity'] extends 'error' ? K : never }[IssueCode];
export type WarningCode = Exclude<IssueCode, ErrorCode>;

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
  /** A position known without a path (syntax errors). */
  readonly pos?: { readonly line: number; readonly column: number };
  readonly message: string;
}

export function error(code: ErrorCode, at: DocPath, message: string, onKey = false): PendingIssue {
  return { severity: 'error', code, at, message, onKey };
}

export function warning(code: WarningCode, at: DocPath, message: string, onKey = false): PendingIssue {
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

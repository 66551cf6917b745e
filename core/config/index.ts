/**
 * The configuration module: load and validate a YuniKorn-compatible queues.yaml.
 */
export { loadConfig } from './load.js';
export type { LoadResult } from './load.js';
export { DEFAULT_QUEUES_YAML } from './default.js';
export { ISSUE_CODES, formatPath, hasErrors } from './issues.js';
export type { ConfigIssue, IssueCode, Severity } from './issues.js';
export type * from './model.js';
export { RULE_NAMES, NODE_SORT_POLICIES, USER_GROUP_RESOLVERS } from './model.js';
export { PROPERTY_READERS, parseGoDuration } from './properties.js';
export { configChecksum } from './checksum.js';

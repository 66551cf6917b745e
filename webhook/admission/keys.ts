/**
 * The label and annotation names the admission decision reads and writes, spelt exactly as YuniKorn
 * spells them so that pods, workloads and tooling move between YuniKorn and drover unchanged, plus
 * the few names that are drover's own (its pods' `app` label, the prefix of generated ids).
 */

const DOMAIN = 'yunikorn.apache.org/';

/** Pod labels. The canonical names carry the domain; the legacy names are what YuniKorn read before 1.6. */
export const LABEL = {
  appId: `${DOMAIN}app-id`,
  legacyAppId: 'applicationId',
  sparkAppId: 'spark-app-selector',
  queue: `${DOMAIN}queue`,
  legacyQueue: 'queue',
  /** `app: drover` marks drover's own pods, which are never redirected to drover. */
  app: 'app',
} as const;

/** Pod (and pod template) annotations. */
export const ANNOTATION = {
  appId: `${DOMAIN}app-id`,
  queue: `${DOMAIN}queue`,
  /** JSON `{"user":"...","groups":[...]}`: who submitted the pod; quotas and ACLs are checked against it. */
  userInfo: `${DOMAIN}user.info`,
  /** "true" or "false": may the scheduler preempt this pod. Seeded from the PriorityClass. */
  allowPreemption: `${DOMAIN}allow-preemption`,
  /** Set to "true" on pods of namespaces that are processed but not labelled. */
  ignoreApplication: `${DOMAIN}ignore-application`,
} as const;

/** Namespace annotations that override the regular-expression filters for one namespace. */
export const NAMESPACE_ANNOTATION = {
  enableYuniKorn: `${DOMAIN}namespace.enableYuniKorn`,
  generateAppId: `${DOMAIN}namespace.generateAppId`,
} as const;

/** The `app` label value of drover's own pods (YuniKorn skips `app: yunikorn` the same way). */
export const OWN_APP_LABEL_VALUE = 'drover';

/**
 * Generated application ids: `yunikorn-<namespace>-autogen`, YuniKorn's own spelling, so that pods
 * admitted by YuniKorn and by drover in one namespace form one application during a migration, and
 * scripts that look for these ids keep working (docs/admission.md, "Generated application ids").
 * The shim generates ids the same way for pods that reach it without one.
 */
export const AUTO_GEN_APP_PREFIX = 'yunikorn';
export const AUTO_GEN_APP_SUFFIX = 'autogen';
/**
 * A unique id for a pod that has no uid yet (the API server assigns it after admission) ends in this
 * suffix; the shim replaces it with `-<pod uid>`, exactly as YuniKorn's shim does.
 */
export const UNIQUE_AUTO_GEN_SUFFIX = '-uniqueautogen';

/** The scheduler name drover writes unless configured otherwise. */
export const DEFAULT_SCHEDULER_NAME = 'drover';

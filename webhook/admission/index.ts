/**
 * The admission decision of drover's mutating webhook, pure: given a pod or workload, its namespace,
 * the settings and the requesting user, decide whether drover takes it and what it must carry, as a
 * value with an RFC 6902 patch. No I/O: the HTTPS webhook server and `drover simulate` both call it.
 */
export { decidePod } from './decide-pod.js';
export type { PodInput } from './decide-pod.js';
export { decideWorkload, isWorkloadKind, WORKLOAD_TEMPLATES } from './decide-workload.js';
export type { WorkloadInput, WorkloadKind } from './decide-workload.js';
export { admissionOutcome, DENY_CODES, SKIP_CODES } from './decision.js';
export type { AdmissionOutcome, Deny, DenyCode, PodDecision, PodMutation, Skip, SkipCode, WorkloadDecision, WorkloadMutation } from './decision.js';
export { admissionSettings, ADMISSION_KEYS, DEFAULT_ADMISSION_SETTINGS, parseApplicationLabels, SETTINGS_PROBLEM_CODES } from './settings.js';
export type { AdmissionSettings, Pattern, Patterns, SettingsProblem, SettingsProblemCode, SettingsResult } from './settings.js';
export { DEFAULT_APPLICATION_LABELS, engineApplicationId, ENGINES, findEngineApplicationId, formatApplicationLabel, roleOf, ROLES } from './engines.js';
export type { ApplicationLabel, Engine, Guard, Role } from './engines.js';
export { APP_ID_SOURCES, findApplicationId, findQueue, generateApplicationId } from './app-id.js';
export type { AppId, AppIdSource } from './app-id.js';
export type { JsonPatchOp, PatchValue } from './json-patch.js';
export type { NamespaceInput, TriState } from './namespace-filter.js';
export type { PriorityClassInput } from './preemption.js';
export type { RequestUser } from './user-info.js';
export { ANNOTATION, AUTO_GEN_APP_PREFIX, AUTO_GEN_APP_SUFFIX, DEFAULT_SCHEDULER_NAME, LABEL, NAMESPACE_ANNOTATION, OWN_APP_LABEL_VALUE, UNIQUE_AUTO_GEN_SUFFIX } from './keys.js';

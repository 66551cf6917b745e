/**
 * The webhook server: the HTTPS application around the pure admission decision (`../admission`),
 * AdmissionReview parsing, ConfigMap validation, admission metrics and certificates. `bin/drover webhook` wires it.
 */
export { createWebhookApp, DEFAULT_BODY_LIMIT_BYTES, statusBody } from './app.js';
export type { WebhookDeps } from './app.js';
export { DEFAULT_CONFIG_MAP_NAMES, formatIssue, QUEUES_KEY, validateConfigMap } from './config-validation.js';
export type { MergeContext, ValidationResult } from './config-validation.js';
export { allNames, CONFIG_MAP_ROLES, DEFAULT_CONFIG_MAPS, mergeData, pairInForce, roleOf } from './config-maps.js';
export type { ConfigData, ConfigMapNames, ConfigMapRole, ConfigMapView, Pair } from './config-maps.js';
export { ADMISSION_BUCKETS_SECONDS, ADMISSION_KINDS, ADMISSION_METRIC_NAMES, ADMISSION_OUTCOMES, createAdmissionMetrics, kindLabel, operationLabel } from './metrics.js';
export type { AdmissionLabels, AdmissionMetrics, AdmissionOutcome } from './metrics.js';
export { mutate, NO_LOOKUPS } from './mutate.js';
export type { ClusterLookups, MutateResult } from './mutate.js';
export { ADMISSION_API_VERSION, ADMISSION_KIND, OPERATIONS, readAdmissionReview, REVIEW_PROBLEM_CODES, reviewResponse } from './review.js';
export type { AdmissionRequest, AdmissionReviewResponse, Operation, ReviewAnswer, ReviewProblemCode, ReviewRead } from './review.js';
export { listen } from './server.js';
export type { ListenOptions, RunningServer } from './server.js';
export { caBundle, generateCertificates, loadCertificates, MIN_TLS_VERSION, serviceDnsNames, tlsOptions } from '../../tls/certificates.js';
export type { CertificateSummary, GenerateOptions, ServingCertificate } from '../../tls/certificates.js';

/**
 * AdmissionReview v1 at the edge: the request body as the API server sends it, checked and turned into
 * a typed request, and the response document built from an outcome. An envelope that is not an
 * AdmissionReview v1 with a request uid cannot be answered with one (there is no uid to echo), so it is
 * an `envelope` problem the server answers with a 400; a well-formed envelope whose request is odd
 * (a user that is not a string, an operation that does not exist) is a `request` problem answered with
 * a well-formed AdmissionReview that refuses the object.
 */
import type { JsonPatchOp } from '../admission/index.js';
import type { RequestUser } from '../admission/index.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';

export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The group/version/kind of the object under review (request.kind). */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  /** request.namespace; '' for cluster-scoped objects (and sometimes omitted). */
  readonly namespace: string;
  /** request.name; '' on CREATE with generateName. */
  readonly name: string;
  readonly operation: Operation;
  readonly user: RequestUser;
  /** request.object and request.oldObject, unchecked: the decisions check what they read. */
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly dryRun: boolean;
}

export const REVIEW_PROBLEM_CODES = {
  'not-an-object': 'the body is not a JSON object',
  'wrong-api-version': `apiVersion is not ${ADMISSION_API_VERSION}`,
  'wrong-kind': `kind is not ${ADMISSION_KIND}`,
  'no-request': 'the review has no request object',
  'no-uid': 'request.uid is missing or not a non-empty string',
  'bad-request-field': 'a field of the request is not of the type Kubernetes sends',
} as const;
export type ReviewProblemCode = keyof typeof REVIEW_PROBLEM_CODES;

export type ReviewRead =
  | { readonly ok: true; readonly request: AdmissionRequest }
  /** Not an AdmissionReview v1 that names a uid: answer 400. */
  | { readonly ok: false; readonly scope: 'envelope'; readonly code: ReviewProblemCode; readonly message: string }
  /** An AdmissionReview with a uid whose request is odd: answer with a refusal. */
  | { readonly ok: false; readonly scope: 'request'; readonly uid: string; readonly code: ReviewProblemCode; readonly message: string };

type Obj = { readonly [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Kubernetes uids are short; the bound keeps a hostile one out of logs and responses. */
const MAX_UID_LENGTH = 128;

export function readAdmissionReview(body: unknown): ReviewRead {
  const envelope = (code: ReviewProblemCode, message: string): ReviewRead => ({ ok: false, scope: 'envelope', code, message });
  if (!isObj(body)) return envelope('not-an-object', `the body must be an ${ADMISSION_KIND} object, not ${describe(body)}`);
  const apiVersion = own(body, 'apiVersion');
  if (apiVersion !== ADMISSION_API_VERSION) {
    return envelope('wrong-api-version', `apiVersion must be ${ADMISSION_API_VERSION}, not ${show(apiVersion)} (register the webhook with admissionReviewVersions: [v1])`);
  }
  const kind = own(body, 'kind');
  if (kind !== ADMISSION_KIND) return envelope('wrong-kind', `kind must be ${ADMISSION_KIND}, not ${show(kind)}`);
  const request = own(body, 'request');
  if (!isObj(request)) return envelope('no-request', `request must be an object, not ${describe(request)}`);
  const uid = own(request, 'uid');
  if (typeof uid !== 'string' || uid === '' || uid.length > MAX_UID_LENGTH) return envelope('no-uid', `request.uid must be a string of 1 to ${MAX_UID_LENGTH} characters, not ${show(uid)}`);

  const bad = (message: string): ReviewRead => ({ ok: false, scope: 'request', uid, code: 'bad-request-field', message });
  const gvk = own(request, 'kind');
  if (!isObj(gvk)) return bad(`request.kind must be an object, not ${describe(gvk)}`);
  const group = optionalString(own(gvk, 'group'));
  const version = optionalString(own(gvk, 'version'));
  const kindName = own(gvk, 'kind');
  if (group === null || version === null || typeof kindName !== 'string' || kindName === '') return bad('request.kind must have string group and version and a non-empty kind');
  const operation = own(request, 'operation');
  if (!isOperation(operation)) return bad(`request.operation must be one of ${OPERATIONS.join(', ')}, not ${show(operation)}`);
  const namespace = optionalString(own(request, 'namespace'));
  if (namespace === null) return bad('request.namespace must be a string');
  const name = optionalString(own(request, 'name'));
  if (name === null) return bad('request.name must be a string');
  const user = readUser(own(request, 'userInfo'));
  if (user === null) return bad('request.userInfo must carry a string username and a list of string groups');
  const dryRun = own(request, 'dryRun');
  return {
    ok: true,
    request: {
      uid,
      kind: { group, version, kind: kindName },
      namespace,
      name,
      operation,
      user,
      object: own(request, 'object'),
      oldObject: own(request, 'oldObject'),
      dryRun: dryRun === true,
    },
  };
}

function isOperation(v: unknown): v is Operation {
  return typeof v === 'string' && (OPERATIONS as readonly string[]).includes(v);
}

/** A string, or '' for absent/null; null for anything else. */
function optionalString(v: unknown): string | null {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : null;
}

function readUser(v: unknown): RequestUser | null {
  if (!isObj(v)) return null;
  const username = optionalString(own(v, 'username'));
  const groups = own(v, 'groups');
  if (username === null) return null;
  if (groups === undefined || groups === null) return { username, groups: [] };
  if (!Array.isArray(groups) || !groups.every((g): g is string => typeof g === 'string')) return null;
  return { username, groups };
}

/** What a response says about the object. */
export interface ReviewAnswer {
  readonly allowed: boolean;
  /** For refusals: the status message shown to the submitter. */
  readonly message?: string | null;
  /** The HTTP-like status code in response.status (403 for a policy refusal, 400 for a malformed object). */
  readonly statusCode?: number;
  readonly patch?: readonly JsonPatchOp[];
  /** Shown by kubectl as "Warning: ..." (API server 1.19 and later). */
  readonly warnings?: readonly string[];
}

export interface AdmissionReviewResponse {
  readonly apiVersion: typeof ADMISSION_API_VERSION;
  readonly kind: typeof ADMISSION_KIND;
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: { readonly code: number; readonly message: string };
    readonly patchType?: 'JSONPatch';
    /** base64 of the JSON text of the RFC 6902 operations. */
    readonly patch?: string;
    readonly warnings?: readonly string[];
  };
}

export function reviewResponse(uid: string, answer: ReviewAnswer): AdmissionReviewResponse {
  const patch = answer.patch ?? [];
  const warnings = answer.warnings ?? [];
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: ADMISSION_KIND,
    response: {
      uid,
      allowed: answer.allowed,
      ...(answer.allowed || answer.message == null ? {} : { status: { code: answer.statusCode ?? 403, message: answer.message } }),
      ...(answer.allowed && patch.length > 0 ? { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A value for a message: short, and never a whole object someone sent. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === undefined ? 'missing' : describe(v);
}

/**
 * The user info annotation and its trust model. drover records who submitted a pod (or the workload
 * that stamps it) as `yunikorn.apache.org/user.info`; the scheduler applies queue ACLs and limits to
 * that user. A submitter may write the annotation themselves only when trusted: a controller
 * (systemUsers, when trustControllers is on) passing on the user of the workload it acts for, or a
 * configured externalUsers / externalGroups member. Anyone else who sets it is refused, so that no one
 * can run as somebody else. With bypassAuth the annotation is neither checked nor written.
 */
import { ANNOTATION } from './keys.js';
import type { StringMap } from './object.js';
import { isObject } from './object.js';
import type { AdmissionSettings } from './settings.js';
import { matchesAny } from './settings.js';

/** The requesting user, as the API server authenticated it (AdmissionReview request.userInfo). */
export interface RequestUser {
  readonly username: string;
  readonly groups: readonly string[];
}

/** What to do about the annotation on a new object. */
export type UserInfoStep =
  | { readonly kind: 'write'; readonly value: string }
  | { readonly kind: 'keep' }
  | { readonly kind: 'deny'; readonly code: 'user-info-not-allowed' | 'user-info-invalid'; readonly message: string };

/**
 * Decide about the annotation of a pod or pod template being created: write it when absent, keep it
 * when a trusted submitter set a readable value, refuse otherwise. A present but empty value counts as
 * set (and is refused as unreadable), as in YuniKorn.
 */
export function userInfoStep(annotations: StringMap, user: RequestUser, settings: AdmissionSettings): UserInfoStep {
  if (settings.bypassAuth) return { kind: 'keep' };
  const provided = annotations.get(ANNOTATION.userInfo);
  if (provided === undefined) return { kind: 'write', value: encodeUserInfo(user) };
  if (!mayProvideUserInfo(user, settings)) {
    return { kind: 'deny', code: 'user-info-not-allowed', message: `user ${user.username} with groups [${user.groups.join(',')}] is not allowed to set user annotation` };
  }
  const problem = userInfoProblem(provided);
  if (problem !== null) return { kind: 'deny', code: 'user-info-invalid', message: `the ${ANNOTATION.userInfo} annotation is not readable: ${problem}` };
  return { kind: 'keep' };
}

/** May this submitter set the annotation themselves? */
export function mayProvideUserInfo(user: RequestUser, settings: AdmissionSettings): boolean {
  if (settings.trustControllers && matchesAny(settings.systemUsers, user.username)) return true;
  if (matchesAny(settings.externalUsers, user.username)) return true;
  return user.groups.some((group) => matchesAny(settings.externalGroups, group));
}

/**
 * Why a provided value is unreadable, or null if the shim can read it. The rule is Go's json.Unmarshal
 * into YuniKorn's UserGroupInformation: an object (or null), whose `user` (matched without regard to
 * case, as Go matches field names) is a string or null and whose `groups` is an array of strings (or
 * nulls) or null; other members are ignored.
 */
export function userInfoProblem(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (parsed === null) return null;
  if (!isObject(parsed)) return `expected an object like {"user":"alice","groups":["dev"]}, found ${Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}`;
  for (const [key, value] of Object.entries(parsed)) {
    const field = key.toLowerCase();
    if (field === 'user' && value !== null && typeof value !== 'string') return `"${key}" must be a string`;
    if (field === 'groups' && value !== null && !(Array.isArray(value) && value.every((g) => g === null || typeof g === 'string'))) {
      return `"${key}" must be a list of strings`;
    }
  }
  return null;
}

const GO_HTML_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * The annotation value for a user, byte for byte what YuniKorn writes: Go's encoding/json of
 * UserGroupInformation, whose fields are `omitempty` (no `groups` member when there are none) and
 * which escapes <, >, & and the line separators U+2028 and U+2029.
 */
export function encodeUserInfo(user: RequestUser): string {
  const body: { user?: string; groups?: readonly string[] } = {};
  if (user.username !== '') body.user = user.username;
  if (user.groups.length > 0) body.groups = user.groups;
  return JSON.stringify(body).replace(/[<>&\u2028\u2029]/g, (c) => GO_HTML_ESCAPES[c] ?? c);
}

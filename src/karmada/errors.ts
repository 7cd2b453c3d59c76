// Errors from the Karmada API server, with the context a reader needs (verb, resource, HTTP status and the
// Kubernetes Status reason) and never a credential. Predicates mirror k8s.io/apimachinery/pkg/api/errors
// (IsNotFound, IsConflict, IsForbidden), which branch on the Status reason and fall back to the HTTP code.

export interface KarmadaApiErrorInit {
  /** Kubernetes verb: get, list, create, update, patch. */
  verb: string;
  /** `group/version/resource ns/name[/subresource]`, e.g. `apps/v1/deployments default/web/scale`. */
  resource: string;
  /** HTTP status; 0 when no response arrived (network error or timeout). */
  status: number;
  /** Status reason (NotFound, Conflict, ...), or Timeout / NetworkError / InvalidResponse. */
  reason: string;
  /** The server's message, or what went wrong on our side. */
  message: string;
  /** How many requests were sent before giving up. */
  attempts?: number;
  /** Status.details.causes[].field when the server named fields (422 Invalid). */
  fields?: string[];
  /** Status.details.name: set when the server said which object it could not find. */
  objectName?: string;
}

export class KarmadaApiError extends Error {
  readonly verb: string;
  readonly resource: string;
  readonly status: number;
  readonly reason: string;
  readonly detail: string;
  readonly attempts: number;
  readonly fields: string[];
  readonly objectName: string | undefined;

  constructor(init: KarmadaApiErrorInit) {
    const tries = (init.attempts ?? 1) > 1 ? ` (after ${init.attempts} attempts)` : '';
    const code = init.status > 0 ? `${init.status} ` : '';
    super(`${init.verb} ${init.resource}: ${code}${init.reason}: ${init.message}${tries}`);
    this.name = 'KarmadaApiError';
    this.verb = init.verb;
    this.resource = init.resource;
    this.status = init.status;
    this.reason = init.reason;
    this.detail = init.message;
    this.attempts = init.attempts ?? 1;
    this.fields = init.fields ?? [];
    this.objectName = init.objectName;
  }
}

/** A write lost a resourceVersion race (409 Conflict): the object changed since it was read. */
export class ConflictError extends KarmadaApiError {
  constructor(init: KarmadaApiErrorInit) {
    super(init);
    this.name = 'ConflictError';
  }
}

/**
 * A problem found in what the API server returned, not in the call itself: the target has no
 * ResourceBinding, no Ready cluster, an object metric with several values. `reason` is the upstream
 * condition reason where Karmada has one (FailedGetBinding, FailedGetTargetClusters, ...).
 */
export class KarmadaStateError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** Retrying cannot help (isPermanent): e.g. a member refusing fhpa's reads. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'KarmadaStateError';
  }
}

export function apiError(init: KarmadaApiErrorInit): KarmadaApiError {
  return init.status === 409 && init.reason !== 'AlreadyExists'
    ? new ConflictError(init)
    : new KarmadaApiError(init);
}

const is = (err: unknown, reason: string, code: number): boolean =>
  err instanceof KarmadaApiError &&
  (err.reason === reason || (err.status === code && !knownReason(err.reason)));

// A non-standard reason on a standard code still counts, as apimachinery's ReasonForError + code fallback.
const knownReason = (reason: string) =>
  ['NotFound', 'Conflict', 'Forbidden', 'AlreadyExists', 'Gone'].includes(reason);

export const isNotFound = (err: unknown): boolean => is(err, 'NotFound', 404);
export const isConflict = (err: unknown): boolean => err instanceof ConflictError || is(err, 'Conflict', 409);
export const isForbidden = (err: unknown): boolean => is(err, 'Forbidden', 403);
export const isAlreadyExists = (err: unknown): boolean => is(err, 'AlreadyExists', 409);
/** No answer, throttled, or a server error: the same request may succeed later (a 4xx other than 429 will not). */
export const isTransient = (err: unknown): boolean =>
  err instanceof KarmadaApiError &&
  ((err.status === 0 && err.reason !== 'TLSVerificationFailed') || err.status === 429 || err.status >= 500);
/**
 * Retrying cannot help: fhpa is misconfigured towards Karmada, and only its operator can fix it. The server's
 * certificate failed verification (reason TLSVerificationFailed), the credentials were refused (401) or lack
 * the RBAC (403), or the resource type itself is missing (a 404 naming no object: the API server's answer for
 * a CRD that is not installed, where a missing object's NotFound carries details.name), or the request was
 * refused as it stands (refusedForGood). Such failures are
 * answered 4xx to Alertmanager (which then stops retrying) and logged at error, not retried forever.
 */
export const isPermanent = (err: unknown): boolean =>
  (err instanceof KarmadaStateError && err.permanent) ||
  (err instanceof KarmadaApiError &&
    (err.reason === 'TLSVerificationFailed' ||
      err.status === 401 ||
      err.status === 403 ||
      (err.status === 404 && err.objectName === undefined) ||
      refusedForGood(err.status)));

/**
 * Any other refusal of the request itself (400, 413, 414, 422, 431 …: the same request gets the same answer), so
 * Alertmanager is not told to retry it forever (issue 18). Not: 404 of an object (not-found), 408 (the server
 * timed out), 409 (handled as a conflict), 410 (an expired list, re-listed), 429 (throttled).
 */
const refusedForGood = (status: number): boolean =>
  status >= 400 && status < 500 && ![404, 408, 409, 410, 429].includes(status);

/** Whether an evaluation that failed with `err` may succeed when run again (not permanent, not absent). */
export const mayRetry = (err: unknown): boolean => !isPermanent(err) && !isNotFound(err);

/** 410: a list `continue` token that expired (apimachinery IsResourceExpired / IsGone). */
export const isExpired = (err: unknown): boolean =>
  err instanceof KarmadaApiError && (err.status === 410 || err.reason === 'Expired' || err.reason === 'Gone');

/** Replaces every occurrence of each secret with `[redacted]` (defence in depth for error and log text). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

import type { Attributes } from './rbac.ts';

// Kubernetes `Status` failure bodies, with the reasons, codes and message texts of
// k8s.io/apimachinery/pkg/api/errors/errors.go (NewNotFound, NewConflict, NewInvalid, ...), so a client
// that branches on `reason` or parses `details` sees what a real API server sends.

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  // metav1.StatusReasonUnknown: an error the API server got as a plain error (ErrorToAPIStatus), e.g. a proxy's.
  | '';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** As upstream: the resource (plural), not the Kind, for errors raised by the REST layer. */
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failure the REST layer turns into a `Status` response; thrown by the store and the routes. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  body(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What an error is about: the resource (plural), its API group ('' for core) and the object name. */
export interface Subject {
  resource: string;
  group: string;
  name?: string;
}

// errors.go qualifies the resource with its group: `deployments.apps "x" not found`, `pods "x" ...`.
const qualified = (s: Subject) => (s.group ? `${s.resource}.${s.group}` : s.resource);
const details = (s: Subject, extra?: Partial<StatusDetails>): StatusDetails => ({
  ...(s.name !== undefined ? { name: s.name } : {}),
  group: s.group,
  kind: s.resource,
  ...extra,
});

export const notFound = (s: Subject) =>
  new StatusError(404, 'NotFound', `${qualified(s)} "${s.name ?? ''}" not found`, details(s));

/** A path no handler serves (the API server's NotFound handler, genericapiserver/handlers). */
export const pathNotFound = () =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

export const alreadyExists = (s: Subject) =>
  new StatusError(409, 'AlreadyExists', `${qualified(s)} "${s.name ?? ''}" already exists`, details(s));

/** errors.go#NewConflict with the registry's optimistic-concurrency message (storage.ErrConflict). */
export const conflict = (s: Subject, why = OBJECT_MODIFIED) =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(s)} "${s.name ?? ''}": ${why}`,
    details(s),
  );
export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

/** errors.go#NewInvalid: `Kind.group "name" is invalid: field: message, ...`, one cause per field. */
export function invalid(s: Subject & { kind: string }, causes: StatusCause[]) {
  const group = s.group ? `.${s.group}` : '';
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new StatusError(422, 'Invalid', `${s.kind}${group} "${s.name ?? ''}" is invalid: ${list}`, {
    ...details(s),
    kind: s.kind,
    causes,
  });
}

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);

export const unauthorized = () => new StatusError(401, 'Unauthorized', 'Unauthorized');

/**
 * responsewriters.Forbidden: errors.NewForbidden over the request's group/resource and name, with
 * forbiddenMessage's wording (`cannot get resource "deployments/scale" in API group "apps" in the namespace
 * "default"`, or `cannot get path "/apis"` for a non-resource request).
 */
export function forbiddenRequest(a: Attributes, user: string) {
  if (!a.resourceRequest)
    return new StatusError(
      403,
      'Forbidden',
      `forbidden: User "${user}" cannot ${a.verb} path "${a.path}"`,
      {},
    );
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  const s = { resource: a.resource, group: a.apiGroup, ...(a.name ? { name: a.name } : {}) };
  const name = a.name ? ` "${a.name}"` : '';
  return new StatusError(
    403,
    'Forbidden',
    `${qualified(s)}${name} is forbidden: User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}"${scope}`,
    details(s),
  );
}

export const methodNotAllowed = (verb: string, what: string) =>
  new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on ${what}`);

export const unsupportedMediaType = (type: string, custom = false) =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${type}) - accepted media types include: application/json-patch+json, application/merge-patch+json${custom ? '' : ', application/strategic-merge-patch+json'}`,
  );

export const tooLarge = (limit: number) =>
  new StatusError(413, 'RequestEntityTooLarge', `the request body exceeds the limit of ${limit} bytes`);

export const tooManyRequests = (retryAfterSeconds: number) =>
  new StatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });

export const internalError = (message: string) =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);

export const serviceUnavailable = (message: string, retryAfterSeconds?: number) =>
  new StatusError(
    503,
    'ServiceUnavailable',
    message,
    retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
  );

/** The Status body a successful DELETE returns (registry/rest/delete.go with no object to return). */
export function successStatus(s: Subject, uid?: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: details(s, uid ? { uid } : {}),
  };
}

import { type Context, Hono } from 'hono';
import {
  ADMISSION_API_VERSION,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReviewResponse,
  admissionReviewRequestSchema,
} from '../api/admission-review.ts';
import { AUTOSCALING_GROUP, federatedHPASchema } from '../api/federatedhpa.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';
import { renderAggregate } from '../validation/field-error.ts';
import { checkTarget } from '../validation/one-per-target.ts';
import { VALIDATED_KINDS, type ValidatedKind, validateObject } from '../validation/validate-object.ts';
import { readJsonBody } from './json-body.ts';

// Validating admission webhooks for FederatedHPA and CronFederatedHPA, on Karmada's paths
// (artifacts/deploy/webhook-configuration.yaml): /validate-federatedhpa, /validate-cronfederatedhpa, and
// /validate for either kind. AdmissionReview v1 in and out. A refusal is what controller-runtime's
// admission.Denied(errs.ToAggregate().Error()) returns in Karmada: allowed false, status code 403, reason
// Forbidden, the aggregate message. Validation has no side effects, so a dryRun request gets the same
// answer, and the route reports nothing about it (onReview is not called).

export const DEFAULT_ADMISSION_MAX_BODY_BYTES = 1024 * 1024;

/** The webhook routes (the Node server can require the API server's client certificate on exactly these). */
export const ADMISSION_PATHS = ['/validate-federatedhpa', '/validate-cronfederatedhpa', '/validate'] as const;

export interface AdmissionOptions {
  maxBodyBytes?: number;
  /** The clock for warnings about schedules that never fire. */
  now?: () => number;
  /**
   * One autoscaler per target: read Karmada (the other FederatedHPAs of the namespace, the target and its
   * binding) within timeoutMs. Absent: the spec alone is checked (offline tests, `fhpa validate`).
   */
  targets?: { karmada: () => KarmadaAdapter; timeoutMs: number };
  /** Told about every review that is not a dry run (metrics, audit logs). */
  onReview?: (request: AdmissionRequest, response: AdmissionResponse) => void;
}

const review = (response: AdmissionResponse): AdmissionReviewResponse => ({
  apiVersion: ADMISSION_API_VERSION,
  kind: 'AdmissionReview',
  response,
});

/** The kind a request is about, if it is one this route validates. */
function requestKind(req: AdmissionRequest, accept: readonly ValidatedKind[]): ValidatedKind | undefined {
  if (req.kind.group !== AUTOSCALING_GROUP) return undefined;
  return accept.find((k) => k === req.kind.kind);
}

export function decide(
  req: AdmissionRequest,
  accept: readonly ValidatedKind[],
  now: number,
): AdmissionResponse | string {
  const allowed: AdmissionResponse = { uid: req.uid, allowed: true, status: { code: 200 } };
  const kind = requestKind(req, accept);
  const creating = req.operation === 'CREATE' || req.operation === 'UPDATE';
  // The other fhpa kind on a kind-specific path means the webhook is registered wrongly: refusing it says so,
  // where letting it through would admit a spec nothing checked (issue 19).
  const misrouted = kind === undefined && requestKind(req, VALIDATED_KINDS);
  if (misrouted && creating) {
    return {
      uid: req.uid,
      allowed: false,
      status: {
        code: 403,
        reason: 'Forbidden',
        message: `this path validates ${accept.join(' and ')}, not ${misrouted}: register ${misrouted} with /validate-${misrouted.toLowerCase()} or /validate`,
      },
    };
  }
  // DELETE and CONNECT, and kinds this path does not validate, pass untouched.
  if (kind === undefined || (req.operation !== 'CREATE' && req.operation !== 'UPDATE')) return allowed;
  if (req.object === undefined || req.object === null)
    return `request.object is required for ${req.operation}`;
  // The API server sets metadata.namespace before admission; fill it from the request if a client did not.
  const obj = { ...req.object };
  const meta = obj.metadata;
  if (req.namespace && typeof meta === 'object' && meta !== null && !('namespace' in meta)) {
    obj.metadata = { ...meta, namespace: req.namespace };
  }
  const result = validateObject(kind, obj, { now });
  const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
  if (result.errors.length === 0) return { ...allowed, ...warnings };
  return {
    uid: req.uid,
    allowed: false,
    status: { code: 403, reason: 'Forbidden', message: renderAggregate(result.errors) },
    ...warnings,
  };
}

/** Adds the one-autoscaler-per-target check to an allowed FederatedHPA CREATE or UPDATE. */
async function withTargetCheck(
  req: AdmissionRequest,
  response: AdmissionResponse,
  targets: NonNullable<AdmissionOptions['targets']>,
): Promise<AdmissionResponse> {
  if (!response.allowed || req.kind.kind !== 'FederatedHPA') return response;
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return response;
  const parsed = federatedHPASchema.safeParse(req.object);
  if (!parsed.success) return response;
  const fhpa = parsed.data;
  fhpa.metadata.namespace ??= req.namespace;
  let karmada: KarmadaAdapter;
  try {
    karmada = targets.karmada();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return addWarnings(response, [
      `the one-autoscaler-per-target check was skipped (${why}); the spec was validated`,
    ]);
  }
  const checked = await checkTarget(karmada, fhpa, targets.timeoutMs);
  if (checked.errors.length === 0) return addWarnings(response, checked.warnings);
  return {
    ...addWarnings({ uid: response.uid, allowed: false }, [
      ...(response.warnings ?? []),
      ...checked.warnings,
    ]),
    status: { code: 403, reason: 'Forbidden', message: renderAggregate(checked.errors) },
  };
}

function addWarnings(response: AdmissionResponse, warnings: readonly string[]): AdmissionResponse {
  const all = [...(response.warnings ?? []), ...warnings];
  return all.length > 0 ? { ...response, warnings: all } : response;
}

export function admissionRoutes(opts: AdmissionOptions = {}): Hono {
  const app = new Hono();
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_ADMISSION_MAX_BODY_BYTES;
  const now = opts.now ?? Date.now;
  const handle = (accept: readonly ValidatedKind[]) => async (c: Context) => {
    const body = await readJsonBody(c, admissionReviewRequestSchema, { maxBytes });
    if (!body.ok) return body.response;
    const req = body.value.request;
    const decided = decide(req, accept, now());
    if (typeof decided === 'string') return c.json({ error: decided }, 400);
    const response = opts.targets ? await withTargetCheck(req, decided, opts.targets) : decided;
    if (req.dryRun !== true) opts.onReview?.(req, response);
    return c.json(review(response));
  };
  app.post(ADMISSION_PATHS[0], handle(['FederatedHPA']));
  app.post(ADMISSION_PATHS[1], handle(['CronFederatedHPA']));
  app.post(ADMISSION_PATHS[2], handle(['FederatedHPA', 'CronFederatedHPA']));
  return app;
}

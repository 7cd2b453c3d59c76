import { ADMISSION_API_VERSION, admissionReviewResponseSchema } from '../api/admission-review.ts';
import { renderAggregate } from '../validation/field-error.ts';
import { karmadaMutate, karmadaValidate } from '../validation/karmada-webhooks.ts';
import { StatusError } from './k8s-status.ts';
import type { KObject } from './object-store.ts';
import { apiVersionOf, FEDERATED_HPAS, type ResourceType } from './resources.ts';

// The FederatedHPA admission chain of the simulated Karmada API server, in the API server's order: mutating
// webhooks, then the object's schema (validation.ts, by the caller), then validating webhooks. Which webhooks
// are installed is SimulatorOptions.federatedHPAWebhooks:
//   'karmada' (default, a stock install): Karmada's mutating webhook `autoscaling.karmada.io` (defaults;
//     behavior rebuilt without `tolerance`) and validating webhook `federatedhpa.karmada.io` (refuses
//     External), as src/validation/karmada-webhooks.ts models them, then fhpa's if configured;
//   'fhpa': those two entries removed (README "Which install each feature needs"), fhpa's webhook alone.
// fhpa's webhook (SimulatorOptions.fhpaWebhookUrl) gets an AdmissionReview v1 over HTTP, as
// infra/karmada/validating-webhook.yaml registers it. Simplification: the setup helpers (applyFederatedHPA)
// run Karmada's webhooks but not fhpa's, which only a REST write reaches; webhooks are not called for /status.

export type FederatedHPAWebhooks = 'karmada' | 'fhpa';

export interface AdmissionConfig {
  federatedHPAWebhooks: FederatedHPAWebhooks;
  fhpaWebhookUrl?: string;
}

/** apiserver's webhook rejection (admission/plugin/webhook/errors ToStatusErr). */
const denied = (webhook: string, code: number, message: string) =>
  new StatusError(
    code,
    code === 403 ? 'Forbidden' : 'BadRequest',
    `admission webhook "${webhook}" denied the request: ${message}`,
  );

/** Karmada's two webhooks, synchronously: the object as stored, or a StatusError. */
export function karmadaAdmission(config: AdmissionConfig, t: ResourceType, obj: KObject): KObject {
  if (t !== FEDERATED_HPAS || config.federatedHPAWebhooks !== 'karmada') return obj;
  const mutated = karmadaMutate(obj);
  // An object off its schema: the API server's schema validation (after the mutating webhooks) answers 422.
  if ('errors' in mutated) return obj;
  // PatchResponseFromRaw: only the spec changed.
  const stored = { ...obj, spec: mutated.object.spec } as KObject;
  const errors = karmadaValidate(mutated.object);
  // admission.Denied: 403, the aggregate of every field error.
  if (errors.length > 0) throw denied('federatedhpa.karmada.io', 403, renderAggregate(errors));
  return stored;
}

/** fhpa's validating webhook over HTTP, when configured; refuses as the API server does on a denial. */
export async function fhpaAdmission(
  config: AdmissionConfig,
  t: ResourceType,
  operation: 'CREATE' | 'UPDATE',
  obj: KObject,
  old: KObject | undefined,
): Promise<void> {
  if (t !== FEDERATED_HPAS || !config.fhpaWebhookUrl) return;
  const review = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    request: {
      uid: crypto.randomUUID(),
      kind: { group: t.group, version: t.version, kind: t.kind },
      resource: { group: t.group, version: t.version, resource: t.resource },
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      operation,
      object: { ...obj, apiVersion: apiVersionOf(t) },
      oldObject: old ?? null,
      dryRun: false,
    },
  };
  const webhook = 'federatedhpa.fhpa.autoscaling.karmada.io';
  let res: Response;
  try {
    res = await fetch(config.fhpaWebhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(review),
      signal: AbortSignal.timeout(3_000),
    });
  } catch (e) {
    // failurePolicy: Fail.
    throw new StatusError(
      500,
      'InternalError',
      `Internal error occurred: failed calling webhook "${webhook}": ${String(e)}`,
    );
  }
  const parsed = admissionReviewResponseSchema.safeParse(await res.json().catch(() => undefined));
  if (!res.ok || !parsed.success)
    throw new StatusError(
      500,
      'InternalError',
      `Internal error occurred: failed calling webhook "${webhook}": HTTP ${res.status}`,
    );
  const r = parsed.data.response;
  if (!r.allowed) throw denied(webhook, r.status?.code ?? 403, r.status?.message ?? '');
}

import { z } from 'zod';
import type { HPAStatus } from '../api/autoscaling-v2.ts';
import { type CronFederatedHPA, cronFederatedHPASchema } from '../api/cronfederatedhpa.ts';
import { type FederatedHPA, federatedHPASchema } from '../api/federatedhpa.ts';
import type { CronFederatedHPAStatus } from '../cron/history.ts';
import type { AdapterContext } from './context.ts';
import { isConflict } from './errors.ts';
import { CRON_FHPA_GVR, FHPA_GVR } from './federatedhpas.ts';
import { describeResource, type GroupVersionResource, resourcePath } from './paths.ts';
import { MERGE_PATCH } from './rest-client.ts';

// Writes to FederatedHPA and CronFederatedHPA: status through the status subresource, and the min/max
// change a CronFederatedHPA rule makes to a FederatedHPA's spec. Every write is a merge patch carrying the
// resourceVersion it was computed from. Status belongs to fhpa, so a 409 re-reads the object and applies
// the same status again (last writer with fresh data wins), a bounded number of times, like
// helper.UpdateStatus with retry.RetryOnConflict in Karmada; a `guarded` write (the CronFederatedHPA claim)
// surfaces the ConflictError instead, because losing the race is its answer. A spec change re-applies its
// min/max on the fresh object, as cronfederatedhpa_job.go does inside RetryOnConflict.

export const MAX_CONFLICT_ATTEMPTS = 3;

const HPA_STATUS_KEYS = [
  'observedGeneration',
  'lastScaleTime',
  'currentReplicas',
  'desiredReplicas',
  'currentMetrics',
  'conditions',
] as const;

interface Target<T> {
  gvr: GroupVersionResource;
  schema: z.ZodType<T>;
  subresource?: 'status';
}

type Versioned = { metadata: { namespace?: string; name?: string; resourceVersion?: string } };

/**
 * Patches `object`, re-reading it after a 409 unless `guarded`; `body` returns undefined for "no change".
 * The patch's answer is parsed with `answer` (the re-read always with the target's schema).
 */
async function patchWithReread<T extends Versioned, R>(
  ctx: AdapterContext,
  target: Target<T>,
  answer: z.ZodType<R>,
  object: T,
  body: (current: T) => Record<string, unknown> | undefined,
  guarded: boolean,
): Promise<T | R> {
  const namespace = object.metadata.namespace ?? 'default';
  const name = object.metadata.name ?? '';
  const at = { namespace, name, ...(target.subresource ? { subresource: target.subresource } : {}) };
  let current = object;
  for (let attempt = 1; ; attempt++) {
    const patch = body(current);
    if (patch === undefined) return current;
    const rv = current.metadata.resourceVersion;
    try {
      return await ctx.client.request({
        verb: 'patch',
        path: resourcePath(target.gvr, at),
        resource: describeResource(target.gvr, at),
        contentType: MERGE_PATCH,
        body: rv ? { ...patch, metadata: { resourceVersion: rv } } : patch,
        schema: answer,
        ...(answer === unread ? { unread: true } : {}),
      });
    } catch (err) {
      if (!isConflict(err) || guarded || attempt >= MAX_CONFLICT_ATTEMPTS) throw err;
      current = await ctx.client.request({
        verb: 'get',
        path: resourcePath(target.gvr, { namespace, name }),
        resource: describeResource(target.gvr, { namespace, name }),
        schema: target.schema,
      });
    }
  }
}

/** The whole status, with `null` for the fields it lacks so a merge patch removes stale ones (RFC 7386). */
export function hpaStatusPatch(status: HPAStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of HPA_STATUS_KEYS) out[key] = status[key] ?? null;
  return { status: out };
}

// The status write's answer (the whole FederatedHPA) is not read: nothing in it is used, so it is neither
// parsed nor validated. It was a JSON.parse and a full FederatedHPA validation per evaluation (issue 13.2).
const unread = z.unknown();

export async function updateFederatedHPAStatus(
  ctx: AdapterContext,
  fhpa: FederatedHPA,
  status: HPAStatus,
): Promise<void> {
  await patchWithReread(
    ctx,
    { gvr: FHPA_GVR, schema: federatedHPASchema, subresource: 'status' },
    unread,
    fhpa,
    () => hpaStatusPatch(status),
    false,
  );
}

export function updateCronFederatedHPAStatus(
  ctx: AdapterContext,
  cron: CronFederatedHPA,
  status: CronFederatedHPAStatus,
  opts: { guarded?: boolean } = {},
): Promise<CronFederatedHPA> {
  return patchWithReread(
    ctx,
    { gvr: CRON_FHPA_GVR, schema: cronFederatedHPASchema, subresource: 'status' },
    cronFederatedHPASchema,
    cron,
    () => ({ status: { executionHistories: status.executionHistories ?? null } }),
    opts.guarded ?? false,
  );
}

export function updateFederatedHPASpec(
  ctx: AdapterContext,
  fhpa: FederatedHPA,
  change: { minReplicas?: number; maxReplicas?: number },
): Promise<FederatedHPA> {
  return patchWithReread(
    ctx,
    { gvr: FHPA_GVR, schema: federatedHPASchema },
    federatedHPASchema,
    fhpa,
    (current) => {
      // cronfederatedhpa_job.go: set only what the rule sets and what differs; nothing to do → no write.
      const spec: Record<string, number> = {};
      if (change.minReplicas !== undefined && change.minReplicas !== current.spec.minReplicas)
        spec.minReplicas = change.minReplicas;
      if (change.maxReplicas !== undefined && change.maxReplicas !== current.spec.maxReplicas)
        spec.maxReplicas = change.maxReplicas;
      return Object.keys(spec).length > 0 ? { spec } : undefined;
    },
    false,
  );
}

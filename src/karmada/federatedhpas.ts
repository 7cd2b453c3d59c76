import { z } from 'zod';
import { type CronFederatedHPA, cronFederatedHPASchema } from '../api/cronfederatedhpa.ts';
import {
  AUTOSCALING_API_VERSION,
  AUTOSCALING_GROUP,
  AUTOSCALING_VERSION,
  type FederatedHPA,
  federatedHPASchema,
} from '../api/federatedhpa.ts';
import { describeIssue } from './body.ts';
import type { AdapterContext } from './context.ts';
import { listAll } from './list.ts';
import { describeResource, type GroupVersionResource, resourcePath } from './paths.ts';

// GET and LIST of FederatedHPA and CronFederatedHPA (autoscaling.karmada.io/v1alpha1), validated with the
// shared zod schemas. A list skips (and reports) an item that does not validate instead of failing the
// whole sweep for one odd object; a GET of such an object fails with the field named.

export const FHPA_GVR: GroupVersionResource = {
  group: AUTOSCALING_GROUP,
  version: AUTOSCALING_VERSION,
  resource: 'federatedhpas',
};
export const CRON_FHPA_GVR: GroupVersionResource = { ...FHPA_GVR, resource: 'cronfederatedhpas' };

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  pageSize?: number;
}

interface Kind<T> {
  gvr: GroupVersionResource;
  kind: string;
  schema: z.ZodType<T>;
}

const FHPA: Kind<FederatedHPA> = { gvr: FHPA_GVR, kind: 'FederatedHPA', schema: federatedHPASchema };
const CRON: Kind<CronFederatedHPA> = {
  gvr: CRON_FHPA_GVR,
  kind: 'CronFederatedHPA',
  schema: cronFederatedHPASchema,
};

function getObject<T>(ctx: AdapterContext, k: Kind<T>, namespace: string, name: string): Promise<T> {
  return ctx.client.request({
    verb: 'get',
    path: resourcePath(k.gvr, { namespace, name }),
    resource: describeResource(k.gvr, { namespace, name }),
    schema: k.schema,
  });
}

async function listObjects<T>(ctx: AdapterContext, k: Kind<T>, opts: ListOptions): Promise<T[]> {
  const at = opts.namespace !== undefined ? { namespace: opts.namespace } : {};
  const raw = await listAll(ctx.client, {
    path: resourcePath(k.gvr, at),
    resource: describeResource(k.gvr, at),
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
  });
  const out: T[] = [];
  for (const item of raw) {
    // Items of a CRD list carry apiVersion/kind; built-in lists omit them, so they are filled in.
    const withKind =
      typeof item === 'object' && item !== null
        ? { apiVersion: AUTOSCALING_API_VERSION, kind: k.kind, ...item }
        : item;
    const parsed = k.schema.safeParse(withKind);
    if (parsed.success) out.push(parsed.data);
    else ctx.warn(`skipping ${k.kind} ${objectName(item)}: ${describeIssue(parsed.error)}`);
  }
  return out;
}

function objectName(item: unknown): string {
  const meta = (item as { metadata?: { namespace?: unknown; name?: unknown } } | null)?.metadata;
  return `${String(meta?.namespace ?? '?')}/${String(meta?.name ?? '?')}`;
}

/**
 * One LIST of at most one FederatedHPA, a single attempt: the cheapest request that shows Karmada is reachable,
 * trusts our credentials, lets us list FederatedHPAs and serves the CRD (readiness.ts).
 */
export async function probeFederatedHPAs(ctx: AdapterContext): Promise<void> {
  await ctx.client.request({
    verb: 'list',
    path: resourcePath(FHPA_GVR),
    query: { limit: 1 },
    resource: describeResource(FHPA_GVR),
    schema: z.unknown(),
    retry: false,
  });
}

export const getFederatedHPA = (ctx: AdapterContext, namespace: string, name: string) =>
  getObject(ctx, FHPA, namespace, name);
export const listFederatedHPAs = (ctx: AdapterContext, opts: ListOptions = {}) =>
  listObjects(ctx, FHPA, opts);
export const getCronFederatedHPA = (ctx: AdapterContext, namespace: string, name: string) =>
  getObject(ctx, CRON, namespace, name);
export const listCronFederatedHPAs = (ctx: AdapterContext, opts: ListOptions = {}) =>
  listObjects(ctx, CRON, opts);

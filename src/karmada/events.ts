import { z } from 'zod';
import type { AdapterContext } from './context.ts';
import { describeResource } from './paths.ts';

// Kubernetes Events on a FederatedHPA or CronFederatedHPA (SuccessfulRescale, FailedGetScale,
// FailedComputeMetricsReplicas, ... with the reasons Karmada's controllers use). Best effort, as client-go's
// record.EventRecorder: one attempt, failures reported to onWarning, never thrown. Named as the recorder
// names them (`{object}.{unix nanoseconds in hex}`, tools/record/event.go#makeEvent), with a per-adapter
// sequence added so two events in the same millisecond do not collide.

export interface EventObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

/** events.k8s.io/v1 validation caps `note` at 1 kB; fhpa keeps core/v1 messages within the same bound. */
const MAX_MESSAGE = 1024;
const EVENTS = { group: '', version: 'v1', resource: 'events' };

export interface EventRecorder {
  record(
    obj: EventObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    now: number,
  ): Promise<void>;
}

export function createEventRecorder(ctx: AdapterContext, component = 'fhpa'): EventRecorder {
  let sequence = 0n;
  return {
    async record(obj, type, reason, message, now) {
      const nanos = BigInt(Math.floor(now)) * 1_000_000n + (sequence++ % 1_000_000n);
      const at = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.name}.${nanos.toString(16)}`, namespace: obj.namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          namespace: obj.namespace,
          name: obj.name,
          ...(obj.uid ? { uid: obj.uid } : {}),
        },
        reason,
        message: truncate(message),
        type,
        source: { component },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        reportingComponent: component,
      };
      try {
        await ctx.client.request({
          verb: 'create',
          path: `/api/v1/namespaces/${encodeURIComponent(obj.namespace)}/events`,
          resource: describeResource(EVENTS, { namespace: obj.namespace }),
          body: event,
          schema: z.unknown(),
          retry: false,
        });
      } catch (err) {
        ctx.warn(
          `event ${reason} on ${obj.kind} ${obj.namespace}/${obj.name} not recorded: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
  };
}

function truncate(message: string): string {
  const chars = [...message];
  return chars.length <= MAX_MESSAGE ? message : `${chars.slice(0, MAX_MESSAGE - 3).join('')}...`;
}

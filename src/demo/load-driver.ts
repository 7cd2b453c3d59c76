import { z } from 'zod';
import { call, type Endpoint } from './endpoint.ts';
import type { LoadTrace } from './load-trace.ts';

// The load generator's part: what `hey` does in the walkthrough. The simulator models the multi-cluster
// Service spreading requests over the ready pods of every cluster; the driver only tells it the rate, over
// its admin API (POST /_sim/load), whenever the trace's rate changes.

const loadAnswer = z.object({ load: z.object({ rps: z.number() }) });

export interface LoadChange {
  previous: number | undefined;
  rps: number;
}

export interface LoadDriver {
  /** Applies the trace's rate at `t` seconds; returns the change, if the rate changed. */
  at(t: number): Promise<LoadChange | undefined>;
  readonly current: number | undefined;
}

export function createLoadDriver(
  karmada: Endpoint,
  workload: { namespace: string; name: string },
  trace: LoadTrace,
): LoadDriver {
  let current: number | undefined;
  return {
    get current() {
      return current;
    },
    async at(t) {
      const rps = trace.rpsAt(t);
      if (rps === current) return undefined;
      const { body } = await call(karmada, 'POST', '/_sim/load', loadAnswer, {
        body: { namespace: workload.namespace, workload: workload.name, rps },
      });
      const change = { previous: current, rps: body.load.rps };
      current = body.load.rps;
      return change;
    },
  };
}

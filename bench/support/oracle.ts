import { parseAnnotations } from '../../src/api/annotations.ts';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { decide } from '../../src/engine/decide.ts';
import type { Decision } from '../../src/engine/types.ts';
import type { KarmadaAdapter } from '../../src/karmada/adapter.ts';
import { gatherMetrics } from '../../src/pipeline/gather-metrics.ts';
import { writePolicy } from '../../src/pipeline/write-policy.ts';
import type { HistoryKey, HistoryStore } from '../../src/store/history-store.ts';

// The fault-free oracle of the faults suite: what the engine's `decide` answers for one FederatedHPA on the
// state as it is, read through a client that sees no faults and a store client that is never throttled.
// It assembles the engine's input the way src/pipeline/evaluate.ts does (fhpa's order: read everything, then
// decide), and writes nothing: the faulty pipeline that runs next on the same state must scale to exactly
// this decision's desiredReplicas, or not at all.

export interface OracleAnswer {
  /** Replicas of the scale subresource the decision starts from. */
  currentReplicas: number;
  rescale: boolean;
  desiredReplicas: number;
  /** False when the FederatedHPA's annotations forbid scale writes (shadow, paused): none may happen. */
  writes: boolean;
}

export async function oracleDecision(
  karmada: KarmadaAdapter,
  store: HistoryStore,
  key: HistoryKey,
  now: number,
): Promise<OracleAnswer> {
  const fhpa: FederatedHPA = await karmada.getFederatedHPA(key.namespace, key.name);
  const target = fhpa.spec.scaleTargetRef;
  const scale = await karmada.getScale(key.namespace, target);
  if (!scale.selector) throw new Error(`${key.namespace}/${key.name}: the target's scale has no selector`);
  const placement = await karmada.getPlacement(key.namespace, target);
  const clusters = placement.clusters.map((c) => c.name);
  const pods = await karmada.listPods(key.namespace, scale.selector, clusters);
  const gathered = await gatherMetrics(
    karmada,
    key.namespace,
    [{ selector: scale.selector, clusters }],
    fhpa.spec.metrics ?? [],
  );
  if (gathered.errors.length > 0) {
    throw new Error(`oracle could not read metrics: ${gathered.errors.map((e) => e.message).join('; ')}`);
  }
  const stored = await store.load(key);
  const decision: Decision = decide({
    now,
    spec: fhpa.spec,
    currentReplicas: scale.replicas,
    statusReplicas: placement.memberStatusReplicas,
    calibration: placement.calibration,
    pods,
    metrics: gathered.metrics,
    history: stored.history,
    ...(fhpa.status?.conditions ? { conditions: fhpa.status.conditions } : {}),
  });
  return {
    currentReplicas: scale.replicas,
    rescale: decision.rescale,
    desiredReplicas: decision.desiredReplicas,
    writes: writePolicy({ annotations: parseAnnotations(fhpa.metadata.annotations).settings }).scale,
  };
}

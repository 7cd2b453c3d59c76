import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { EngineInput } from '../engine/types.ts';
import { evaluate } from './evaluate.ts';
import type { EvaluationResult, PipelineDeps } from './types.ts';

export type Captured =
  | { ok: true; fhpa: FederatedHPA; input: EngineInput; result: EvaluationResult }
  | { ok: false; result: EvaluationResult };

/**
 * One evaluation as a dry run (nothing written: write-policy.ts), keeping the FederatedHPA it read and the
 * engine input it decided on: what `fhpa snapshot` prints and `fhpa explain` explains. Same reads, same
 * configuration, same history as the server's evaluation, because it is that evaluation.
 */
export async function captureEvaluation(
  deps: PipelineDeps,
  ref: { namespace: string; name: string },
): Promise<Captured> {
  let fhpa: FederatedHPA;
  try {
    fhpa = await deps.karmada.getFederatedHPA(ref.namespace, ref.name);
  } catch {
    // The evaluation reads it again and answers not-found or the failure as a result.
    return { ok: false, result: await evaluate(deps, ref, { dryRun: true }) };
  }
  let input: EngineInput | undefined;
  const result = await evaluate(deps, ref, {
    fhpa,
    dryRun: true,
    onEngineInput: (i) => {
      input = i;
    },
  });
  return input ? { ok: true, fhpa, input, result } : { ok: false, result };
}

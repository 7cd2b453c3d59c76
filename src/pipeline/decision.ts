import type { FhpaAnnotations } from '../api/annotations.ts';
import { decide } from '../engine/decide.ts';
import type { EngineInput } from '../engine/types.ts';
import { applyFallback, type FallbackResult } from './fallback.ts';

/**
 * The whole decision an evaluation makes from its inputs: the HPA algorithm, then fhpa's fallback annotation
 * (whose failure count is in input.history). The live pipeline and `fhpa recommend` both call this, so a
 * snapshot of an evaluation's inputs replays to the same decision.
 */
export function decideWithAnnotations(input: EngineInput, annotations: FhpaAnnotations): FallbackResult {
  return applyFallback(decide(input), {
    stored: input.history,
    settings: annotations,
    spec: input.spec,
    now: input.now,
  });
}

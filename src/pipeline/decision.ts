import type { FhpaAnnotations } from '../api/annotations.ts';
import type { EngineInput } from '../engine/types.ts';
import { decideWithFallback, type FallbackResult } from './fallback.ts';

/**
 * The whole decision an evaluation makes from its inputs: the HPA algorithm with fhpa's fallback annotation
 * (whose failure count is in input.history). The live pipeline and `fhpa recommend` both call this, so a
 * snapshot of an evaluation's inputs replays to the same decision.
 */
export function decideWithAnnotations(input: EngineInput, annotations: FhpaAnnotations): FallbackResult {
  return decideWithFallback(input, annotations);
}

import type { EvaluationResult } from '../pipeline/types.ts';

// An alert is used up once answered 200: Alertmanager sends it again only when its group changes or after
// repeat_interval. If the evaluation it caused could not see the whole picture (pods not Ready yet, so no
// metrics; a metric the adapter does not serve yet) and so scaled nothing, the alert is answered 503 instead,
// and Alertmanager sends it again (its retrier, then every group_interval tick while it fails): a follow-up
// evaluation that may see the pods Ready. Only while the alert is young, though: a condition that lasts (a
// metric that never exists) stops costing retries once the alert has fired for FOLLOW_UP_WINDOW_MS, and the
// sweep or repeat_interval takes over. Stateless, so it holds on every runtime: the alert's own startsAt is
// the clock.

/**
 * Two minutes: Kubernetes' initial readiness delay is 30 s and most pods pass their readiness probe well within
 * a minute after that; past it, missing metrics are more likely a lasting misconfiguration than a slow start.
 */
export const FOLLOW_UP_WINDOW_MS = 2 * 60_000;

export function wantsFollowUp(
  result: Pick<EvaluationResult, 'incomplete'>,
  alert: { status: 'firing' | 'resolved'; startsAt?: string | undefined },
  now: number,
): boolean {
  if (!result.incomplete || alert.status !== 'firing' || alert.startsAt === undefined) return false;
  const started = Date.parse(alert.startsAt);
  return Number.isFinite(started) && now - started < FOLLOW_UP_WINDOW_MS;
}

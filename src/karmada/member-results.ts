import type { AdapterContext } from './context.ts';
import { isTransient } from './errors.ts';

// One read fanned out over member clusters (through the cluster proxy), put back together. Karmada's metrics
// adapter skips any member that fails. fhpa skips, with a warning, only a member that answers with another
// client error (403, 404: the metric is not there); when every member failed, or one failed transiently (no
// answer, 429, 5xx after the client's retries), the whole read fails instead. Counting a healthy cluster's
// pods as missing can hold back a due scale-up, and the next trigger will find the member answering again.

export type MemberResult<T> = { cluster: string; items: T[] } | { cluster: string; error: unknown };

/** The answers of the members that answered; throws as described above. `what` names the read in warnings. */
export function answeredMembers<T>(
  ctx: AdapterContext,
  results: readonly MemberResult<T>[],
  what: string,
): Array<{ cluster: string; items: T[] }> {
  const failures = results.filter((r): r is { cluster: string; error: unknown } => 'error' in r);
  if (failures.length > 0 && failures.length === results.length) throw failures[0]?.error;
  const transient = failures.find((f) => isTransient(f.error));
  if (transient) throw transient.error;
  for (const f of failures) {
    const message = f.error instanceof Error ? f.error.message : String(f.error);
    ctx.warn(`${what} of cluster ${f.cluster} skipped: ${message}`);
  }
  return results.filter((r): r is { cluster: string; items: T[] } => 'items' in r);
}

import { z } from 'zod';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/names.ts';

// One message of a fanned-out sweep (src/pipeline/fanout-produce.ts → a Cloudflare Queue or SQS →
// fanout-consume.ts): which FederatedHPAs to evaluate, never their specs (the consumer reads them fresh, so a
// message that waited in the queue cannot apply a stale spec). A queue is a trust boundary like an HTTP body:
// what arrives is parsed here, bounded, and a message fhpa cannot read is dropped with the field named.

/** The message format; a consumer drops (and logs) a version it does not know instead of retrying it forever. */
export const SWEEP_BATCH_VERSION = 1;

/**
 * The most FederatedHPAs one message may name. 100 refs of the longest names Kubernetes allows stay under
 * 40 KB, inside both engines' message caps (Cloudflare Queues 128 KB, SQS 256 KiB).
 */
export const MAX_REFS_PER_BATCH = 100;

const name = (check: (v: string) => string[]) =>
  z
    .string()
    .max(253, { message: 'must be no more than 253 characters', abort: true })
    .superRefine((v, ctx) => {
      const problems = check(v);
      if (problems.length > 0) ctx.addIssue({ code: 'custom', message: problems[0]! });
    });

export const sweepBatchSchema = z.object({
  v: z.literal(SWEEP_BATCH_VERSION, { message: `must be ${SWEEP_BATCH_VERSION}` }),
  /** When the producer listed the fleet (epoch ms): how long the batch waited is logged from it. */
  sweptAt: z.number().int().nonnegative(),
  refs: z
    .array(z.object({ namespace: name(isDNS1123Label), name: name(isDNS1123Subdomain) }))
    .min(1, { message: 'must name at least one FederatedHPA' })
    .max(MAX_REFS_PER_BATCH, { message: `must name at most ${MAX_REFS_PER_BATCH} FederatedHPAs` }),
});

export type SweepBatch = z.infer<typeof sweepBatchSchema>;
export type FederatedHPARef = SweepBatch['refs'][number];

/**
 * A message body as the queue delivered it: an object (Cloudflare Queues' structured clone) or JSON text (SQS).
 * Bounded before parsing: a body longer than any batch fhpa writes is refused unread.
 */
export function parseSweepBatch(
  body: unknown,
): { ok: true; batch: SweepBatch } | { ok: false; error: string } {
  let value = body;
  if (typeof body === 'string') {
    if (body.length > 64 * 1024) return { ok: false, error: 'message body: longer than 64 KiB' };
    try {
      value = JSON.parse(body);
    } catch {
      return { ok: false, error: 'message body: not JSON' };
    }
  }
  const parsed = sweepBatchSchema.safeParse(value);
  if (parsed.success) return { ok: true, batch: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `message ${issue.path.join('.') || 'body'}: ${issue.message}` };
}

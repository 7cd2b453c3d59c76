import { z } from 'zod';
import { boundedText } from './bounded-text.ts';

// The CRDs' int-or-string quantity pattern (autoscaling.karmada.io_federatedhpas.yaml, from resource.Quantity).
export const QUANTITY_PATTERN =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** Longest quantity text parsed: more digits than any int64 or inf.Dec a Kubernetes quantity holds. */
export const MAX_QUANTITY_TEXT = 256;

/** A Kubernetes quantity as it appears in manifests: a string like `500m` or a bare number. */
export const quantitySchema = z.union([
  boundedText(MAX_QUANTITY_TEXT).regex(QUANTITY_PATTERN, {
    message: 'must be a Kubernetes quantity such as "500m", "1.5" or "64Mi"',
  }),
  z.number().finite(),
]);
export type QuantityInput = z.infer<typeof quantitySchema>;

/** RFC 3339 timestamp, as metav1.Time serialises. */
export const timeSchema = boundedText(64).refine(
  (s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s),
  {
    message: 'must be an RFC 3339 timestamp such as "2026-01-01T00:00:00Z"',
  },
);

// int32, its bounds said in words: zod's own `.int()` reports a number past 2^53 as "Too big: expected int to
// be <=9007199254740991", a bound of JavaScript's, not of the field (issue 19.7).
const INT32_RANGE = 'must fit in int32 (-2147483648 to 2147483647)';
export const int32 = z
  .number()
  .int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be an integer' : INT32_RANGE) })
  .min(-2147483648, { message: INT32_RANGE })
  .max(2147483647, { message: INT32_RANGE });

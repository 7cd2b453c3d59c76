import type { QuantityInput } from '../api/quantity-schema.ts';
import { formatMilli, milliValue } from '../engine/quantity.ts';

// Quantity.Sign() and the text Go prints for a bad quantity in a field error (json.Marshal of a
// resource.Quantity is its canonical String()).

/** Sign() == 1. A tiny positive value ("1n") is still positive: milliValue rounds away from zero. */
export function isQuantityPositive(q: QuantityInput): boolean {
  return milliValue(q) > 0n;
}

/**
 * The canonical text for a non-positive quantity: decimal values as `Quantity.String()` prints them
 * ("-0.5" → "-500m"); binary-suffixed ones ("-1Ki") are already canonical and printed as written.
 */
export function renderQuantity(q: QuantityInput): string {
  const text = String(q);
  if (/[KMGTPE]i$/.test(text)) return text;
  return formatMilli(milliValue(q));
}

// Kubernetes quantities (k8s.io/apimachinery/pkg/api/resource), as far as the HPA algorithm needs them:
// parsing to integer milli-values the way `Quantity.MilliValue()` does, and rendering milli-values the way
// `resource.NewMilliQuantity(v, resource.DecimalSI).String()` does for status.currentMetrics.
// BigInt throughout: milli-values of memory quantities overflow Number's 2^53 long before Go's int64 does.

import { MAX_QUANTITY_TEXT, QUANTITY_PATTERN } from '../api/quantity-schema.ts';

export const MAX_INT64 = 9223372036854775807n;
export const MIN_INT64 = -9223372036854775808n;
export const MAX_INT32 = 2147483647;

const DECIMAL_SUFFIX_EXPONENT: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/** An exact rational value: sign × digits × 10^exp10 × 1024^pow1024. */
interface Exact {
  negative: boolean;
  digits: bigint;
  exp10: number;
  pow1024: number;
}

function parseExact(input: string | number): Exact {
  const text = typeof input === 'number' ? numberToQuantityText(input) : input.trim();
  // BigInt parsing and division grow faster than linearly with the digits: bound them (issue 18).
  if (text.length > MAX_QUANTITY_TEXT) {
    throw new Error(`invalid quantity: longer than ${MAX_QUANTITY_TEXT} characters`);
  }
  if (!QUANTITY_PATTERN.test(text)) throw new Error(`invalid quantity "${text}"`);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (!m) throw new Error(`invalid quantity "${text}"`);
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  let exp10 = -fraction.length;
  let pow1024 = 0;
  if (suffix in BINARY_SUFFIX_POWER) pow1024 = BINARY_SUFFIX_POWER[suffix] ?? 0;
  else if (suffix in DECIMAL_SUFFIX_EXPONENT) exp10 += DECIMAL_SUFFIX_EXPONENT[suffix] ?? 0;
  else if (/^[eE]/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (!Number.isInteger(e)) throw new Error(`invalid quantity "${text}": fractional exponent`);
    exp10 += e;
  } else throw new Error(`invalid quantity "${text}"`);
  return { negative: sign === '-', digits: BigInt(`${whole}${fraction}` || '0'), exp10, pow1024 };
}

// JSON numbers (the int-or-string form) are written the way Go would print them.
function numberToQuantityText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`invalid quantity ${n}`);
  return String(n).replace('e+', 'e');
}

/**
 * The quantity as integer milli-units, rounded up away from zero like `Quantity.MilliValue()`
 * (`ScaledValue(Milli)`), saturating at the int64 range. Throws on text that is not a quantity.
 */
export function milliValue(input: string | number): bigint {
  if (typeof input === 'string') {
    const fast = smallMilliValue(input);
    if (fast !== undefined) return BigInt(fast);
  }
  return exactMilliValue(input);
}

// Suffix → power of ten (one letter) for the fast path; two-letter binary suffixes are read char by char.
const SUFFIX_EXPONENT_BY_CODE = new Map<number, number>(
  Object.entries(DECIMAL_SUFFIX_EXPONENT)
    .filter(([suffix]) => suffix !== '')
    .map(([suffix, exp]) => [suffix.charCodeAt(0), exp]),
);
const BINARY_POWER_BY_CODE = new Map<number, number>(
  Object.entries(BINARY_SUFFIX_POWER).map(([suffix, pow]) => [suffix.charCodeAt(0), pow]),
);
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i); // exact doubles up to 10^15
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * The decision reads thousands of per-pod quantities ("412m", "246883n", "128Mi"), and the general parser
 * (regex, BigInt arithmetic) dominated a 1,000-pod decision. This reads the common shape
 * `[+-]digits[.digits][suffix]` with at most 15 significant digits in exact double arithmetic (every step
 * stays an integer below 2^53: a binary suffix multiplies by a power of two, the division by a power of ten
 * is done on the remainder-free part) and returns undefined for anything else — exponents, a leading ".",
 * surrounding whitespace, more digits, huge results — which the general parser then handles. Same value,
 * same rounding (up, away from zero).
 */
function smallMilliValue(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45; // '-'
  if (negative || c === 43) i = 1; // '+'
  let digits = 0;
  let count = 0;
  for (; i < n; i++, count++) {
    c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) break;
    digits = digits * 10 + (c - DIGIT_0);
  }
  if (count === 0) return undefined;
  let fraction = 0;
  if (i < n && text.charCodeAt(i) === 46) {
    // '.'
    for (i++; i < n; i++, fraction++) {
      c = text.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) break;
      digits = digits * 10 + (c - DIGIT_0);
    }
  }
  if (count + fraction > 15) return undefined;
  let exp10 = 3 - fraction;
  let numerator = digits;
  const rest = n - i;
  if (rest === 1) {
    const e = SUFFIX_EXPONENT_BY_CODE.get(text.charCodeAt(i));
    if (e === undefined) return undefined;
    exp10 += e;
  } else if (rest === 2) {
    const pow = BINARY_POWER_BY_CODE.get(text.charCodeAt(i));
    if (pow === undefined || text.charCodeAt(i + 1) !== 105) return undefined; // 'i'
    numerator *= 1024 ** pow;
  } else if (rest !== 0) return undefined;
  if (numerator > Number.MAX_SAFE_INTEGER) return undefined;
  let milli: number;
  if (exp10 >= 0) {
    if (exp10 >= POW10.length) return undefined;
    milli = numerator * (POW10[exp10] as number);
    if (milli > Number.MAX_SAFE_INTEGER) return undefined;
  } else {
    if (-exp10 >= POW10.length) return undefined;
    const divisor = POW10[-exp10] as number;
    const remainder = numerator % divisor;
    milli = (numerator - remainder) / divisor + (remainder === 0 ? 0 : 1);
  }
  return negative ? -milli : milli;
}

/** The general path: any quantity text or JSON number, in BigInt arithmetic. */
function exactMilliValue(input: string | number): bigint {
  const q = parseExact(input);
  let numerator = q.digits * 1024n ** BigInt(q.pow1024);
  const exp = q.exp10 + 3;
  let milli: bigint;
  if (exp >= 0) {
    // A huge exponent would build an enormous BigInt: anything past 10^40 saturates anyway.
    if (numerator === 0n) milli = 0n;
    else if (exp > 40) milli = MAX_INT64 + 1n;
    else milli = numerator * 10n ** BigInt(exp);
  } else {
    if (-exp > 400) numerator = numerator === 0n ? 0n : 1n; // far below one milli-unit: rounds up to 1
    const divisor = 10n ** BigInt(Math.min(-exp, 400));
    milli = numerator / divisor + (numerator % divisor === 0n ? 0n : 1n);
  }
  if (q.negative) milli = -milli;
  return milli > MAX_INT64 ? MAX_INT64 : milli < MIN_INT64 ? MIN_INT64 : milli;
}

/** `Quantity.AsApproximateFloat64()`: for tolerances such as `"0.05"`. */
export function approximateFloat(input: string | number): number {
  const q = parseExact(input);
  const v = Number(q.digits) * 10 ** q.exp10 * 1024 ** q.pow1024;
  return q.negative ? -v : v;
}

/** True when the text parses as a Kubernetes quantity. */
export function isQuantity(input: string | number): boolean {
  try {
    parseExact(input);
    return true;
  } catch {
    return false;
  }
}

const EXPONENT_SUFFIX: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

/**
 * Canonical DecimalSI text of a milli-value, as `resource.NewMilliQuantity(milli, DecimalSI).String()`:
 * strip factors of ten, then settle on an exponent that is a multiple of three with an integer mantissa
 * (`int64Amount.AsCanonicalBytes`). 250 → "250m", 1000 → "1", 1500 → "1500m", 10000000 → "10k".
 */
export function formatMilli(milli: bigint | number): string {
  let value = typeof milli === 'bigint' ? milli : BigInt(Math.trunc(milli));
  if (value === 0n) return '0';
  const negative = value < 0n;
  if (negative) value = -value;
  let exponent = -3;
  while (value % 10n === 0n) {
    value /= 10n;
    exponent += 1;
  }
  const rem = ((exponent % 3) + 3) % 3;
  value *= 10n ** BigInt(rem);
  exponent -= rem;
  // Past "E" Go keeps the exponent form; int64 milli-values never get there (max ≈ 9.2 P).
  const suffix = EXPONENT_SUFFIX[exponent] ?? `e${exponent}`;
  return `${negative ? '-' : ''}${value}${suffix}`;
}

/** Go's `int32(math.Ceil(x))` for replica counts: saturates instead of wrapping on absurd inputs. */
export function ceilReplicas(x: number): number {
  const c = Math.ceil(x);
  if (Number.isNaN(c)) return 0;
  return Math.max(-MAX_INT32 - 1, Math.min(MAX_INT32, c));
}

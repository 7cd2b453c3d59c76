// Kubernetes quantities: MilliValue() (rounds up) and NewMilliQuantity(v, DecimalSI).String().
import { describe, expect, it } from 'vitest';
import {
  approximateFloat,
  formatMilli,
  isQuantity,
  MAX_INT64,
  milliValue,
} from '../../src/engine/quantity.ts';

describe('milliValue (Quantity.MilliValue)', () => {
  it.each([
    ['500m', 500n],
    ['1', 1000n],
    ['1.5', 1500n],
    ['0.9', 900n],
    ['1k', 1_000_000n],
    ['10k', 10_000_000n],
    ['2e3', 2_000_000n],
    ['2E3', 2_000_000n],
    ['1e-3', 1n],
    ['64Mi', 67_108_864_000n],
    ['100Mi', 104_857_600_000n],
    ['200Mi', 209_715_200_000n],
    ['1Ki', 1_024_000n],
    ['1.5Gi', 1_610_612_736_000n],
    ['250u', 1n], // rounds up to the next milli-unit
    ['1n', 1n],
    ['0', 0n],
    ['0.0001', 1n],
    ['-500m', -500n],
    ['+2', 2000n],
    ['.5', 500n],
    ['5.', 5000n],
    ['1P', 1_000_000_000_000_000_000n],
    ['1E', MAX_INT64], // 10^21 milli-units overflow int64
    [1.5, 1500n],
    [2, 2000n],
  ] as const)('%s → %s', (text, want) => {
    expect(milliValue(text)).toBe(want);
  });

  it.each(['', 'm', '1.2.3', '1Kb', '1 k', 'abc', '1e1.5'])('rejects %j', (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(() => milliValue(text)).toThrow(/invalid quantity/);
  });

  it('saturates at MaxInt64 like an int64 milli-value', () => {
    expect(milliValue('9999999999999999999')).toBe(MAX_INT64);
    expect(milliValue('1e300')).toBe(MAX_INT64);
  });
});

describe('formatMilli (resource.NewMilliQuantity(v, DecimalSI).String())', () => {
  it.each([
    [0n, '0'],
    [250n, '250m'],
    [700n, '700m'],
    [1000n, '1'],
    [1500n, '1500m'],
    [2000n, '2'],
    [6667n, '6667m'],
    [20_000n, '20'],
    [10_000_000n, '10k'],
    [11_750n, '11750m'],
    [1_500_000n, '1500'],
    [67_108_864_000n, '67108864'],
    [12_000_000_000n, '12M'],
    [-500n, '-500m'],
    [MAX_INT64, '9223372036854775807m'],
  ] as const)('%s → %s', (milli, want) => {
    expect(formatMilli(milli)).toBe(want);
  });
});

describe('approximateFloat (AsApproximateFloat64, for behavior tolerances)', () => {
  it.each([
    ['0.05', 0.05],
    ['50m', 0.05],
    ['1', 1],
    ['1Ki', 1024],
  ] as const)('%s → %s', (text, want) => {
    expect(approximateFloat(text)).toBeCloseTo(want, 12);
  });
});

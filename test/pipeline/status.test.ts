import { describe, expect, it } from 'vitest';
import { buildStatus, statusChanged } from '../../src/pipeline/status.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const T1 = T0 + 15_000;

describe('buildStatus (karmada setStatus + setConditionInList)', () => {
  const previous = {
    currentReplicas: 2,
    desiredReplicas: 2,
    lastScaleTime: '2025-12-31T00:00:00.000Z',
    conditions: [
      {
        type: 'AbleToScale',
        status: 'True' as const,
        reason: 'ReadyForNewScale',
        lastTransitionTime: 'early',
      },
      {
        type: 'ScalingLimited',
        status: 'False' as const,
        reason: 'DesiredWithinRange',
        lastTransitionTime: 'early',
      },
    ],
  };

  it('keeps lastTransitionTime when the status does not flip, moves it when it does, keeps other conditions', () => {
    const s = buildStatus({
      previous,
      now: T1,
      generation: 3,
      currentReplicas: 2,
      desiredReplicas: 4,
      rescaled: true,
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      ],
    });
    expect(s.observedGeneration).toBe(3);
    expect(s.lastScaleTime).toBe(new Date(T1).toISOString());
    expect(s.conditions).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', lastTransitionTime: 'early' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', lastTransitionTime: 'early' },
      {
        type: 'ScalingActive',
        status: 'True',
        reason: 'ValidMetricFound',
        lastTransitionTime: new Date(T1).toISOString(),
      },
    ]);
  });

  it('keeps the previous lastScaleTime without a rescale', () => {
    const s = buildStatus({
      previous,
      now: T1,
      generation: undefined,
      currentReplicas: 2,
      desiredReplicas: 2,
      conditions: [],
    });
    expect(s.lastScaleTime).toBe(previous.lastScaleTime);
    expect(s.observedGeneration).toBeUndefined();
  });
});

describe('statusChanged (updateStatusIfNeeded)', () => {
  it('ignores key order and undefined fields, sees value changes', () => {
    expect(
      statusChanged({ desiredReplicas: 1, currentReplicas: 1 }, { currentReplicas: 1, desiredReplicas: 1 }),
    ).toBe(false);
    expect(statusChanged({ desiredReplicas: 1 }, { desiredReplicas: 1, currentMetrics: undefined })).toBe(
      false,
    );
    expect(statusChanged({ desiredReplicas: 1 }, { desiredReplicas: 2 })).toBe(true);
    expect(statusChanged(undefined, { desiredReplicas: 0 })).toBe(true);
  });

  it.each([
    ['a field gained', { desiredReplicas: 1 }, { desiredReplicas: 1, currentReplicas: 1 }, true],
    ['a field lost', { desiredReplicas: 1, currentReplicas: 1 }, { desiredReplicas: 1 }, true],
    ['null is not absent', { desiredReplicas: 1, lastScaleTime: null }, { desiredReplicas: 1 }, true],
    [
      'a condition changed deep inside',
      { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'A' }] },
      { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'B' }] },
      true,
    ],
    [
      'conditions reordered',
      { conditions: [{ type: 'A' }, { type: 'B' }] },
      { conditions: [{ type: 'B' }, { type: 'A' }] },
      true,
    ],
    [
      'equal nested, keys in another order',
      {
        currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '1' } } }],
      },
      {
        currentMetrics: [{ pods: { current: { averageValue: '1' }, metric: { name: 'rps' } }, type: 'Pods' }],
      },
      false,
    ],
  ])('%s: changed=%s', (_, before, after, changed) => {
    expect(statusChanged(before as never, after as never)).toBe(changed);
  });
});

import { describe, expect, it } from 'vitest';
import { parseAnnotations } from '../../src/api/annotations.ts';
import { decide } from '../../src/app/admission.ts';
import { writePolicy } from '../../src/pipeline/write-policy.ts';
import { validateFederatedHPA } from '../../src/validation/federatedhpa.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// fhpa's annotations: one prefix, one parser, the webhook refusing a bad value with the field named.

const P = 'autoscaling.fhpa.io/';

describe('parseAnnotations', () => {
  it.each([
    [{ [`${P}mode`]: 'shadow' }, { mode: 'shadow' }],
    [{ [`${P}paused`]: 'true' }, { paused: true }],
    [{ [`${P}paused`]: 'false' }, { paused: false }],
    [{ [`${P}paused-replicas`]: '0' }, { pausedReplicas: 0 }],
    [
      { [`${P}fallback-replicas`]: '4', [`${P}fallback-after`]: '5' },
      { fallbackReplicas: 4, fallbackAfter: 5 },
    ],
    [{ 'example.com/other': 'x', [`${P}fallback-replicas`]: '2' }, { fallbackReplicas: 2 }],
  ])('%j → %j', (annotations, settings) => {
    expect(parseAnnotations(annotations)).toEqual({ settings, errors: [] });
  });

  it.each([
    [`${P}mode`, 'Shadow', 'must be one of "active", "shadow"'],
    [`${P}paused`, '1', 'must be one of "true", "false"'],
    [`${P}paused-replicas`, '-1', 'must be a whole number'],
    [`${P}paused-replicas`, '3000000000', 'must be at most 2147483647'],
    [`${P}fallback-replicas`, '0', 'must be at least 1'],
    [`${P}fallback-replicas`, '2.5', 'must be a whole number'],
    [`${P}pasued`, 'true', /^unknown fhpa annotation; known: autoscaling.fhpa.io\/mode, /],
  ])('%s: %s is refused: %s', (key, value, message) => {
    const { errors } = parseAnnotations({ [key]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.key).toBe(key);
    expect(errors[0]?.message).toMatch(message);
  });

  it('fallback-after without fallback-replicas is refused', () => {
    expect(parseAnnotations({ [`${P}fallback-after`]: '2' }).errors).toEqual([
      { key: `${P}fallback-after`, value: '2', message: `needs ${P}fallback-replicas` },
    ]);
  });
});

describe('the webhook and fhpa validate', () => {
  const withAnnotations = (annotations: Record<string, string>) => {
    const f = seedFederatedHPA();
    return { ...f, metadata: { ...f.metadata, annotations } };
  };

  it('names metadata.annotations[KEY] for a bad value', () => {
    const r = validateFederatedHPA(withAnnotations({ [`${P}paused-replicas`]: 'three' }));
    expect(r.errors).toEqual([
      {
        field: `metadata.annotations[${P}paused-replicas]`,
        type: 'Invalid',
        value: 'three',
        detail: 'must be a whole number',
      },
    ]);
  });

  it('refuses the AdmissionReview with the rendered message, and admits good annotations', () => {
    const request = (object: unknown) => ({
      uid: 'u1',
      kind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind: 'FederatedHPA' },
      resource: { group: 'autoscaling.karmada.io', version: 'v1alpha1', resource: 'federatedhpas' },
      operation: 'CREATE' as const,
      namespace: 'default',
      object: object as Record<string, unknown>,
    });
    const refused = decide(request(withAnnotations({ [`${P}mode`]: 'off' })), ['FederatedHPA'], 0);
    expect(refused).toMatchObject({
      allowed: false,
      status: {
        code: 403,
        message: `metadata.annotations[${P}mode]: Invalid value: "off": must be one of "active", "shadow"`,
      },
    });
    const ok = decide(request(withAnnotations({ [`${P}mode`]: 'shadow' })), ['FederatedHPA'], 0);
    expect(ok).toMatchObject({ allowed: true });
  });
});

describe('writePolicy', () => {
  // Most cautious first: dry run > shadow > paused > paused-replicas > active.
  it.each([
    [{ dryRun: true, annotations: { mode: 'active' as const } }, 'dry-run', false, 'none'],
    [{ deploymentMode: 'shadow' as const, annotations: {} }, 'shadow', false, 'recommendations'],
    [
      { deploymentMode: 'shadow' as const, annotations: { mode: 'active' as const } },
      'active',
      true,
      'decision',
    ],
    [{ annotations: { mode: 'shadow' as const, pausedReplicas: 3 } }, 'shadow', false, 'recommendations'],
    [{ annotations: { paused: true, pausedReplicas: 3 } }, 'paused', false, 'recommendations'],
    [{ annotations: { paused: false, pausedReplicas: 3 } }, 'held', true, 'recommendations'],
    [{ annotations: { paused: false } }, 'active', true, 'decision'],
  ])('%j → %s', (input, mode, scale, history) => {
    expect(writePolicy(input)).toMatchObject({ mode, scale, history });
  });
});

import { describe, expect, it } from 'vitest';
import { pemFrom } from '../../src/karmada/connection.ts';
import { parseGoDuration } from '../../src/karmada/duration.ts';
import { labelSelectorToString } from '../../src/karmada/label-selector.ts';
import { guessPlural } from '../../src/karmada/metrics-custom.ts';
import {
  clusterProxyPath,
  describeResource,
  parseApiVersion,
  resourcePath,
} from '../../src/karmada/paths.ts';
import { backoffDelay, DEFAULT_BACKOFF, nextRetry, parseRetryAfter } from '../../src/karmada/retry.ts';
import { hpaStatusPatch } from '../../src/karmada/writes.ts';

// The adapter's pure pieces, table-driven.

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('backoffDelay (full jitter: random * min(max, base * 2^retry))', () => {
  it.each([
    { retry: 0, random: 1, want: 200 },
    { retry: 1, random: 1, want: 400 },
    { retry: 4, random: 1, want: 3200 },
    { retry: 5, random: 1, want: 5000 },
    { retry: 50, random: 1, want: 5000 },
    { retry: 3, random: 0.25, want: 400 },
    { retry: 3, random: 0, want: 0 },
  ])('retry $retry, random $random → $want ms', ({ retry, random, want }) => {
    expect(backoffDelay(retry, DEFAULT_BACKOFF, random)).toBe(want);
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it.each([
    { header: '3', want: 3000 },
    { header: ' 0 ', want: 0 },
    { header: new Date(NOW + 7000).toUTCString(), want: 7000 },
    { header: new Date(NOW - 7000).toUTCString(), want: 0 },
    { header: '-1', want: undefined },
    { header: '1.5', want: undefined },
    { header: 'soon', want: undefined },
    { header: null, want: undefined },
  ])('$header → $want', ({ header, want }) => {
    expect(parseRetryAfter(header, NOW)).toBe(want);
  });
});

describe('nextRetry', () => {
  const policy = { maxAttempts: 3, baseMs: 100, maxMs: 1000, deadlineMs: 2000 };
  it.each([
    {
      name: 'retryable, first failure',
      attempt: 1,
      retryable: true,
      elapsedMs: 0,
      retryAfterMs: undefined,
      want: { retry: true, delayMs: 50 },
    },
    {
      name: 'Retry-After wins over backoff',
      attempt: 1,
      retryable: true,
      elapsedMs: 0,
      retryAfterMs: 900,
      want: { retry: true, delayMs: 900 },
    },
    {
      name: 'not retryable',
      attempt: 1,
      retryable: false,
      elapsedMs: 0,
      retryAfterMs: undefined,
      want: { retry: false, why: 'final' },
    },
    {
      name: 'attempts used up',
      attempt: 3,
      retryable: true,
      elapsedMs: 0,
      retryAfterMs: undefined,
      want: { retry: false, why: 'attempts' },
    },
    {
      name: 'the wait would cross the deadline',
      attempt: 2,
      retryable: true,
      elapsedMs: 1950,
      retryAfterMs: undefined,
      want: { retry: false, why: 'deadline' },
    },
    {
      name: 'Retry-After beyond the deadline',
      attempt: 1,
      retryable: true,
      elapsedMs: 0,
      retryAfterMs: 5000,
      want: { retry: false, why: 'deadline' },
    },
  ])('$name', ({ name: _, retryAfterMs, ...input }) => {
    const { want, ...rest } = input;
    expect(
      nextRetry({
        ...rest,
        status: 503,
        random: 0.5,
        policy,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      }),
    ).toEqual(want);
  });
});

// k8s.io/apimachinery/pkg/apis/meta/v1/helpers_test.go#TestLabelSelectorAsSelector
describe('labelSelectorToString', () => {
  const base = { matchLabels: { foo: 'bar' } };
  it.each([
    { name: 'absent', sel: undefined, want: '' },
    { name: 'empty', sel: {}, want: '' },
    {
      name: 'In',
      sel: { ...base, matchExpressions: [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }] },
      want: 'baz in (norf,qux),foo=bar',
    },
    {
      name: 'NotIn',
      sel: { ...base, matchExpressions: [{ key: 'baz', operator: 'NotIn', values: ['qux', 'norf'] }] },
      want: 'baz notin (norf,qux),foo=bar',
    },
    {
      name: 'Exists',
      sel: { ...base, matchExpressions: [{ key: 'baz', operator: 'Exists' }] },
      want: 'baz,foo=bar',
    },
    {
      name: 'DoesNotExist',
      sel: { ...base, matchExpressions: [{ key: 'baz', operator: 'DoesNotExist' }] },
      want: '!baz,foo=bar',
    },
    { name: 'keys sorted', sel: { matchLabels: { zone: 'a', app: 'web' } }, want: 'app=web,zone=a' },
  ])('$name → "$want"', ({ sel, want }) => {
    expect(labelSelectorToString(sel)).toBe(want);
  });

  it("rejects an unknown operator with apimachinery's message", () => {
    expect(() =>
      labelSelectorToString({ matchExpressions: [{ key: 'baz', operator: 'Blah', values: ['x'] }] }),
    ).toThrow('"Blah" is not a valid label selector operator');
  });
});

// k8s.io/apimachinery/pkg/apis/meta/v1 Duration JSON is time.Duration.String(); cases from Go's time.ParseDuration tests.
describe('parseGoDuration', () => {
  it.each([
    { text: '30s', want: 30_000 },
    { text: '1m0s', want: 60_000 },
    { text: '1h2m3.5s', want: 3_723_500 },
    { text: '500ms', want: 500 },
    { text: '1.5h', want: 5_400_000 },
    { text: '-2m', want: -120_000 },
    { text: '0', want: 0 },
    { text: '1500us', want: 1.5 },
    { text: '', want: undefined },
    { text: '30', want: undefined },
    { text: '3x', want: undefined },
  ])('$text → $want', ({ text, want }) => {
    expect(parseGoDuration(text)).toBe(want);
  });
});

describe('paths', () => {
  it.each([
    {
      gvr: { group: 'apps', version: 'v1', resource: 'deployments' },
      at: { namespace: 'default', name: 'web', subresource: 'scale' },
      path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
      described: 'apps/v1/deployments default/web/scale',
    },
    {
      gvr: { group: '', version: 'v1', resource: 'pods' },
      at: { namespace: 'ns' },
      path: '/api/v1/namespaces/ns/pods',
      described: 'v1/pods ns',
    },
    {
      gvr: { group: 'autoscaling.karmada.io', version: 'v1alpha1', resource: 'federatedhpas' },
      at: {},
      path: '/apis/autoscaling.karmada.io/v1alpha1/federatedhpas',
      described: 'autoscaling.karmada.io/v1alpha1/federatedhpas',
    },
    {
      gvr: { group: 'apps', version: 'v1', resource: 'deployments' },
      at: { namespace: 'a b', name: 'x/y' },
      path: '/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy',
      described: 'apps/v1/deployments a b/x/y',
    },
  ])('$path', ({ gvr, at, path, described }) => {
    expect(resourcePath(gvr, at)).toBe(path);
    expect(describeResource(gvr, at)).toBe(described);
  });

  it('reaches a member through the cluster proxy', () => {
    expect(clusterProxyPath('member1', '/api/v1/namespaces/default/pods')).toBe(
      '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/pods',
    );
  });

  it.each([
    { apiVersion: 'apps/v1', want: { group: 'apps', version: 'v1' } },
    { apiVersion: 'v1', want: { group: '', version: 'v1' } },
  ])('parseApiVersion($apiVersion)', ({ apiVersion, want }) => {
    expect(parseApiVersion(apiVersion)).toEqual(want);
  });

  it.each(['', 'a/b/c', '/v1'])('parseApiVersion(%j) is an error', (apiVersion) => {
    expect(() => parseApiVersion(apiVersion)).toThrow('invalid apiVersion');
  });
});

// k8s.io/apimachinery/pkg/api/meta/restmapper.go#UnsafeGuessKindToResource (its rules, case by case)
describe('guessPlural', () => {
  it.each([
    ['pod', 'pods'],
    ['ingress', 'ingresses'],
    ['policy', 'policies'],
    ['gateway', 'gatewaies'],
    ['endpoints', 'endpoints'],
    ['', ''],
  ])('%s → %s', (singular, plural) => {
    expect(guessPlural(singular)).toBe(plural);
  });
});

describe('pemFrom', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  it('accepts PEM and base64 of PEM (kubeconfig *-data)', () => {
    expect(pemFrom(pem)).toBe(pem);
    expect(pemFrom(Buffer.from(pem).toString('base64'))).toBe(pem);
  });
  it('rejects anything else', () => {
    expect(() => pemFrom(Buffer.from('hello').toString('base64'))).toThrow(
      'neither PEM nor base64-encoded PEM',
    );
  });
});

describe('hpaStatusPatch', () => {
  it('sends every status field, null for the absent ones so a merge patch clears them', () => {
    expect(hpaStatusPatch({ desiredReplicas: 3, currentReplicas: 2, conditions: [] })).toEqual({
      status: {
        observedGeneration: null,
        lastScaleTime: null,
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: null,
        conditions: [],
      },
    });
  });
});

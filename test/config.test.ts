import { describe, expect, it } from 'vitest';
import { ConfigError, leaseOptionsFrom, parseDuration, parseEnv } from '../src/config.ts';
import { prometheusEndpointsFrom } from '../src/prometheus/endpoints.ts';

describe('parseEnv', () => {
  it('applies the controller defaults Karmada uses (tolerance 0.1, 5m/30s/5m)', () => {
    const env = parseEnv({});
    expect(env.FHPA_TOLERANCE).toBe(0.1);
    expect(env.FHPA_CPU_INITIALIZATION_PERIOD).toBe(300_000);
    expect(env.FHPA_INITIAL_READINESS_DELAY).toBe(30_000);
    expect(env.FHPA_DOWNSCALE_STABILIZATION).toBe(300_000);
    expect(env.FHPA_SCOPE).toBe('karmada');
  });

  it('names every bad variable and never echoes a value', () => {
    let error: unknown;
    try {
      parseEnv({
        FHPA_TOLERANCE: 'lots',
        FHPA_AUTH_TOKEN: 'short-secret',
        FHPA_SWEEP_SHARD: '5/4',
        FHPA_KARMADA_SERVER: 'not a url',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('FHPA_TOLERANCE');
    expect(problems).toContain('FHPA_AUTH_TOKEN: must be at least 16 characters');
    expect(problems).toContain('FHPA_SWEEP_SHARD');
    expect(problems).toContain('FHPA_KARMADA_SERVER');
    expect(problems).not.toContain('short-secret');
  });

  it('requires basic user and password together', () => {
    expect(() => parseEnv({ FHPA_AUTH_BASIC_USER: 'am' })).toThrow(/set both or neither/);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ FHPA_KARMADA_SERVER: '' }).FHPA_KARMADA_SERVER).toBeUndefined();
  });

  it('parses shards and durations', () => {
    const env = parseEnv({ FHPA_SWEEP_SHARD: '1/4', FHPA_SWEEP_INTERVAL: '1m30s' });
    expect(env.FHPA_SWEEP_SHARD).toEqual({ index: 1, count: 4 });
    expect(env.FHPA_SWEEP_INTERVAL).toBe(90_000);
  });
});

describe('sweep leases', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      parseEnv(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };

  it('is off by default, and on gives client-go’s timing ratio at twice the scale and 32 partitions', () => {
    expect(leaseOptionsFrom(parseEnv({}))).toBeUndefined();
    expect(
      leaseOptionsFrom(parseEnv({ FHPA_SWEEP_LEASES: 'true', FHPA_REPLICA_ID: 'fhpa-7d9c-x2' })),
    ).toEqual({
      partitions: 32,
      timing: { durationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 5_000 },
      identity: 'fhpa-7d9c-x2',
    });
  });

  it('refuses a static shard beside leases, naming both', () => {
    expect(problemsOf({ FHPA_SWEEP_LEASES: 'true', FHPA_SWEEP_SHARD: '0/2' })).toEqual([
      'FHPA_SWEEP_SHARD: cannot be combined with FHPA_SWEEP_LEASES, which divides the FederatedHPAs among replicas itself; set one',
    ]);
    // Without leases the shard is as before.
    expect(problemsOf({ FHPA_SWEEP_SHARD: '0/2' })).toEqual([]);
  });

  it('refuses timings client-go would refuse, and bad partitions and identities', () => {
    expect(
      problemsOf({ FHPA_SWEEP_LEASES: 'true', FHPA_LEASE_DURATION: '10s', FHPA_LEASE_RENEW_DEADLINE: '10s' }),
    ).toEqual(['FHPA_LEASE_DURATION: must be longer than FHPA_LEASE_RENEW_DEADLINE']);
    expect(problemsOf({ FHPA_SWEEP_LEASES: 'true', FHPA_LEASE_RETRY_PERIOD: '50ms' })).toEqual([
      'FHPA_LEASE_RETRY_PERIOD: must be at least 100ms',
    ]);
    expect(problemsOf({ FHPA_LEASE_PARTITIONS: '100', FHPA_REPLICA_ID: 'a b' })).toEqual([
      'FHPA_LEASE_PARTITIONS: must be at most 99',
      'FHPA_REPLICA_ID: must be 1-253 letters, digits, ".", "_" or "-"',
    ]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['15s', 15_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('Prometheus endpoints', () => {
  it('builds "default" from FHPA_PROMETHEUS_* and named ones from FHPA_PROMETHEUS_ENDPOINTS', () => {
    const env = parseEnv({
      FHPA_PROMETHEUS_URL: 'http://prometheus.monitoring:9090',
      FHPA_PROMETHEUS_TOKEN: 'a-bearer-token',
      FHPA_PROMETHEUS_TIMEOUT: '2s',
      FHPA_PROMETHEUS_ENDPOINTS: JSON.stringify({
        thanos: {
          url: 'https://thanos.example.com/prefix',
          basicUser: 'fhpa',
          basicPassword: 'pw-123456',
          timeout: '10s',
        },
      }),
    });
    expect([...prometheusEndpointsFrom(env).values()]).toEqual([
      {
        name: 'default',
        url: 'http://prometheus.monitoring:9090',
        bearerToken: 'a-bearer-token',
        timeoutMs: 2000,
      },
      {
        name: 'thanos',
        url: 'https://thanos.example.com/prefix',
        basicUser: 'fhpa',
        basicPassword: 'pw-123456',
        timeoutMs: 10_000,
      },
    ]);
    expect(prometheusEndpointsFrom(parseEnv({})).size).toBe(0);
  });

  it('names the bad field of a named endpoint, and never its value', () => {
    let error: unknown;
    try {
      parseEnv({
        FHPA_PROMETHEUS_TOKEN: 'orphan-token-value',
        FHPA_PROMETHEUS_ENDPOINTS: JSON.stringify({
          thanos: { url: 'ftp://x', bearerToken: 'secret-token-value', timeout: '5 minutes' },
          mimir: { url: 'https://mimir', certData: 'PEM' },
        }),
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'FHPA_PROMETHEUS_ENDPOINTS: thanos.url: must be an http(s) URL',
      'FHPA_PROMETHEUS_ENDPOINTS: thanos.timeout: must be a duration such as "500ms" or "5s"',
      'FHPA_PROMETHEUS_ENDPOINTS: mimir: certData and keyData: set both or neither',
    ]);
    expect(problems.join('\n')).not.toContain('secret-token-value');
    expect(() => parseEnv({ FHPA_PROMETHEUS_ENDPOINTS: '{nope' })).toThrow(
      'FHPA_PROMETHEUS_ENDPOINTS: must be a JSON object of named endpoints',
    );
    // Endpoint names are the annotation's values, so they are RFC 1123 labels, as the annotation checks.
    for (const name of ['Thanos', 'thanos.eu', 'x'.repeat(64)])
      expect(() =>
        parseEnv({ FHPA_PROMETHEUS_ENDPOINTS: JSON.stringify({ [name]: { url: 'https://t' } }) }),
      ).toThrow('a name is lower case letters, digits and "-"');
    expect(
      parseEnv({ FHPA_PROMETHEUS_ENDPOINTS: JSON.stringify({ ['x'.repeat(63)]: { url: 'https://t' } }) }),
    ).toBeTruthy();
    expect(() => parseEnv({ FHPA_PROMETHEUS_TOKEN: 'orphan-token-value' })).toThrow(
      'FHPA_PROMETHEUS_URL: required when other FHPA_PROMETHEUS_* variables are set',
    );
  });
});

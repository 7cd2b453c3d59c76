import { describe, expect, it } from 'vitest';
import { ConfigError, parseDuration, parseEnv } from '../src/config.ts';

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

import { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';
import { DEFAULT_PROMETHEUS_ENDPOINT } from '../api/metric-annotations.ts';
import { isDNS1123Label } from '../validation/names.ts';

// The Prometheus HTTP APIs PromQL metrics are read from, by name (a FederatedHPA picks one with the
// `autoscaling.fhpa.io/prometheus` annotation; "default" otherwise). Parsed once in src/config.ts from
// FHPA_PROMETHEUS_URL and friends (the "default" endpoint) and FHPA_PROMETHEUS_ENDPOINTS (a JSON object of
// named endpoints). Errors name the field, never its value.

export interface PrometheusEndpoint {
  name: string;
  /** Base URL, the part before /api/v1/query (may carry a path prefix, as Thanos or Mimir often do). */
  url: string;
  bearerToken?: string;
  basicUser?: string;
  basicPassword?: string;
  /** PEM or base64 PEM: a private CA; a client certificate and key for mTLS (Node and Lambda). */
  caData?: string;
  certData?: string;
  keyData?: string;
  timeoutMs: number;
}

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 60_000;

const timeout = z
  .string()
  .regex(/^(\d+(ms|s|m))+$/, { message: 'must be a duration such as "500ms" or "5s"' })
  .transform((text) => {
    let ms = 0;
    for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m)/g))
      ms += Number(n) * { ms: 1, s: 1000, m: 60_000 }[unit as 'ms' | 's' | 'm'];
    return ms;
  })
  .refine((ms) => ms >= 100 && ms <= MAX_TIMEOUT_MS, { message: 'must be between 100ms and 60s' });

const url = z
  .url({ message: 'must be an http(s) URL such as https://prometheus.example.com' })
  .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' });

const endpointSchema = z
  .object({
    url,
    bearerToken: z.string().min(1).optional(),
    basicUser: z.string().min(1).optional(),
    basicPassword: z.string().min(1).optional(),
    caData: z.string().min(1).optional(),
    certData: z.string().min(1).optional(),
    keyData: z.string().min(1).optional(),
    timeout: timeout.optional(),
  })
  .strict()
  .refine((e) => !(e.bearerToken && e.basicUser), { message: 'set bearerToken or basicUser, not both' })
  .refine((e) => (e.basicUser === undefined) === (e.basicPassword === undefined), {
    message: 'basicUser and basicPassword: set both or neither',
  })
  .refine((e) => (e.certData === undefined) === (e.keyData === undefined), {
    message: 'certData and keyData: set both or neither',
  });

/** FHPA_PROMETHEUS_ENDPOINTS: `{"thanos": {"url": "...", "bearerToken": "..."}, ...}`. */
export const endpointsJsonSchema = z.string().transform((text, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of named endpoints' });
    return z.NEVER;
  }
  const parsed = z.record(z.string(), endpointSchema).safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The message only: zod's text for a wrong type may quote the value, which may be a secret.
      const message = issue.code === 'invalid_type' ? `must be a ${issue.expected}` : issue.message;
      ctx.addIssue({ code: 'custom', message: `${fieldPath(issue.path)}: ${message}` });
    }
    return z.NEVER;
  }
  for (const name of Object.keys(parsed.data)) {
    if (isDNS1123Label(name).length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${name.slice(0, 64)}: a name is lower case letters, digits and "-"`,
      });
      return z.NEVER;
    }
  }
  return parsed.data;
});

export const prometheusEnvSchema = {
  FHPA_PROMETHEUS_URL: url.optional(),
  FHPA_PROMETHEUS_TOKEN: z.string().min(1).optional(),
  FHPA_PROMETHEUS_BASIC_USER: z.string().min(1).optional(),
  FHPA_PROMETHEUS_BASIC_PASSWORD: z.string().min(1).optional(),
  FHPA_PROMETHEUS_CA_DATA: z.string().min(1).optional(),
  FHPA_PROMETHEUS_CERT_DATA: z.string().min(1).optional(),
  FHPA_PROMETHEUS_KEY_DATA: z.string().min(1).optional(),
  FHPA_PROMETHEUS_TIMEOUT: timeout.optional(),
  FHPA_PROMETHEUS_ENDPOINTS: endpointsJsonSchema.optional(),
};

type PrometheusEnv = {
  [K in keyof typeof prometheusEnvSchema]?: z.infer<(typeof prometheusEnvSchema)[K]>;
};

/** Cross-field problems of the flat variables (the JSON form checks its own). */
export function prometheusEnvProblems(env: PrometheusEnv): string[] {
  const problems: string[] = [];
  const flatSet = [
    env.FHPA_PROMETHEUS_TOKEN,
    env.FHPA_PROMETHEUS_BASIC_USER,
    env.FHPA_PROMETHEUS_CA_DATA,
    env.FHPA_PROMETHEUS_CERT_DATA,
  ].some((v) => v !== undefined);
  if (flatSet && !env.FHPA_PROMETHEUS_URL)
    problems.push('FHPA_PROMETHEUS_URL: required when other FHPA_PROMETHEUS_* variables are set');
  if ((env.FHPA_PROMETHEUS_BASIC_USER === undefined) !== (env.FHPA_PROMETHEUS_BASIC_PASSWORD === undefined))
    problems.push('FHPA_PROMETHEUS_BASIC_USER and FHPA_PROMETHEUS_BASIC_PASSWORD: set both or neither');
  if ((env.FHPA_PROMETHEUS_CERT_DATA === undefined) !== (env.FHPA_PROMETHEUS_KEY_DATA === undefined))
    problems.push('FHPA_PROMETHEUS_CERT_DATA and FHPA_PROMETHEUS_KEY_DATA: set both or neither');
  if (env.FHPA_PROMETHEUS_URL && env.FHPA_PROMETHEUS_ENDPOINTS?.[DEFAULT_PROMETHEUS_ENDPOINT])
    problems.push('FHPA_PROMETHEUS_ENDPOINTS: "default" is FHPA_PROMETHEUS_URL; name it once');
  return problems;
}

/** Every configured endpoint by name. */
export function prometheusEndpointsFrom(env: PrometheusEnv): Map<string, PrometheusEndpoint> {
  const out = new Map<string, PrometheusEndpoint>();
  const defaultTimeout = env.FHPA_PROMETHEUS_TIMEOUT ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  if (env.FHPA_PROMETHEUS_URL) {
    out.set(DEFAULT_PROMETHEUS_ENDPOINT, {
      name: DEFAULT_PROMETHEUS_ENDPOINT,
      url: env.FHPA_PROMETHEUS_URL,
      ...optional('bearerToken', env.FHPA_PROMETHEUS_TOKEN),
      ...optional('basicUser', env.FHPA_PROMETHEUS_BASIC_USER),
      ...optional('basicPassword', env.FHPA_PROMETHEUS_BASIC_PASSWORD),
      ...optional('caData', env.FHPA_PROMETHEUS_CA_DATA),
      ...optional('certData', env.FHPA_PROMETHEUS_CERT_DATA),
      ...optional('keyData', env.FHPA_PROMETHEUS_KEY_DATA),
      timeoutMs: defaultTimeout,
    });
  }
  for (const [name, e] of Object.entries(env.FHPA_PROMETHEUS_ENDPOINTS ?? {})) {
    const { timeout: t, ...rest } = e;
    out.set(name, { name, ...rest, timeoutMs: t ?? defaultTimeout });
  }
  return out;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

import { z } from 'zod';
import { MAX_REFS_PER_BATCH } from './api/sweep-batch.ts';
import { timingProblems } from './pipeline/lease-balance.ts';
import { prometheusEnvProblems, prometheusEnvSchema } from './prometheus/endpoints.ts';
import { MAX_PARTITIONS, replicaIdPattern } from './store/lease-store.ts';

// fhpa's configuration, parsed once at start-up from the environment (Worker vars and secrets, Lambda
// environment, Node process.env) into one typed object. Nothing else reads the environment. Every
// variable is documented in README ("Configuration"); errors name the variable and never echo a value.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
const duration = z
  .string()
  .regex(/^(\d+(ms|s|m|h))+$/, { message: 'must be a duration such as "30s", "5m" or "1h30m"' })
  .transform(parseDuration);

export function parseDuration(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return ms;
}

export const envSchema = z.object({
  // Where Karmada is. One of: a URL (+ token, + CA for private CAs), a kubeconfig (Node and Lambda), or the
  // in-cluster service account (Node server running in the Karmada host cluster).
  FHPA_KARMADA_SERVER: z
    .url({ message: 'must be a URL such as https://karmada.example.com:5443' })
    .optional(),
  FHPA_KARMADA_TOKEN: z.string().min(1).optional(),
  FHPA_KARMADA_CA_DATA: z.string().min(1).optional(),
  FHPA_KARMADA_INSECURE_SKIP_TLS_VERIFY: bool.optional(),
  FHPA_KUBECONFIG: z.string().min(1).optional(),
  FHPA_KUBE_CONTEXT: z.string().min(1).optional(),
  FHPA_IN_CLUSTER: bool.optional(),
  FHPA_KARMADA_TIMEOUT_MS: int(100, 120_000).default(10_000),
  FHPA_SCOPE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,63}$/, { message: 'must be 1-63 letters, digits, ".", "_" or "-"' })
    .default('karmada'),

  // Credentials the trigger routes (/alerts, /evaluate, /sweep) accept.
  FHPA_AUTH_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  FHPA_AUTH_BASIC_USER: z.string().min(1).optional(),
  FHPA_AUTH_BASIC_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).optional(),

  // shadow: decide for every FederatedHPA without writing its scale or status (autoscaling.fhpa.io/mode on a
  // FederatedHPA overrides it), to run beside Karmada's own controller before replacing it.
  FHPA_MODE: z.enum(['active', 'shadow'], { message: 'must be active or shadow' }).default('active'),

  // The admission webhook's one-autoscaler-per-target check reads Karmada within this; "0s" turns it off.
  // Short, because the API server waits for the webhook on every `kubectl apply`.
  FHPA_ADMISSION_LOOKUP_TIMEOUT: duration.default(2_000),
  // Node server with TLS: a PEM CA file; the admission routes then answer only clients presenting a certificate
  // it signed (the Karmada API server's, from its AdmissionConfiguration kubeConfigFile). Trigger routes keep
  // their token or basic auth.
  FHPA_ADMISSION_CLIENT_CA: z.string().min(1).optional(),

  FHPA_MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
  FHPA_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

  // The scheduled trigger.
  FHPA_SWEEP_CONCURRENCY: int(1, 1024).default(32),
  FHPA_SWEEP_LABEL_SELECTOR: z.string().optional(),
  FHPA_SWEEP_NAMESPACE: z.string().optional(),
  FHPA_SWEEP_SHARD: z
    .string()
    .regex(/^\d+\/\d+$/, { message: 'must be "index/count", e.g. "0/4"' })
    .transform((s) => {
      const [index, count] = s.split('/').map(Number) as [number, number];
      return { index, count };
    })
    .refine((s) => s.count > 0 && s.index < s.count, { message: 'index must be below count' })
    .optional(),
  /** Sweeps per scheduler tick, spaced FHPA_SWEEP_INTERVAL apart: 4 × 15 s matches Karmada's 15 s sync
   * period under a once-a-minute cron. */
  FHPA_SWEEPS_PER_TICK: int(1, 60).default(1),
  FHPA_SWEEP_INTERVAL: duration.default(15_000),
  // A fanned-out sweep (src/pipeline/fanout-*.ts): the scheduled function lists and enqueues, queue consumers
  // evaluate. On Lambda, setting the SQS queue's URL turns it on (on Workers, binding SWEEP_QUEUE does).
  FHPA_SWEEP_QUEUE_URL: z
    .url({
      message: 'must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/fhpa-sweep',
    })
    .optional(),
  /** An SQS-compatible endpoint instead of https://sqs.<AWS_REGION>.amazonaws.com/ (tests, local servers). */
  FHPA_SQS_ENDPOINT: z.url({ message: 'must be a URL such as http://127.0.0.1:4566' }).optional(),
  /** FederatedHPAs per queue message. */
  FHPA_SWEEP_BATCH_SIZE: int(1, MAX_REFS_PER_BATCH).default(25),

  // Node replicas sharing the in-process sweep through partition leases in the history store
  // (pipeline/lease-keeper.ts). The timing defaults keep client-go's ratio (15 s / 10 s / 2 s) at twice the
  // scale: the 10 s between renew deadline and lease duration covers an evaluation still in flight (the
  // Karmada timeout's default) on a replica that just lost its leases.
  FHPA_SWEEP_LEASES: bool.default(false),
  FHPA_LEASE_PARTITIONS: int(1, MAX_PARTITIONS).default(32),
  FHPA_LEASE_DURATION: duration.default(30_000),
  FHPA_LEASE_RENEW_DEADLINE: duration.default(20_000),
  FHPA_LEASE_RETRY_PERIOD: duration.default(5_000),
  FHPA_REPLICA_ID: z
    .string()
    .regex(replicaIdPattern, { message: 'must be 1-253 letters, digits, ".", "_" or "-"' })
    .optional(),

  // The HPA algorithm's controller flags (karmada pkg/controllers/federatedhpa/config/types.go).
  FHPA_TOLERANCE: z.coerce
    .number({ message: 'must be a number' })
    .min(0, { message: 'must be at least 0' })
    .max(1, { message: 'must be at most 1' })
    .default(0.1),
  FHPA_CPU_INITIALIZATION_PERIOD: duration.default(300_000),
  FHPA_INITIAL_READINESS_DELAY: duration.default(30_000),
  FHPA_DOWNSCALE_STABILIZATION: duration.default(300_000),
  FHPA_CRON_STARTING_DEADLINE: duration.default(300_000),

  // Where PromQL metrics are read (src/prometheus/endpoints.ts).
  ...prometheusEnvSchema,
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a ConfigError lists every bad variable by name (values are never shown). */
export function parseEnv(env: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (a Worker var left blank, a `FOO=` line in an env file).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map(
        (i) => `${String(i.path[0] ?? '?')}: ${i.message.replace(/received .*/i, '').trim()}`,
      );
  if (parsed.success) {
    const e = parsed.data;
    if ((e.FHPA_AUTH_BASIC_USER === undefined) !== (e.FHPA_AUTH_BASIC_PASSWORD === undefined)) {
      problems.push('FHPA_AUTH_BASIC_USER and FHPA_AUTH_BASIC_PASSWORD: set both or neither');
    }
    if (e.FHPA_KARMADA_TOKEN && !e.FHPA_KARMADA_SERVER) {
      problems.push('FHPA_KARMADA_SERVER: required when FHPA_KARMADA_TOKEN is set');
    }
    problems.push(...prometheusEnvProblems(e));
    if (e.FHPA_SWEEP_LEASES) {
      if (e.FHPA_SWEEP_SHARD) {
        problems.push(
          'FHPA_SWEEP_SHARD: cannot be combined with FHPA_SWEEP_LEASES, which divides the FederatedHPAs among replicas itself; set one',
        );
      }
      problems.push(...timingProblems(leaseTiming(e)));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data as Env;
}

export function credentialsFrom(env: Env) {
  return {
    ...(env.FHPA_AUTH_TOKEN ? { bearerToken: env.FHPA_AUTH_TOKEN } : {}),
    ...(env.FHPA_AUTH_BASIC_USER ? { basicUser: env.FHPA_AUTH_BASIC_USER } : {}),
    ...(env.FHPA_AUTH_BASIC_PASSWORD ? { basicPassword: env.FHPA_AUTH_BASIC_PASSWORD } : {}),
  };
}

export function sweepOptionsFrom(env: Env) {
  return {
    concurrency: env.FHPA_SWEEP_CONCURRENCY,
    ...(env.FHPA_SWEEP_LABEL_SELECTOR ? { labelSelector: env.FHPA_SWEEP_LABEL_SELECTOR } : {}),
    ...(env.FHPA_SWEEP_NAMESPACE ? { namespace: env.FHPA_SWEEP_NAMESPACE } : {}),
    ...(env.FHPA_SWEEP_SHARD ? { shard: env.FHPA_SWEEP_SHARD } : {}),
  };
}

/** What the producer of a fanned-out sweep lists and how it cuts batches (FHPA_SWEEP_* as the sweep honours them). */
export function fanOutOptionsFrom(env: Env) {
  const { concurrency: _, ...selection } = sweepOptionsFrom(env);
  return { ...selection, batchSize: env.FHPA_SWEEP_BATCH_SIZE };
}

const leaseTiming = (env: Env) => ({
  durationMs: env.FHPA_LEASE_DURATION,
  renewDeadlineMs: env.FHPA_LEASE_RENEW_DEADLINE,
  retryPeriodMs: env.FHPA_LEASE_RETRY_PERIOD,
});

/** The Node sweep's partition leases, or undefined when FHPA_SWEEP_LEASES is off. */
export function leaseOptionsFrom(env: Env) {
  if (!env.FHPA_SWEEP_LEASES) return undefined;
  return {
    partitions: env.FHPA_LEASE_PARTITIONS,
    timing: leaseTiming(env),
    ...(env.FHPA_REPLICA_ID ? { identity: env.FHPA_REPLICA_ID } : {}),
  };
}

export function engineOptionsFrom(env: Env) {
  return {
    tolerance: env.FHPA_TOLERANCE,
    cpuInitializationPeriodMs: env.FHPA_CPU_INITIALIZATION_PERIOD,
    initialReadinessDelayMs: env.FHPA_INITIAL_READINESS_DELAY,
    downscaleStabilizationMs: env.FHPA_DOWNSCALE_STABILIZATION,
  };
}

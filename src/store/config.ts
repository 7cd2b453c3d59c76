import { z } from 'zod';
import { ConfigError } from '../config.ts';
import type { Backoff } from './backoff.ts';
import type { DynamoApi } from './dynamodb-api.ts';
import { DynamoHistoryStore } from './dynamodb-store.ts';
import { EmbeddedHistoryStore } from './embedded-store.ts';
import type { HistoryStore } from './history-store.ts';

// The history store's environment, parsed once at start-up (STYLE.md principle 7). Without a table the
// embedded store is used, so `fhpa serve` and the demo work with nothing configured. Errors name each bad
// variable and never echo a value (the AWS keys are secrets).

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
const secret = z.string().min(1);

export const storeEnvSchema = z.object({
  FHPA_STORE: z.enum(['embedded', 'dynamodb'], { message: 'must be "embedded" or "dynamodb"' }).optional(),
  // Table names: 3-255 of [a-zA-Z0-9_.-] (developerguide/HowItWorks.NamingRulesDataTypes.html).
  FHPA_DYNAMODB_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'must be 3-255 letters, digits, "_", "-" or "."' })
    .optional(),
  FHPA_DYNAMODB_ENDPOINT: z.url({ message: 'must be a URL such as http://127.0.0.1:8000' }).optional(),
  FHPA_DYNAMODB_MAX_ATTEMPTS: int(1, 10).default(3),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z0-9]+)+$/, { message: 'must be a region such as eu-west-1' })
    .optional(),
  AWS_ACCESS_KEY_ID: secret.optional(),
  AWS_SECRET_ACCESS_KEY: secret.optional(),
  AWS_SESSION_TOKEN: secret.optional(),
  // At least the longest stabilization window Kubernetes allows (3600 s, autoscaling/v2 validation), so TTL
  // never removes a history that still matters; default a week after the last save.
  FHPA_HISTORY_TTL_SECONDS: int(3600, 366 * 86_400).default(7 * 86_400),
});

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type StoreConfig =
  | { kind: 'embedded'; ttlSeconds: number }
  | {
      kind: 'dynamodb';
      table: string;
      region: string;
      endpoint?: string;
      /** Absent: the AWS SDK's default chain (only the SDK transport can use it). */
      credentials?: AwsCredentials;
      maxAttempts: number;
      ttlSeconds: number;
    };

// dynalite and DynamoDB Local check that requests are signed, not by whom; without keys the SDK's credential
// chain fails before sending anything ("Could not load credentials from any providers"). A loopback endpoint
// without keys is signed with these placeholders instead, so `fhpa store init` against one needs no dummy keys.
const LOCAL_CREDENTIALS: AwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses the store's variables; a ConfigError lists every problem by variable name. */
export function parseStoreConfig(env: Record<string, string | undefined>): StoreConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = storeEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${String(i.path[0] ?? '?')}: ${i.message.replace(/received .*/i, '').trim()}`,
      ),
    );
  }
  const e = parsed.data;
  const kind = e.FHPA_STORE ?? (e.FHPA_DYNAMODB_TABLE ? 'dynamodb' : 'embedded');
  if (kind === 'embedded') return { kind, ttlSeconds: e.FHPA_HISTORY_TTL_SECONDS };

  const problems: string[] = [];
  if (!e.FHPA_DYNAMODB_TABLE) problems.push('FHPA_DYNAMODB_TABLE: required when FHPA_STORE=dynamodb');
  if (!e.AWS_REGION) problems.push('AWS_REGION: required for the DynamoDB history store');
  if ((e.AWS_ACCESS_KEY_ID === undefined) !== (e.AWS_SECRET_ACCESS_KEY === undefined)) {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither');
  }
  if (e.AWS_SESSION_TOKEN && !e.AWS_ACCESS_KEY_ID) {
    problems.push('AWS_SESSION_TOKEN: needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind,
    table: e.FHPA_DYNAMODB_TABLE!,
    region: e.AWS_REGION!,
    ...(e.FHPA_DYNAMODB_ENDPOINT ? { endpoint: e.FHPA_DYNAMODB_ENDPOINT } : {}),
    ...(e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: e.AWS_ACCESS_KEY_ID,
            secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
            ...(e.AWS_SESSION_TOKEN ? { sessionToken: e.AWS_SESSION_TOKEN } : {}),
          },
        }
      : isLoopback(e.FHPA_DYNAMODB_ENDPOINT)
        ? { credentials: LOCAL_CREDENTIALS }
        : {}),
    maxAttempts: e.FHPA_DYNAMODB_MAX_ATTEMPTS,
    ttlSeconds: e.FHPA_HISTORY_TTL_SECONDS,
  };
}

/** One line for logs and the CLI: where histories go, without credentials. */
export function describeStore(config: StoreConfig): string {
  if (config.kind === 'embedded') return 'embedded (in-process; histories last as long as the process)';
  return `DynamoDB table "${config.table}" in ${config.region}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
}

export type DynamoConfig = Extract<StoreConfig, { kind: 'dynamodb' }>;

/**
 * Opens the DynamoDB port for a configuration. Each runtime hands in its own (connect-sdk.ts on Node and
 * Lambda, connect-fetch.ts on Workers) so a bundle carries only the transport it uses: the AWS SDK is most of
 * a Worker bundle that would never call it.
 */
export type DynamoConnector = (config: DynamoConfig, backoff?: Backoff) => Promise<DynamoApi>;

export interface CreateStoreOptions {
  /** How to reach DynamoDB; required when the configuration names a table. */
  connect?: DynamoConnector;
  onWarning: (message: string) => void;
  /** Epoch ms; Date.now in production. */
  clock?: () => number;
  backoff?: Backoff;
}

/** Builds the configured store. */
export async function createHistoryStore(
  config: StoreConfig,
  opts: CreateStoreOptions,
): Promise<HistoryStore> {
  const clock = opts.clock ?? Date.now;
  if (config.kind === 'embedded') {
    return new EmbeddedHistoryStore({ clock, ttlSeconds: config.ttlSeconds, onWarning: opts.onWarning });
  }
  if (!opts.connect)
    throw new Error('createHistoryStore: a DynamoDB table is configured but no connector was given');
  const api = await opts.connect(config, opts.backoff);
  return new DynamoHistoryStore({
    api,
    table: config.table,
    clock,
    ttlSeconds: config.ttlSeconds,
    onWarning: opts.onWarning,
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
  });
}

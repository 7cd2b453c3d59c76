import { AwsClient } from 'aws4fetch';
import { z } from 'zod';

// Lambda's environment is capped at 4 KB in total: a CA bundle or kubeconfig does not fit, so fhpa reads its
// secrets from one Secrets Manager secret (a JSON object of FHPA_* variables) at cold start. Spoken over
// signed fetch (aws4fetch) rather than a second AWS SDK client, to keep the Lambda bundle and its cold start
// small. The secret's values are merged into the environment and never logged.

const secretValueSchema = z.object({ SecretString: z.string() });
const secretObjectSchema = z.record(z.string(), z.string());

export async function loadSecretEnv(
  secretId: string,
  env: Record<string, string | undefined>,
  fetchImpl: typeof fetch = fetch,
): Promise<Record<string, string>> {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION: required to read FHPA_SECRET_ARN');
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    throw new Error('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: required to read FHPA_SECRET_ARN');
  }
  const aws = new AwsClient({
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    service: 'secretsmanager',
    region,
    retries: 3,
  });
  const endpoint = env.FHPA_SECRETS_ENDPOINT ?? `https://secretsmanager.${region}.amazonaws.com/`;
  const res = await fetchImpl(
    await aws.sign(endpoint, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'secretsmanager.GetSecretValue',
        'Content-Type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ SecretId: secretId }),
    }),
  );
  if (!res.ok) {
    // The body names the AWS error type (ResourceNotFoundException, AccessDeniedException); it holds no secret.
    const text = (await res.text()).slice(0, 300);
    throw new Error(`reading secret ${secretId}: HTTP ${res.status} ${text}`);
  }
  const value = secretValueSchema.safeParse(await res.json());
  if (!value.success) throw new Error(`reading secret ${secretId}: response has no SecretString`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.data.SecretString);
  } catch {
    throw new Error(`secret ${secretId} must be a JSON object of FHPA_* variables`);
  }
  const vars = secretObjectSchema.safeParse(parsed);
  if (!vars.success) throw new Error(`secret ${secretId} must be a JSON object whose values are strings`);
  return vars.data;
}

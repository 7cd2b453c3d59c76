import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { createHistoryStore, describeStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor, dynamoApi } from '../../src/store/connect.ts';
import { DynamoHistoryStore } from '../../src/store/dynamodb-store.ts';
import { EmbeddedHistoryStore } from '../../src/store/embedded-store.ts';

// The store's environment: defaults, every missing or bad variable named, secrets never echoed.

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
const dynamo = { FHPA_DYNAMODB_TABLE: 'fhpa-history', AWS_REGION: 'eu-west-1' };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseStoreConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseStoreConfig', () => {
  it.each([
    {
      what: 'nothing set: the embedded store, 7-day TTL',
      env: {},
      config: { kind: 'embedded', ttlSeconds: 604_800 },
    },
    {
      what: 'a table: DynamoDB with the SDK credential chain',
      env: dynamo,
      config: {
        kind: 'dynamodb',
        table: 'fhpa-history',
        region: 'eu-west-1',
        maxAttempts: 3,
        ttlSeconds: 604_800,
      },
    },
    {
      what: 'FHPA_STORE=embedded wins over a table',
      env: { ...dynamo, FHPA_STORE: 'embedded', FHPA_HISTORY_TTL_SECONDS: '7200' },
      config: { kind: 'embedded', ttlSeconds: 7200 },
    },
    {
      what: 'a local endpoint, static keys with a session token, tuned attempts',
      env: {
        ...dynamo,
        FHPA_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: 'token',
        FHPA_DYNAMODB_MAX_ATTEMPTS: '5',
      },
      config: {
        kind: 'dynamodb',
        table: 'fhpa-history',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:8000',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: 'token' },
        maxAttempts: 5,
        ttlSeconds: 604_800,
      },
    },
    {
      // Issue 19.8: dynalite and DynamoDB Local check a signature's form only; the SDK chain would fail first.
      what: 'a loopback endpoint without keys: placeholder keys',
      env: { ...dynamo, FHPA_DYNAMODB_ENDPOINT: 'http://localhost:8000' },
      config: {
        kind: 'dynamodb',
        table: 'fhpa-history',
        region: 'eu-west-1',
        endpoint: 'http://localhost:8000',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
        ttlSeconds: 604_800,
      },
    },
    {
      what: 'another endpoint without keys: the SDK credential chain',
      env: { ...dynamo, FHPA_DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com' },
      config: {
        kind: 'dynamodb',
        table: 'fhpa-history',
        region: 'eu-west-1',
        endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
        maxAttempts: 3,
        ttlSeconds: 604_800,
      },
    },
    {
      what: 'empty strings as unset',
      env: { FHPA_DYNAMODB_TABLE: '', FHPA_STORE: '' },
      config: { kind: 'embedded', ttlSeconds: 604_800 },
    },
  ])('parses $what', ({ env, config }) => {
    expect(parseStoreConfig(env)).toEqual(config);
  });

  it.each([
    {
      what: 'FHPA_STORE=dynamodb without table or region',
      env: { FHPA_STORE: 'dynamodb' },
      problems: [
        'FHPA_DYNAMODB_TABLE: required when FHPA_STORE=dynamodb',
        'AWS_REGION: required for the DynamoDB history store',
      ],
    },
    {
      what: 'a table without a region',
      env: { FHPA_DYNAMODB_TABLE: 'fhpa-history' },
      problems: ['AWS_REGION: required for the DynamoDB history store'],
    },
    {
      what: 'a secret key without a key id',
      env: { ...dynamo, AWS_SECRET_ACCESS_KEY: SECRET },
      problems: ['AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither'],
    },
    {
      what: 'a session token alone',
      env: { ...dynamo, AWS_SESSION_TOKEN: SECRET },
      problems: ['AWS_SESSION_TOKEN: needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'],
    },
    {
      what: 'malformed values, each named',
      env: {
        FHPA_STORE: 'redis',
        FHPA_DYNAMODB_TABLE: 'a',
        FHPA_DYNAMODB_ENDPOINT: 'not a url',
        AWS_REGION: 'Europe',
        FHPA_HISTORY_TTL_SECONDS: '60',
        FHPA_DYNAMODB_MAX_ATTEMPTS: 'many',
        AWS_SECRET_ACCESS_KEY: SECRET,
      },
      problems: [
        'FHPA_STORE: must be "embedded" or "dynamodb"',
        'FHPA_DYNAMODB_TABLE: must be 3-255 letters, digits, "_", "-" or "."',
        'FHPA_DYNAMODB_ENDPOINT: must be a URL such as http://127.0.0.1:8000',
        'FHPA_DYNAMODB_MAX_ATTEMPTS: must be a whole number',
        'AWS_REGION: must be a region such as eu-west-1',
        'FHPA_HISTORY_TTL_SECONDS: must be at least 3600',
      ],
    },
  ])('names every problem: $what', ({ env, problems: expected }) => {
    const got = problems(env);
    expect(got).toEqual(expected);
    expect(got.join('\n')).not.toContain(SECRET);
  });
});

describe('createHistoryStore', () => {
  it('builds the embedded store without a table and the DynamoDB store with one', async () => {
    const onWarning = () => {};
    expect(await createHistoryStore(parseStoreConfig({}), { onWarning })).toBeInstanceOf(
      EmbeddedHistoryStore,
    );
    const env = { ...dynamo, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET };
    for (const transport of ['sdk', 'fetch'] as const) {
      const store = await createHistoryStore(parseStoreConfig(env), {
        onWarning,
        connect: connectorFor(transport),
      });
      expect(store).toBeInstanceOf(DynamoHistoryStore);
      store.close?.();
    }
  });

  it('refuses the fetch transport without static keys, naming them', async () => {
    const config = parseStoreConfig(dynamo);
    if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB configuration');
    await expect(dynamoApi(config, 'fetch')).rejects.toMatchObject({
      problems: [
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: required by the fetch transport (Workers have no AWS credential chain)',
      ],
    });
  });

  it('describes the store without credentials', () => {
    const config = parseStoreConfig({
      ...dynamo,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    expect(describeStore(config)).toBe('DynamoDB table "fhpa-history" in eu-west-1');
    expect(describeStore(parseStoreConfig({}))).toBe(
      'embedded (in-process; histories last as long as the process)',
    );
  });
});

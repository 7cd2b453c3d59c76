import { ConfigError } from '../config.ts';
import type { DynamoConnector } from './config.ts';
import { fetchDynamoApi } from './dynamodb-fetch.ts';

// DynamoDB's JSON API over signed fetch (aws4fetch): the Worker's transport, where the AWS SDK is not
// dependable and there is no credential chain, so static keys are required.
export const fetchConnector: DynamoConnector = async (config, backoff) => {
  if (!config.credentials) {
    throw new ConfigError([
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: required by the fetch transport (Workers have no AWS credential chain)',
    ]);
  }
  return fetchDynamoApi({
    region: config.region,
    maxAttempts: config.maxAttempts,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    credentials: config.credentials,
    ...(backoff ? { backoff } : {}),
  });
};

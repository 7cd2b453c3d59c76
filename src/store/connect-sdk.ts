import type { DynamoConnector } from './config.ts';
import { sdkDynamoApi } from './dynamodb-sdk.ts';

// DynamoDB through @aws-sdk/client-dynamodb: Node and Lambda, with the SDK's credential chain when no static
// keys are configured (a Lambda's role, an instance profile, AWS_PROFILE).
export const sdkConnector: DynamoConnector = async (config) =>
  sdkDynamoApi({
    region: config.region,
    maxAttempts: config.maxAttempts,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });

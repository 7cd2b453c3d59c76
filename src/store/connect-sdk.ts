import type { DynamoConnector } from './config.ts';

// DynamoDB through @aws-sdk/client-dynamodb: Node and Lambda, with the SDK's credential chain when no static
// keys are configured (a Lambda's role, an instance profile, AWS_PROFILE). The SDK is imported on first use,
// so a cold start that serves an admission review or uses the embedded store never evaluates it.
export const sdkConnector: DynamoConnector = async (config) => {
  const { sdkDynamoApi } = await import('./dynamodb-sdk.ts');
  return sdkDynamoApi({
    region: config.region,
    maxAttempts: config.maxAttempts,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
};

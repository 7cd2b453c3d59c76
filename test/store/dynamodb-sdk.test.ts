import { dynamoContract } from './dynamo-contract.ts';

// The shared contract, DynamoDB store over the AWS SDK (Node, Lambda), against dynalite.
dynamoContract('sdk');

import { dynamoContract } from './dynamo-contract.ts';

// The shared contract, DynamoDB store over fetch + aws4fetch (Cloudflare Workers), against dynalite.
dynamoContract('fetch');

// AWS Lambda entry: `handler` for the Function URL / API Gateway, `scheduled` for EventBridge Scheduler,
// `sweepQueue` for the SQS queue of a fanned-out sweep.
export { handler, scheduled, sweepQueue } from '../src/runtime/lambda.ts';

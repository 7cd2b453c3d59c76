// AWS Lambda entry: `handler` for the Function URL / API Gateway, `scheduled` for EventBridge Scheduler.
export { handler, scheduled } from '../src/runtime/lambda.ts';

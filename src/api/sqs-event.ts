import { z } from 'zod';

// The event an SQS event source mapping invokes a function with (Lambda developer guide, "Using Lambda with
// Amazon SQS": Records[] of messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody,
// eventSource "aws:sqs", eventSourceARN, awsRegion). fhpa reads the id, to report batchItemFailures by, and the
// body, which fanout-consume.ts parses as a sweep batch. Other fields are passed over, not refused.

export const sqsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().min(1).max(128),
        body: z.string(),
        eventSource: z.literal('aws:sqs', { message: 'must be aws:sqs' }).optional(),
      }),
    )
    .max(10_000, { message: 'must hold at most 10,000 records (the event source mapping maximum)' }),
});

export type SqsEvent = z.infer<typeof sqsEventSchema>;

/** The answer that reports partial batch failures (FunctionResponseTypes: ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, type Tags } from 'yaml';
import * as lambdaEntry from '../../functions/lambda.ts';
import { envSchema } from '../../src/config.ts';

// infra/aws/template.yaml's fan-out wiring, read as CloudFormation reads it (its short-form intrinsic
// functions kept as { Ref }, { 'Fn::GetAtt' }, { 'Fn::Sub' }): no AWS account is needed to see that the
// producer may send to the queue it is told about, the consumer is an event source mapping with partial batch
// failures on that queue, and failed batches end in a dead-letter queue rather than being retried forever.

const tag = (tagName: string, key: string) => ({
  tag: tagName,
  resolve: (value: string) => ({ [key]: key === 'Fn::GetAtt' ? value.split('.') : value }),
});
const customTags: Tags = [tag('!Ref', 'Ref'), tag('!GetAtt', 'Fn::GetAtt'), tag('!Sub', 'Fn::Sub')];
/** The properties this file reads, of functions and queues alike. */
interface Properties {
  Handler?: string;
  Timeout?: number;
  Environment?: { Variables: Record<string, unknown> };
  Policies?: Array<{ Statement: unknown[] }>;
  Events?: Record<string, { Type: string; Properties: { BatchSize?: number } }>;
  RedrivePolicy?: unknown;
  VisibilityTimeout?: number;
}
type Resource = { Type: string; Properties: Properties };
const template = parse(readFileSync(new URL('../../infra/aws/template.yaml', import.meta.url), 'utf8'), {
  customTags,
}) as { Globals: { Function: Properties }; Resources: Record<string, Resource> };
const r = template.Resources;

describe('SAM template: the fanned-out sweep', () => {
  it('points each function at a handler functions/lambda.ts exports', () => {
    const handlers = Object.values(r)
      .filter((x) => x.Type === 'AWS::Serverless::Function')
      .map((x) => String(x.Properties.Handler).replace(/^index\./, ''));
    expect(handlers.sort()).toEqual(['handler', 'scheduled', 'sweepQueue']);
    for (const h of handlers) expect(typeof (lambdaEntry as Record<string, unknown>)[h]).toBe('function');
  });

  it('gives the scheduled function the queue URL and only sqs:SendMessage on that queue', () => {
    const sweep = r.SweepFunction!.Properties;
    expect(sweep.Environment?.Variables.FHPA_SWEEP_QUEUE_URL).toEqual({ Ref: 'SweepQueue' });
    const statements = (sweep.Policies ?? []).flatMap((p) => p.Statement);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['SweepQueue', 'Arn'] },
    });
  });

  it('consumes the queue through an event source mapping that reports partial batch failures', () => {
    const consumer = r.SweepConsumerFunction!.Properties;
    const events = Object.values(consumer.Events ?? {});
    expect(events).toEqual([
      {
        Type: 'SQS',
        Properties: expect.objectContaining({
          Queue: { 'Fn::GetAtt': ['SweepQueue', 'Arn'] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      },
    ]);
    // A batch of messages must fit one invocation's message cap (MAX_REFS_PER_BATCH refs each).
    expect(events[0]!.Properties.BatchSize).toBeLessThanOrEqual(10);
  });

  it('redrives failing batches to a dead-letter queue, and never hands a batch out while a consumer holds it', () => {
    const queue = r.SweepQueue!.Properties;
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['SweepDeadLetterQueue', 'Arn'] },
      maxReceiveCount: expect.any(Number),
    });
    expect(r.SweepDeadLetterQueue!.Type).toBe('AWS::SQS::Queue');
    // AWS: set the source queue's visibility timeout to at least six times the function's timeout.
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * (r.SweepConsumerFunction!.Properties.Timeout ?? 900),
    );
  });

  it('sets only variables fhpa reads', () => {
    const known = new Set([
      ...Object.keys(envSchema.shape),
      'FHPA_SECRET_ARN',
      'FHPA_STORE',
      'FHPA_DYNAMODB_TABLE',
      'NODE_OPTIONS',
    ]);
    const set = [
      ...Object.keys(template.Globals.Function.Environment?.Variables ?? {}),
      ...Object.values(r).flatMap((x) => Object.keys(x.Properties?.Environment?.Variables ?? {})),
    ];
    expect(set.filter((v) => !known.has(v))).toEqual([]);
  });
});

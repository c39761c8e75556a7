import { ChangeMessageVisibilityBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import { capturingHandler, RecordingSignedClient, signedClientOn, TEST_CREDENTIALS, wireOf } from '../test-support/signed-clients.js';
import { SQS_SERVICE } from './signed-request.js';
import { SqsRedelivery, urlFromArn } from './sqs-redelivery.js';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/rebalancer-events';
const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, receiptHandle: `h${i}`, queueArn: 'arn:aws:sqs:eu-west-1:123456789012:events' }));

describe('SqsRedelivery', () => {
  it('changes visibilities 10 entries a call, the seconds clamped to 0–43,200', async () => {
    const sqs = new RecordingSignedClient(SQS_SERVICE).on('ChangeMessageVisibilityBatch', { Successful: [], Failed: [] });

    await new SqsRedelivery(sqs, QUEUE).after(messages(12), 50_000);

    const calls = sqs.inputsOf('ChangeMessageVisibilityBatch');
    expect(calls.map((c) => [c.QueueUrl, c.Entries.length])).toEqual([
      [QUEUE, 10],
      [QUEUE, 2],
    ]);
    expect(calls[1]?.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'h10', VisibilityTimeout: 43_200 },
      { Id: '1', ReceiptHandle: 'h11', VisibilityTimeout: 43_200 },
    ]);
  });

  it('takes the queue from the record without a configured URL, and fails retryably when an entry failed', async () => {
    const sqs = new RecordingSignedClient(SQS_SERVICE).on('ChangeMessageVisibilityBatch', { Successful: [], Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] });

    const error = await new SqsRedelivery(sqs, undefined).after(messages(1), 2).catch((e: unknown) => e);

    expect(sqs.inputsOf('ChangeMessageVisibilityBatch')[0]?.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/events');
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toBe('changing the visibility of 1 of 1 messages failed: ReceiptHandleIsInvalid');
  });

  it('sends a deferred record afresh only to the configured queue', async () => {
    const sqs = new RecordingSignedClient(SQS_SERVICE).on('SendMessage', { MessageId: 'x' });

    await new SqsRedelivery(sqs, QUEUE).requeue('{"b":1}', 1_000, { DeferredUntil: '2026-01-01T00:00:00Z', Empty: '' });
    const unconfigured = await new SqsRedelivery(sqs, undefined).requeue('{}', 1).catch((e: unknown) => e);

    expect(sqs.inputsOf('SendMessage')).toEqual([{ QueueUrl: QUEUE, MessageBody: '{"b":1}', DelaySeconds: 900, MessageAttributes: { DeferredUntil: { DataType: 'String', StringValue: '2026-01-01T00:00:00Z' } } }]);
    expect(unconfigured).toBeInstanceOf(PermanentError);
  });

  it('sends what client-sqs sends for the same calls', async () => {
    // Prepare
    const ours = capturingHandler({ status: 200, body: { Successful: [{ Id: '0' }], Failed: [] } });
    const oracle = capturingHandler({ status: 200, body: { Successful: [{ Id: '0' }], Failed: [] } });
    const sdk = new SQSClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: oracle.handler as never, md5: false });
    const redelivery = new SqsRedelivery(signedClientOn(SQS_SERVICE, ours.handler), QUEUE);

    // Act
    await redelivery.after(messages(1), 30);
    await redelivery.requeue('{"b":1}', 60, { DeferredUntil: 't' });
    const [visibility, fresh] = ours.requests.map((r) => JSON.parse(r.body));
    await sdk.send(new ChangeMessageVisibilityBatchCommand(visibility));
    await sdk.send(new SendMessageCommand(fresh));

    // Assess
    expect(ours.requests.map(wireOf)).toEqual(oracle.requests.map(wireOf));
    expect(ours.requests.map((r) => r.headers['x-amz-target'])).toEqual(['AmazonSQS.ChangeMessageVisibilityBatch', 'AmazonSQS.SendMessage']);
  });
});

describe('urlFromArn', () => {
  it.each([
    ['arn:aws:sqs:us-east-1:123456789012:q', 'https://sqs.us-east-1.amazonaws.com/123456789012/q'],
    ['arn:aws-cn:sqs:cn-north-1:123456789012:q', 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q'],
    ['arn:aws:sns:us-east-1:123456789012:q', undefined],
  ])('%s', (arn, url) => expect(urlFromArn(arn)).toBe(url));
});

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MalformedEventError } from '@ecs-rebalancer/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { capturingHandler, RecordingSignedClient, signedClientOn, TEST_CREDENTIALS, wireOf } from '../test-support/signed-clients.js';
import { SQS_SERVICE } from './signed-request.js';
import { SqsQuarantine } from './sqs-quarantine.js';

const sqs = new RecordingSignedClient(SQS_SERVICE);
const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/rebalancer-dlq';
const quarantine = new SqsQuarantine(sqs, DLQ);

beforeEach(() => sqs.reset());

describe('SqsQuarantine', () => {
  it('sends the body unchanged to the DLQ with the error as message attributes', async () => {
    sqs.on('SendMessage', { MessageId: 'q1' });

    await quarantine.send({ messageId: 'm1', body: '{"detail":{}}', receiveCount: 1 }, new MalformedEventError('detail.instance-id', 'is required'));

    expect(sqs.inputsOf('SendMessage')).toEqual([
      {
        QueueUrl: DLQ,
        MessageBody: '{"detail":{}}',
        MessageAttributes: {
          ErrorName: { DataType: 'String', StringValue: 'MalformedEventError' },
          ErrorMessage: { DataType: 'String', StringValue: 'detail.instance-id: is required' },
          ErrorPath: { DataType: 'String', StringValue: 'detail.instance-id' },
          SourceMessageId: { DataType: 'String', StringValue: 'm1' },
          ReceiveCount: { DataType: 'Number', StringValue: '1' },
        },
      },
    ]);
  });

  it('leaves out an empty path, which SQS would refuse as an attribute value', async () => {
    sqs.on('SendMessage', {});

    await quarantine.send({ messageId: 'm1', body: 'x' }, new MalformedEventError('', 'message body is not JSON'));

    expect(Object.keys(sqs.inputsOf('SendMessage')[0]?.MessageAttributes ?? {})).toEqual(['ErrorName', 'ErrorMessage', 'SourceMessageId']);
  });

  it('rejects with a retryable error when the DLQ throttles, so the record is kept', async () => {
    sqs.on('SendMessage', Object.assign(new Error('slow'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } }));

    await expect(quarantine.send({ messageId: 'm1', body: 'x' }, new Error('bad'))).rejects.toBeInstanceOf(RetryableError);
  });

  it('sends what client-sqs sends for the same message: target, content type, host, signing name and body', async () => {
    // Prepare
    const oracle = capturingHandler({ status: 200, body: { MessageId: 'q1' } });
    const ours = capturingHandler({ status: 200, body: { MessageId: 'q1' } });
    const sdk = new SQSClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: oracle.handler as never, md5: false });

    // Act
    await new SqsQuarantine(signedClientOn(SQS_SERVICE, ours.handler), DLQ).send({ messageId: 'm1', body: '{"a":1}', receiveCount: 3 }, new MalformedEventError('a', 'bad'));
    const sent = JSON.parse(ours.requests[0]?.body ?? '{}');
    await sdk.send(new SendMessageCommand(sent));

    // Assess: the SDK sends the same JSON for the input ours sent, to the same place, signed for the same service
    expect(wireOf(ours.requests[0])).toEqual(wireOf(oracle.requests[0]));
    expect(wireOf(ours.requests[0])).toMatchObject({ host: 'sqs.us-east-1.amazonaws.com', target: 'AmazonSQS.SendMessage', type: 'application/x-amz-json-1.0', scope: 'us-east-1/sqs/aws4_request' });
  });
});

import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { MalformedEventError } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { SqsQuarantine } from './sqs-quarantine.js';

const sqs = mockClient(SQSClient);
const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/rebalancer-dlq';
const quarantine = new SqsQuarantine(new SQSClient({ region: 'us-east-1' }), DLQ);

beforeEach(() => sqs.reset());

describe('SqsQuarantine', () => {
  it('sends the body unchanged to the DLQ with the error as message attributes', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'q1' });

    await quarantine.send({ messageId: 'm1', body: '{"detail":{}}', receiveCount: 1 }, new MalformedEventError('detail.instance-id', 'is required'));

    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: DLQ,
      MessageBody: '{"detail":{}}',
      MessageAttributes: {
        ErrorName: { DataType: 'String', StringValue: 'MalformedEventError' },
        ErrorMessage: { DataType: 'String', StringValue: 'detail.instance-id: is required' },
        ErrorPath: { DataType: 'String', StringValue: 'detail.instance-id' },
        SourceMessageId: { DataType: 'String', StringValue: 'm1' },
        ReceiveCount: { DataType: 'Number', StringValue: '1' },
      },
    });
  });

  it('leaves out an empty path, which SQS would refuse as an attribute value', async () => {
    sqs.on(SendMessageCommand).resolves({});

    await quarantine.send({ messageId: 'm1', body: 'x' }, new MalformedEventError('', 'message body is not JSON'));

    expect(Object.keys(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes ?? {})).toEqual(['ErrorName', 'ErrorMessage', 'SourceMessageId']);
  });

  it('rejects with a retryable error when the DLQ throttles, so the record is kept', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('slow'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } }));

    await expect(quarantine.send({ messageId: 'm1', body: 'x' }, new Error('bad'))).rejects.toBeInstanceOf(RetryableError);
  });
});

import { attempt } from '../errors.js';
import type { PoisonRecord, Quarantine } from '../ports.js';
import type { SignedJsonClient } from './signed-request.js';

/** A message attribute as SendMessage takes it (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html). */
export interface MessageAttributeValue {
  DataType: 'String' | 'Number';
  StringValue: string;
}

// SQS message attributes: at most 10 per message, String values must not be empty, and they
// count toward the message size limit with the body. The error message is cut so a long one
// cannot push an original body that fitted over the limit.
const MESSAGE_MAX = 1024;

/**
 * Sends a record that can never be processed to the dead-letter queue, body unchanged, with
 * the error as message attributes (`ErrorName`, `ErrorMessage`, `ErrorPath`, `SourceMessageId`,
 * `ReceiveCount`), so an operator can read why. The DLQ is for reading, not replaying: the
 * event queue's policy admits only the rules, so a redrive back to it is refused. The caller
 * then acknowledges the record: it is neither retried nor lost.
 */
export class SqsQuarantine implements Quarantine {
  constructor(
    private readonly sqs: SignedJsonClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: PoisonRecord, error: Error & { path?: string }): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    const put = (name: string, value: string | undefined, type: 'String' | 'Number' = 'String'): void => {
      if (value !== undefined && value !== '') attributes[name] = { DataType: type, StringValue: value };
    };
    put('ErrorName', error.name);
    put('ErrorMessage', error.message.length > MESSAGE_MAX ? `${error.message.slice(0, MESSAGE_MAX - 1)}…` : error.message);
    put('ErrorPath', error.path);
    put('SourceMessageId', record.messageId);
    put('ReceiveCount', record.receiveCount === undefined ? undefined : String(record.receiveCount), 'Number');
    await attempt(`quarantining message ${record.messageId}`, () =>
      this.sqs.call('SendMessage', { QueueUrl: this.queueUrl, MessageBody: record.body, MessageAttributes: attributes }),
    );
  }
}

import { PermanentError, RetryableError, attempt } from '../errors.js';
import type { ReceivedMessage, Redelivery } from '../ports.js';
import { chunk } from '../chunks.js';
import type { SignedJsonClient } from './signed-request.js';

// ChangeMessageVisibilityBatch takes at most 10 entries; each entry succeeds or fails on its
// own (`Failed[]`, with SenderFault). The visibility is 0–43,200 s; DelaySeconds 0–900.
const BATCH_MAX = 10;

/** ChangeMessageVisibilityBatch's answer, as far as it is read. */
interface ChangeVisibilityBatchOutput {
  Failed?: { Id?: string; Code?: string; SenderFault?: boolean; Message?: string }[];
}

/**
 * Changes the visibility of received messages of the event queue, and sends fresh copies of
 * deferred ones. The queue is the one configured (`queueUrl`); without it, its URL is built
 * from the record's eventSourceARN (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`, the
 * form SQS answers GetQueueUrl with).
 */
export class SqsRedelivery implements Redelivery {
  constructor(
    private readonly sqs: SignedJsonClient,
    private readonly queueUrl: string | undefined,
  ) {}

  async after(messages: readonly ReceivedMessage[], seconds: number): Promise<void> {
    const byQueue = new Map<string, ReceivedMessage[]>();
    for (const m of messages) {
      const url = this.queueUrl ?? urlFromArn(m.queueArn);
      if (url === undefined) throw new PermanentError(`message ${m.messageId}: no queue URL configured and no queue ARN on the record`);
      byQueue.set(url, [...(byQueue.get(url) ?? []), m]);
    }
    const visibility = Math.max(0, Math.min(43_200, Math.round(seconds)));
    for (const [url, list] of byQueue) {
      for (const piece of chunk(list, BATCH_MAX)) {
        const out = await attempt(`changing the visibility of ${piece.length} messages to ${visibility} s`, () =>
          this.sqs.call<ChangeVisibilityBatchOutput>('ChangeMessageVisibilityBatch', { QueueUrl: url, Entries: piece.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle, VisibilityTimeout: visibility })) }),
        );
        if ((out.Failed ?? []).length > 0) {
          const failed = out.Failed ?? [];
          throw new RetryableError(`changing the visibility of ${failed.length} of ${piece.length} messages failed: ${failed.map((f) => f.Code).join(', ')}`);
        }
      }
    }
  }

  async requeue(body: string, delaySeconds: number, attributes: Record<string, string> = {}): Promise<void> {
    if (this.queueUrl === undefined) throw new PermanentError('no queue URL configured (REBALANCER_QUEUE_URL): a deferred record cannot be sent afresh');
    const url = this.queueUrl;
    await attempt('sending a deferred record afresh', () =>
      this.sqs.call('SendMessage', {
        QueueUrl: url,
        MessageBody: body,
        DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
        MessageAttributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== '').map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
  }
}

/** `arn:aws:sqs:us-east-1:123456789012:name` → `https://sqs.us-east-1.amazonaws.com/123456789012/name`. */
export function urlFromArn(arn: string | undefined): string | undefined {
  const m = arn === undefined ? null : /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  if (!m) return undefined;
  const suffix = m[1] === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${m[2]}.${suffix}/${m[3]}/${m[4]}`;
}

// The runner's own SQS calls (the EventBridge rule's delivery to the queue, Lambda's event
// source mapping receiving and deleting, the queue depths at the end) go to fauxqs as SQS's
// JSON protocol (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Action>`) on a kept-alive
// connection, without the SDK: in AWS these calls are the services' own, not a customer's
// client, and signing, endpoint resolution and the middleware stack cost a storm of 15,000
// messages more than the simulator itself. The handlers' SQS calls still go through their
// own SDK clients (wire.ts).
import { Agent, request } from 'node:http';
import { realDelay, type RealJitter } from './sdk.js';

/** A received message, as SQS's JSON protocol names its fields. */
export interface QueueMessage {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  MD5OfBody?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }>;
}

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeoutSeconds: number;
  /** System attributes (SentTimestamp, ApproximateReceiveCount, ...). */
  systemAttributes?: boolean;
}

/** An SQS error answer: `code` is the part of `__type` after `#`. */
export class QueueCallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
  ) {
    super(`SQS ${action}: ${code}: ${message}`);
    this.name = 'QueueCallError';
  }
}

export class QueueClient {
  readonly #url: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 8 });
  /** Calls made, by action. */
  readonly calls = new Map<string, number>();

  readonly #jitter: RealJitter | undefined;

  /**
   * @param endpoint fauxqs's address (`http://127.0.0.1:PORT`).
   * @param jitter tests: real milliseconds to wait before each call and before its answer is handed back.
   */
  constructor(endpoint: string, jitter?: RealJitter) {
    this.#url = new URL(endpoint);
    this.#jitter = jitter;
  }

  async send(queueUrl: string, body: string): Promise<{ messageId: string | undefined }> {
    const out = await this.#call<{ MessageId?: string }>('SendMessage', { QueueUrl: queueUrl, MessageBody: body });
    return { messageId: out.MessageId };
  }

  async receive(queueUrl: string, options: ReceiveOptions): Promise<QueueMessage[]> {
    const out = await this.#call<{ Messages?: QueueMessage[] }>('ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.maxMessages,
      WaitTimeSeconds: 0,
      VisibilityTimeout: options.visibilityTimeoutSeconds,
      MessageAttributeNames: ['All'],
      ...(options.systemAttributes ? { MessageSystemAttributeNames: ['All'] } : {}),
    });
    return out.Messages ?? [];
  }

  /** Deletes up to 10 messages; throws when SQS reports any entry as failed. */
  async deleteBatch(queueUrl: string, receiptHandles: readonly string[]): Promise<void> {
    const out = await this.#call<{ Failed?: { Id?: string; Code?: string; Message?: string }[] }>('DeleteMessageBatch', {
      QueueUrl: queueUrl,
      Entries: receiptHandles.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
    });
    const failed = out.Failed?.[0];
    if (failed) throw new QueueCallError('DeleteMessageBatch', failed.Code ?? 'Failed', failed.Message ?? `entry ${failed.Id ?? '?'} failed`);
  }

  async changeVisibility(queueUrl: string, receiptHandle: string, seconds: number): Promise<void> {
    await this.#call('ChangeMessageVisibility', { QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds });
  }

  /** Messages visible plus in flight. */
  async depth(queueUrl: string): Promise<number> {
    const out = await this.#call<{ Attributes?: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  destroy(): void {
    this.#agent.destroy();
  }

  async #call<T>(action: string, input: Record<string, unknown>): Promise<T> {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    await realDelay(this.#jitter);
    const answer = await this.#post<T>(action, JSON.stringify(input));
    await realDelay(this.#jitter);
    return answer;
  }

  #post<T>(action: string, body: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          agent: this.#agent,
          method: 'POST',
          hostname: this.#url.hostname,
          port: this.#url.port,
          path: '/',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
            } catch {
              reject(new QueueCallError(action, 'InvalidResponse', `status ${res.statusCode ?? '?'}, body not JSON: ${text.slice(0, 200)}`));
              return;
            }
            if ((res.statusCode ?? 500) >= 300) {
              const type = typeof parsed['__type'] === 'string' ? parsed['__type'] : `HTTP ${res.statusCode ?? '?'}`;
              reject(new QueueCallError(action, type.slice(type.lastIndexOf('#') + 1), String(parsed['message'] ?? parsed['Message'] ?? '')));
              return;
            }
            resolve(parsed as T);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

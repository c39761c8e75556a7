// The path from the default bus to the react function, on the virtual clock: the EventBridge
// rule puts each event on the queue after a delivery delay; Lambda's SQS event source mapping
// polls, fills a batch until it holds `batchSize` records or the batching window ends, and
// invokes the function in a warm or a cold execution environment; records the function
// reports in batchItemFailures (or all of them, when it throws or times out) stay in flight
// until their visibility timeout ends — the queue's, counted from the receive, or the one the
// function set with ChangeMessageVisibility — and are then received again; after
// `maxReceiveCount` receives the queue moves a record to the DLQ. Pollers: `initial`
// concurrent batches, `addPerMinute` more for each minute messages keep waiting, at most `max`.
//
// fauxqs stores the messages (ids, receive counts, the redrive to the DLQ, message
// attributes); the visibility clock is this file's: every receive asks fauxqs for the SQS
// maximum (12 h of real time), and a record becomes receivable again when its virtual
// visibility ends.
import { ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventBridgeEvent } from '../model/events.js';
import type { EventSourceSettings, LatencyModel } from './latency.js';
import type { VirtualScheduler } from './virtual-time.js';

const REAL_VISIBILITY_SECONDS = 43_200;

/** One invocation of a function, in virtual time. */
export interface Invocation {
  kind: 'react' | 'tick';
  /** Seconds since the scenario start when the invocation began. */
  t: number;
  records: number;
  failures: number;
  /** Virtual milliseconds the handler ran (cold start excluded). */
  ms: number;
  cold: boolean;
  error?: string;
}

interface InFlight {
  message: Message;
  receivedAt: number;
  visibleAt: number;
  /** Bumped when the visibility changes, so an older timer does nothing. */
  generation: number;
  inBatch: boolean;
}

interface Batch {
  messages: InFlight[];
  closesAt: number;
}

/** Lambda execution environments of one function: warm ones are reused, idle ones expire. */
export class EnvironmentPool {
  readonly #idleSince: number[] = [];
  readonly #keepWarmMs: number;

  constructor(keepWarmSeconds: number) {
    this.#keepWarmMs = keepWarmSeconds * 1000;
  }

  /** Takes an environment at `now`: true when it has to start cold. */
  take(now: number): boolean {
    for (let i = this.#idleSince.length - 1; i >= 0; i--) if (now - this.#idleSince[i]! > this.#keepWarmMs) this.#idleSince.splice(i, 1);
    return this.#idleSince.pop() === undefined;
  }

  release(now: number): void {
    this.#idleSince.push(now);
  }
}

export interface EventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  settings: EventSourceSettings;
  latency: LatencyModel;
  scheduler: VirtualScheduler;
  react: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Starts `run` as a concurrent invocation (the runner keeps track of it). */
  spawn: (run: () => Promise<void>) => void;
  /** After each react invocation: its record, for the timeline. */
  onInvocation: (invocation: Invocation) => void;
  /** Seconds since the scenario start. */
  t: () => number;
}

export class SqsEventSource {
  readonly #o: EventSourceOptions;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #pool: EnvironmentPool;
  #open: Batch | undefined;
  #running = 0;
  #waitingSince: number | undefined;
  #polling = false;
  #repoll = false;
  /** MessageId → virtual time it reached the queue, and of its first receive (SQS's SentTimestamp, ApproximateFirstReceiveTimestamp). */
  readonly #sentAt = new Map<string, number>();
  readonly #firstReceivedAt = new Map<string, number>();
  retried = 0;

  constructor(options: EventSourceOptions) {
    this.#o = options;
    this.#pool = new EnvironmentPool(options.latency.options.keepWarmSeconds);
  }

  /** The rule's delivery: the event reaches the queue after the modelled delay. */
  deliver(event: EventBridgeEvent): void {
    const { scheduler } = this.#o;
    scheduler.at(scheduler.now() + this.#o.latency.eventDeliveryMs(), async () => {
      const sent = await this.#o.sqs.send(new SendMessageCommand({ QueueUrl: this.#o.queueUrl, MessageBody: JSON.stringify(event) }));
      if (sent.MessageId) this.#sentAt.set(sent.MessageId, scheduler.now());
      await this.#poll();
    });
  }

  /**
   * ChangeMessageVisibility from the function, on the virtual clock. Returns false when the
   * receipt handle is not in flight (SQS answers MessageNotInflight / ReceiptHandleIsInvalid).
   */
  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const held = this.#inFlight.get(receiptHandle);
    if (!held) return false;
    held.visibleAt = this.#o.scheduler.now() + seconds * 1000;
    held.generation++;
    if (!held.inBatch) this.#expireAt(held);
    return true;
  }

  /** Messages received and neither deleted nor visible again. */
  inFlight(): number {
    return this.#inFlight.size;
  }

  #limit(): number {
    const { pollers } = this.#o.latency.options;
    const waitedMinutes = this.#waitingSince === undefined ? 0 : Math.floor((this.#o.scheduler.now() - this.#waitingSince) / 60_000);
    return Math.min(pollers.max, pollers.initial + pollers.addPerMinute * waitedMinutes);
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const { settings, scheduler } = this.#o;
      for (;;) {
        if (!this.#open) {
          if (this.#running >= this.#limit()) {
            // Messages wait for a poller: the mapping scales up while they do.
            this.#waitingSince ??= scheduler.now();
            if (!this.#repoll) {
              this.#repoll = true;
              scheduler.at(scheduler.now() + 60_000, () => {
                this.#repoll = false;
                return this.#poll();
              });
            }
            return;
          }
        }
        const room = this.#open ? settings.batchSize - this.#open.messages.length : settings.batchSize;
        const received = await this.#o.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#o.queueUrl,
            MaxNumberOfMessages: Math.min(10, room),
            WaitTimeSeconds: 0,
            VisibilityTimeout: REAL_VISIBILITY_SECONDS,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          if (!this.#open) this.#waitingSince = undefined;
          return;
        }
        const now = scheduler.now();
        if (!this.#open) {
          const batch: Batch = { messages: [], closesAt: now + settings.windowSeconds * 1000 };
          this.#open = batch;
          scheduler.at(batch.closesAt, () => {
            if (this.#open === batch) this.#invoke(batch);
          });
        }
        for (const message of messages) {
          if (!this.#firstReceivedAt.has(message.MessageId!)) this.#firstReceivedAt.set(message.MessageId!, now);
          const held: InFlight = { message, receivedAt: now, visibleAt: now + settings.visibilityTimeoutSeconds * 1000, generation: 0, inBatch: true };
          this.#inFlight.set(message.ReceiptHandle!, held);
          this.#open.messages.push(held);
        }
        if (this.#open.messages.length >= settings.batchSize) this.#invoke(this.#open);
      }
    } finally {
      this.#polling = false;
    }
  }

  #invoke(batch: Batch): void {
    if (this.#open === batch) this.#open = undefined;
    const { scheduler, latency, settings } = this.#o;
    this.#running++;
    const cold = this.#pool.take(scheduler.now());
    const event: SQSEvent = {
      Records: batch.messages.map((h) =>
        toRecord(h.message, this.#o.queueArn, this.#o.region, this.#sentAt.get(h.message.MessageId!) ?? h.receivedAt, this.#firstReceivedAt.get(h.message.MessageId!) ?? h.receivedAt),
      ),
    };
    this.#o.spawn(async () => {
      if (cold) await scheduler.sleep(latency.options.coldStartMs);
      const startedAt = scheduler.now();
      const invocation: Invocation = { kind: 'react', t: this.#o.t(), records: batch.messages.length, failures: 0, ms: 0, cold };
      let failed: Set<string>;
      try {
        const result = await this.#o.react(event);
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        // A thrown handler fails the whole batch: every record comes back.
        failed = new Set(batch.messages.map((h) => h.message.MessageId!));
        invocation.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      invocation.ms = scheduler.now() - startedAt;
      if (invocation.ms > settings.functionTimeoutSeconds * 1000) {
        // Lambda stops the function at its timeout: the batch counts as failed.
        failed = new Set(batch.messages.map((h) => h.message.MessageId!));
        invocation.error = `Task timed out after ${settings.functionTimeoutSeconds} seconds`;
      }
      invocation.failures = failed.size;
      this.retried += failed.size;
      const done: InFlight[] = [];
      for (const held of batch.messages) {
        held.inBatch = false;
        if (failed.has(held.message.MessageId!)) this.#expireAt(held);
        else {
          this.#inFlight.delete(held.message.ReceiptHandle!);
          done.push(held);
        }
      }
      this.#running--;
      this.#pool.release(scheduler.now());
      this.#o.onInvocation(invocation);
      scheduler.at(scheduler.now(), async () => {
        for (let i = 0; i < done.length; i += 10) {
          await this.#o.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: this.#o.queueUrl, Entries: done.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h.message.ReceiptHandle! })) }),
          );
        }
        await this.#poll();
      });
    });
  }

  /** A failed record becomes receivable again when its visibility ends. */
  #expireAt(held: InFlight): void {
    const generation = held.generation;
    this.#o.scheduler.at(held.visibleAt, async () => {
      if (held.generation !== generation || held.inBatch || !this.#inFlight.has(held.message.ReceiptHandle!)) return;
      this.#inFlight.delete(held.message.ReceiptHandle!);
      await this.#o.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.#o.queueUrl, ReceiptHandle: held.message.ReceiptHandle!, VisibilityTimeout: 0 }));
      await this.#poll();
    });
  }
}

function toRecord(message: Message, queueArn: string, region: string, sentAt: number, firstReceivedAt: number): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: String(Math.round(sentAt)),
      SenderId: attributes.SenderId ?? 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: String(Math.round(firstReceivedAt)),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

// The path from the default bus to the react function, on the virtual clock: the EventBridge
// rule puts each event on the queue after a delivery delay; Lambda's SQS event source mapping
// polls, fills a batch until it holds `batchSize` records or the batching window ends, and
// invokes the function in a warm or a cold execution environment; records the function
// reports in batchItemFailures (or all of them, when it throws or times out) stay in flight
// until their visibility timeout ends — the queue's, counted from the receive, or the one the
// function set with ChangeMessageVisibility — and are then received again; after
// `maxReceiveCount` receives the queue moves a record to the DLQ. Pollers: `initial`
// concurrent batches, `addPerMinute` more for each minute messages keep waiting, at most `max`
// and at most the mapping's ScalingConfig.MaximumConcurrency (messages beyond it wait in the
// queue).
//
// fauxqs stores the messages (ids, receive counts, the redrive to the DLQ, message
// attributes); the visibility clock is this file's: every receive asks fauxqs for the SQS
// maximum (12 h of real time), and a record becomes receivable again when its virtual
// visibility ends.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventBridgeEvent } from '../model/events.js';
import type { EventSourceSettings, LatencyModel } from './latency.js';
import type { QueueClient, QueueMessage as Message } from './queue-client.js';
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
  /** The execution environment that ran it (numbered per function from 1, in the order they started). */
  environment: number;
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

/**
 * Lambda execution environments of one function: each has its own module scope (its own
 * handler instance, SDK clients and caches), an idle one is reused by the next invocation,
 * one idle longer than `keepWarmSeconds` is gone. Environments are numbered from 1 in the
 * order they started.
 */
export class EnvironmentPool<T> {
  readonly #idle: { since: number; id: number; value: T }[] = [];
  readonly #keepWarmMs: number;
  #started = 0;

  constructor(keepWarmSeconds: number) {
    this.#keepWarmMs = keepWarmSeconds * 1000;
  }

  /** Environments started so far. */
  get started(): number {
    return this.#started;
  }

  /** A warm environment at `now` (the one idle the shortest time), or undefined when the invocation starts cold. */
  take(now: number): { id: number; value: T } | undefined {
    for (let i = this.#idle.length - 1; i >= 0; i--) if (now - this.#idle[i]!.since > this.#keepWarmMs) this.#idle.splice(i, 1);
    const warm = this.#idle.pop();
    return warm && { id: warm.id, value: warm.value };
  }

  /** A new environment's number. */
  start(): number {
    return ++this.#started;
  }

  release(now: number, id: number, value: T): void {
    this.#idle.push({ since: now, id, value });
  }
}

/** One execution environment of the react function: its handler, and the notes its last invocation left. */
export interface ReactEnvironment {
  react(event: SQSEvent): Promise<SQSBatchResponse | void>;
  notes?(): string[];
}

export interface EventSourceOptions {
  sqs: QueueClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  settings: EventSourceSettings;
  latency: LatencyModel;
  scheduler: VirtualScheduler;
  /** Initialises a new execution environment (its module scope), after the cold start's wait. */
  newEnvironment: () => Promise<ReactEnvironment>;
  /** Starts `run` as a concurrent invocation (the runner keeps track of it). */
  spawn: (run: () => Promise<void>) => void;
  /** After each react invocation: its record, for the timeline. */
  onInvocation: (invocation: Invocation, environment: ReactEnvironment | undefined) => void;
  /** Seconds since the scenario start. */
  t: () => number;
}

export class SqsEventSource {
  readonly #o: EventSourceOptions;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #pool: EnvironmentPool<ReactEnvironment>;
  #open: Batch | undefined;
  #running = 0;
  #waitingSince: number | undefined;
  #polling = false;
  /** A poll was asked for while one was receiving: that receive may have missed what made it ask. */
  #pollAgain = false;
  #repoll = false;
  /** MessageId → virtual time it reached the queue, and of its first receive (SQS's SentTimestamp, ApproximateFirstReceiveTimestamp). */
  readonly #sentAt = new Map<string, number>();
  readonly #firstReceivedAt = new Map<string, number>();
  /** Message id → when a delayed send becomes receivable (virtual ms). */
  readonly #delayed = new Map<string, number>();
  retried = 0;

  constructor(options: EventSourceOptions) {
    this.#o = options;
    this.#pool = new EnvironmentPool(options.latency.options.keepWarmSeconds);
  }

  /** The rule's delivery: the event reaches the queue after the modelled delay. */
  deliver(event: EventBridgeEvent): void {
    const { scheduler } = this.#o;
    scheduler.at(scheduler.now() + this.#o.latency.eventDeliveryMs(), async () => {
      const sent = await this.#o.sqs.send(this.#o.queueUrl, JSON.stringify(event));
      if (sent.messageId) this.#sentAt.set(sent.messageId, scheduler.now());
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

  /**
   * SendMessage with DelaySeconds from the function (a deferred record sent afresh): the
   * message is not receivable before `seconds` on the virtual clock (SQS: at most 900).
   */
  delay(messageId: string, seconds: number): void {
    const { scheduler } = this.#o;
    const at = scheduler.now() + seconds * 1000;
    this.#delayed.set(messageId, at);
    this.#sentAt.set(messageId, scheduler.now());
    scheduler.at(at, () => this.#poll());
  }

  /** Messages received and neither deleted nor visible again. */
  inFlight(): number {
    return this.#inFlight.size;
  }

  /** Seconds each message waited in the queue before its first receive (the age SQS's ApproximateAgeOfOldestMessage reports). */
  waitedSeconds(): number[] {
    return [...this.#firstReceivedAt].flatMap(([id, at]) => {
      const sent = this.#sentAt.get(id);
      return sent === undefined ? [] : [(at - sent) / 1000];
    });
  }

  #limit(): number {
    const { pollers } = this.#o.latency.options;
    const waitedMinutes = this.#waitingSince === undefined ? 0 : Math.floor((this.#o.scheduler.now() - this.#waitingSince) / 60_000);
    return Math.min(pollers.max, this.#o.settings.maximumConcurrency ?? Infinity, pollers.initial + pollers.addPerMinute * waitedMinutes);
  }

  async #poll(): Promise<void> {
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
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
        this.#pollAgain = false;
        const received = await this.#o.sqs.receive(this.#o.queueUrl, { maxMessages: Math.min(10, room), visibilityTimeoutSeconds: REAL_VISIBILITY_SECONDS, systemAttributes: true });
        const now = scheduler.now();
        // A delayed message fauxqs hands out early is held out of sight until its delay ends.
        const messages = received.filter((message) => {
          const due = this.#delayed.get(message.MessageId!);
          if (due === undefined || due <= now) return this.#delayed.delete(message.MessageId!) || true;
          const held: InFlight = { message, receivedAt: now, visibleAt: due, generation: 0, inBatch: false };
          this.#inFlight.set(message.ReceiptHandle!, held);
          this.#expireAt(held);
          return false;
        });
        if (messages.length === 0 && received.length > 0) continue;
        if (messages.length === 0) {
          if (this.#pollAgain) continue;
          if (!this.#open) this.#waitingSince = undefined;
          return;
        }
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
    const warm = this.#pool.take(scheduler.now());
    const cold = warm === undefined;
    const id = warm?.id ?? this.#pool.start();
    const event: SQSEvent = {
      Records: batch.messages.map((h) =>
        toRecord(h.message, this.#o.queueArn, this.#o.region, this.#sentAt.get(h.message.MessageId!) ?? h.receivedAt, this.#firstReceivedAt.get(h.message.MessageId!) ?? h.receivedAt),
      ),
    };
    this.#o.spawn(async () => {
      if (cold) await scheduler.sleep(latency.options.coldStartMs);
      const startedAt = scheduler.now();
      const invocation: Invocation = { kind: 'react', t: this.#o.t(), records: batch.messages.length, failures: 0, ms: 0, cold, environment: id };
      let failed: Set<string>;
      // A cold environment runs the module scope first: its own handler, clients and caches.
      let environment = warm?.value;
      try {
        environment ??= await this.#o.newEnvironment();
        const result = await environment.react(event);
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
      // An environment whose initialisation failed is not kept (Lambda starts a new one).
      if (environment) this.#pool.release(scheduler.now(), id, environment);
      this.#o.onInvocation(invocation, environment);
      scheduler.at(scheduler.now(), async () => {
        for (let i = 0; i < done.length; i += 10) {
          await this.#o.sqs.deleteBatch(this.#o.queueUrl, done.slice(i, i + 10).map((h) => h.message.ReceiptHandle!));
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
      await this.#o.sqs.changeVisibility(this.#o.queueUrl, held.message.ReceiptHandle!, 0);
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

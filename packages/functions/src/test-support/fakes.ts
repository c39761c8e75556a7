// Fakes of the ports for use-case tests: an in-memory ECS that the drainer and the writer
// change (so a second batch sees what the first did), and recorders for everything else.
import type { AlarmStateValue, ClusterState, LoadRequest } from '@ecs-rebalancer/core';
import type {
  AlarmReader,
  ClusterReader,
  ClusterSnapshot,
  DecisionEvent,
  DecisionPublisher,
  InstanceDrainResult,
  InstanceDrainer,
  Log,
  LogAttributes,
  MetricsSink,
  PoisonRecord,
  PublishResult,
  Quarantine,
  ReceivedMessage,
  Redelivery,
  ClearRecordRequest,
  StrategyChangeRequest,
  StrategyWriteResult,
  StrategyWriter,
} from '../ports.js';
import type { QueueRecord } from '../use-cases/handle-react.js';

export const serviceArn = (cluster: string, service: string): string => `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${service}`;

/** An in-memory ECS: load reads it, drain and write change it. */
export class FakeEcs implements ClusterReader, InstanceDrainer, StrategyWriter {
  readonly loads: LoadRequest[][] = [];
  readonly drains: { cluster: string; arns: string[] }[] = [];
  readonly writes: StrategyChangeRequest[] = [];
  readonly clears: ClearRecordRequest[] = [];
  /** Makes load reject. */
  loadError: Error | undefined;
  /** Makes the drain of an instance fail (by container instance ARN). */
  drainError: (arn: string) => Error | undefined = () => undefined;
  /** Makes every strategy write reject. */
  writeError: Error | undefined;

  constructor(readonly clusters: ClusterState[]) {}

  async load(requests: readonly LoadRequest[]): Promise<ClusterSnapshot[]> {
    this.loads.push(structuredClone([...requests]));
    if (this.loadError) throw this.loadError;
    return requests.flatMap((request) => {
      const state = this.clusters.find((c) => c.cluster === request.cluster);
      if (!state) return [];
      const copy = structuredClone(state);
      if (!request.full) {
        const named = copy.containerInstances.filter((i) => request.ec2InstanceIds.includes(i.ec2InstanceId));
        const providers = new Set(named.map((i) => i.capacityProvider));
        copy.containerInstances = request.guardrail ? copy.containerInstances.filter((i) => providers.has(i.capacityProvider)) : named;
      }
      if (request.services !== '*') copy.services = copy.services.filter((s) => (request.services as string[]).includes(s.name));
      copy.alarms = {};
      return [{ state: copy, serviceArns: Object.fromEntries(copy.services.map((s) => [s.name, serviceArn(copy.cluster, s.name)])) }];
    });
  }

  async drain(cluster: string, containerInstanceArns: readonly string[]): Promise<InstanceDrainResult[]> {
    this.drains.push({ cluster, arns: [...containerInstanceArns] });
    const state = this.clusters.find((c) => c.cluster === cluster);
    return containerInstanceArns.map((arn) => {
      const error = this.drainError(arn);
      if (error) return { containerInstanceArn: arn, status: 'failed', reason: error.message, error };
      const instance = state?.containerInstances.find((i) => i.arn === arn);
      if (!instance) return { containerInstanceArn: arn, status: 'missing', reason: 'MISSING' };
      if (instance.status === 'DRAINING') return { containerInstanceArn: arn, status: 'already-draining' };
      instance.status = 'DRAINING';
      return { containerInstanceArn: arn, status: 'draining' };
    });
  }

  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    this.writes.push(structuredClone(change));
    if (this.writeError) throw this.writeError;
    const service = this.clusters.find((c) => c.cluster === change.cluster)?.services.find((s) => s.name === change.service);
    if (!service) throw new Error(`no service ${change.service}`);
    service.strategy = structuredClone(change.strategy);
    service.baseline = structuredClone(change.record.baseline);
    service.fallbackSince = change.record.fallbackSince;
    service.applied = structuredClone(change.record.applied);
    return 'updated';
  }

  async clearRecord(request: ClearRecordRequest): Promise<void> {
    this.clears.push(structuredClone(request));
    if (this.writeError) throw this.writeError;
    const service = this.clusters.find((c) => c.cluster === request.cluster)?.services.find((s) => s.name === request.service);
    if (!service) throw new Error(`no service ${request.service}`);
    service.baseline = null;
    service.fallbackSince = null;
    service.applied = structuredClone(request.strategy);
  }
}

export class FakeAlarms implements AlarmReader {
  readonly reads: string[][] = [];
  constructor(readonly alarms: Record<string, AlarmStateValue> = {}) {}
  async states(names: readonly string[]): Promise<Record<string, AlarmStateValue>> {
    this.reads.push([...names]);
    return Object.fromEntries(names.flatMap((n) => (this.alarms[n] ? [[n, this.alarms[n]]] : [])));
  }
}

export class RecordingPublisher implements DecisionPublisher {
  readonly events: DecisionEvent[] = [];
  async publish(events: readonly DecisionEvent[]): Promise<PublishResult> {
    this.events.push(...structuredClone([...events]));
    return { published: events.length, failed: [] };
  }
}

export class RecordingQuarantine implements Quarantine {
  readonly sent: { record: PoisonRecord; error: Error & { path?: string } }[] = [];
  error: Error | undefined;
  async send(record: PoisonRecord, error: Error & { path?: string }): Promise<void> {
    if (this.error) throw this.error;
    this.sent.push({ record, error });
  }
}

export class RecordingMetrics implements MetricsSink {
  readonly values: { name: string; value: number; dimensions?: Record<string, string> }[] = [];
  flushes = 0;
  count(name: string, value: number, dimensions?: Record<string, string>): void {
    this.values.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  }
  milliseconds(name: string, value: number, dimensions?: Record<string, string>): void {
    this.values.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  }
  flush(): void {
    this.flushes += 1;
  }
  /** The sum of a metric's values, optionally for one dimension set. */
  total(name: string, dimensions?: Record<string, string>): number {
    return this.values
      .filter((v) => v.name === name && (dimensions === undefined || JSON.stringify(v.dimensions) === JSON.stringify(dimensions)))
      .reduce((sum, v) => sum + v.value, 0);
  }
}

export class RecordingLog implements Log {
  readonly lines: { level: string; message: string; attributes: LogAttributes }[] = [];
  debug(message: string, ...attributes: LogAttributes[]): void {
    this.lines.push({ level: 'debug', message, attributes: Object.assign({}, ...attributes) });
  }
  info(message: string, ...attributes: LogAttributes[]): void {
    this.lines.push({ level: 'info', message, attributes: Object.assign({}, ...attributes) });
  }
  warn(message: string, ...attributes: LogAttributes[]): void {
    this.lines.push({ level: 'warn', message, attributes: Object.assign({}, ...attributes) });
  }
  error(message: string, ...attributes: LogAttributes[]): void {
    this.lines.push({ level: 'error', message, attributes: Object.assign({}, ...attributes) });
  }
}

/** An SQS record carrying an event, as Lambda hands it over. */
export function aQueueRecord(body: unknown, messageId: string, sentAt = Date.parse('2024-03-01T12:00:00Z')): QueueRecord {
  return {
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    receiptHandle: `rh-${messageId}`,
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ecs-rebalancer-events',
    attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '1' },
  };
}

/** Records visibility changes and fresh copies instead of calling SQS. */
export class RecordingRedelivery implements Redelivery {
  readonly changes: { messageIds: string[]; seconds: number }[] = [];
  readonly requeued: { body: string; delaySeconds: number; attributes?: Record<string, string> }[] = [];
  async after(messages: readonly ReceivedMessage[], seconds: number): Promise<void> {
    this.changes.push({ messageIds: messages.map((m) => m.messageId), seconds });
  }
  async requeue(body: string, delaySeconds: number, attributes?: Record<string, string>): Promise<void> {
    this.requeued.push({ body, delaySeconds, ...(attributes ? { attributes } : {}) });
  }
  /** The visibility last set for a message. */
  secondsFor(messageId: string): number | undefined {
    return this.changes.filter((c) => c.messageIds.includes(messageId)).at(-1)?.seconds;
  }
}

/** A sleep that moves a virtual clock instead of waiting. */
export function virtualTime(start: Date): { clock: () => Date; sleep: (ms: number) => Promise<void>; advance: (ms: number) => void; slept: number[] } {
  let now = start.getTime();
  const slept: number[] = [];
  return {
    clock: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    slept,
  };
}

type Item = Record<string, { S?: string; N?: string; B?: string }>;

/**
 * DynamoDB's BatchGetItem, GetItem and PutItem as the instance index uses them, in memory, with the
 * index's one condition (`attribute_not_exists(#c) OR #l < :l`). `fail` makes the next calls
 * throw an error named by the AWS code; `unprocessed` leaves that many keys of the next
 * BatchGetItem unprocessed.
 */
export class FakeDynamoDb {
  readonly tables = new Map<string, Map<string, Item>>();
  readonly calls: { operation: string; input: any }[] = [];
  fail: string | undefined;
  unprocessed = 0;

  async call(operation: string, input: any): Promise<object> {
    this.calls.push({ operation, input: structuredClone(input) });
    if (this.fail) throw Object.assign(new Error(`${this.fail} (fake)`), { name: this.fail, $fault: 'client', $metadata: { httpStatusCode: 400 } });
    if (operation === 'BatchGetItem') {
      const Responses: Record<string, Item[]> = {};
      const UnprocessedKeys: Record<string, { Keys: Item[] }> = {};
      for (const [table, { Keys }] of Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>)) {
        const left = Keys.slice(Keys.length - Math.min(this.unprocessed, Keys.length));
        this.unprocessed = 0;
        Responses[table] = Keys.slice(0, Keys.length - left.length).flatMap((k) => {
          const item = this.tables.get(table)?.get(k['cluster']?.S ?? '');
          return item ? [structuredClone(item)] : [];
        });
        if (left.length > 0) UnprocessedKeys[table] = { Keys: left };
      }
      return { Responses, UnprocessedKeys };
    }
    if (operation === 'GetItem') {
      const item = this.tables.get(input.TableName)?.get(input.Key.cluster.S);
      return item ? { Item: structuredClone(item) } : {};
    }
    if (operation === 'PutItem') {
      const table = this.tables.get(input.TableName) ?? new Map<string, Item>();
      this.tables.set(input.TableName, table);
      const key = input.Item.cluster.S as string;
      const held = table.get(key);
      if (held && !(Number(held['listedAt']?.N) < Number(input.ExpressionAttributeValues[':l'].N))) {
        throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      table.set(key, structuredClone(input.Item));
      return {};
    }
    throw new Error(`FakeDynamoDb: ${operation} is not modelled`);
  }
}

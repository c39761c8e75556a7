import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Policy } from '@ecs-rebalancer/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { createSimulation, type Simulation } from '../model/simulation.js';
import type { EventBridgeEvent } from '../model/events.js';
import type { SimReport } from '../model/types.js';
import { startSimServer } from '../server/server.js';
import type { Scenario, ScenarioTimelineEntry } from './schema.js';

/** Where the handlers under test find their AWS: the simulator and the SQS emulator. */
export interface HandlerEnvironment {
  /** The simulator's endpoint: ECS (JSON 1.1), CloudWatch (JSON 1.0) and EventBridge PutEvents. */
  endpoint: string;
  /** The SQS emulator's endpoint (fauxqs). */
  sqsEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
  region: string;
  policy: Policy;
  /** The virtual clock: handlers must take "now" from here, never from Date. */
  now: () => Date;
}

/** The Lambda handlers the runner invokes, built against a HandlerEnvironment. */
export interface RebalancerHandlers {
  react(event: SQSEvent): Promise<SQSBatchResponse | void>;
  tick(event: EventBridgeEvent): Promise<unknown>;
}

export type HandlersFactory = (env: HandlerEnvironment) => Promise<RebalancerHandlers> | RebalancerHandlers;

/** What became of one rollout started from the timeline. */
export interface RolloutOutcome {
  cluster: string;
  service: string;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  steps: unknown[];
  cause?: string;
}

/**
 * Runs one rollout on the virtual clock. Between its tasks it must wait only through
 * `waitUntil(virtualMs)`: the runner advances the simulation while every rollout waits.
 */
export type RolloutDriver = (
  input: Record<string, unknown>,
  env: HandlerEnvironment & { waitUntil: (virtualMs: number) => Promise<void> },
) => Promise<RolloutOutcome>;

export interface RunOptions {
  scenario: Scenario;
  /** The rebalancer under test; absent, nothing reacts (the `--without-rebalancer` run). */
  handlers?: HandlersFactory;
  rollouts?: RolloutDriver;
  /** Receives the readable timeline, one line at a time. */
  log?: (line: string) => void;
  /** Lambda's batch size for the SQS event source (infra/settings.ts BATCH.size). */
  batchSize?: number;
  /** Failed receives before SQS moves a message to the DLQ (infra/settings.ts QUEUE.maxReceiveCount). */
  maxReceiveCount?: number;
}

export interface Invocation {
  kind: 'react' | 'tick';
  t: number;
  records: number;
  failures: number;
  ms: number;
  error?: string;
}

export interface RunResult {
  scenario: string;
  withRebalancer: boolean;
  report: SimReport;
  invocations: Invocation[];
  rollouts: RolloutOutcome[];
  /** Messages left in the queue and the DLQ at the end; `retried` counts records reported as failed. */
  queue: { remaining: number; dlq: number; retried: number };
  /** What the DLQ holds at the end: each body and its message attributes (the quarantine's error). */
  dlqMessages: { body: string; attributes: Record<string, string> }[];
  /** Wall-clock milliseconds the whole run took. */
  wallMs: number;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Runs a scenario end to end: the simulator serves ECS, CloudWatch and EventBridge over
 * HTTP, fauxqs serves SQS, every event the simulator emits goes to the queue as the
 * EventBridge rule would put it there, and the react handler consumes the queue in batches
 * (partial batch responses honoured, failed records retried, poison records left to the
 * DLQ) while the tick fires at the schedule's rate — all on the virtual clock.
 */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? 100;
  const wallStart = performance.now();

  // Virtual time stands still while a handler runs; the SDK's retries wait real time. ECS's
  // buckets refill on virtual time plus the real time spent inside handlers.
  let handlerMs = 0;
  let invocationStart: number | undefined;
  const throttleClock = (virtualNow: number) => virtualNow + handlerMs + (invocationStart === undefined ? 0 : performance.now() - invocationStart);

  const sim = createSimulation({
    clusters: scenario.clusters,
    start: scenario.start,
    seed: scenario.seed,
    providers: scenario.providers,
    throttleClock,
    ...(scenario.throttling !== undefined ? { throttling: scenario.throttling } : {}),
  });
  const server = await startSimServer(sim);
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: sim.region, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false });
  try {
    const dlq = fauxqs.createQueue('ecs-rebalancer-dlq');
    const queue = fauxqs.createQueue('ecs-rebalancer-events', {
      attributes: {
        VisibilityTimeout: '360',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: String(options.maxReceiveCount ?? 5) }),
      },
    });
    const env: HandlerEnvironment = {
      endpoint: server.endpoint,
      sqsEndpoint: fauxqs.address,
      queueUrl: queue.queueUrl,
      dlqUrl: dlq.queueUrl,
      region: sim.region,
      policy: scenario.policy,
      now: () => new Date(sim.clock.now()),
    };
    const handlers = options.handlers ? await options.handlers(env) : undefined;
    const t = () => Math.round((sim.clock.now() - Date.parse(scenario.start)) / 1000);
    const say = (line: string) => log(`[t+${String(t()).padStart(5)}s] ${line}`);

    const pending: EventBridgeEvent[] = [];
    sim.events.subscribe((event) => pending.push(event));
    const decisionsSeen = { count: 0 };
    const invocations: Invocation[] = [];
    let retried = 0;

    const invoke = async <T>(kind: Invocation['kind'], records: number, call: () => Promise<T>): Promise<{ result?: T; error?: unknown }> => {
      invocationStart = performance.now();
      try {
        return { result: await call() };
      } catch (error) {
        return { error };
      } finally {
        const ms = performance.now() - invocationStart;
        handlerMs += ms;
        invocationStart = undefined;
        invocations.push({ kind, t: t(), records, failures: 0, ms });
      }
    };

    const forward = async () => {
      while (pending.length > 0) {
        const chunk = pending.splice(0, 10);
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queue.queueUrl,
            Entries: chunk.map((event, i) => ({ Id: String(i), MessageBody: JSON.stringify(event) })),
          }),
        );
      }
    };

    const pollQueue = async () => {
      const failedHandles: Message[] = [];
      for (;;) {
        const messages: Message[] = [];
        while (messages.length < batchSize) {
          const received = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queue.queueUrl,
              MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
              WaitTimeSeconds: 0,
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
          );
          if (!received.Messages?.length) break;
          messages.push(...received.Messages);
        }
        if (messages.length === 0) break;
        const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queue.queueArn, sim.region)) };
        const { result, error } = await invoke('react', messages.length, () => handlers!.react(event));
        const invocation = invocations.at(-1)!;
        let failedIds: Set<string>;
        if (error !== undefined) {
          // A thrown handler fails the whole batch: Lambda retries every record.
          failedIds = new Set(messages.map((m) => m.MessageId!));
          invocation.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          say(`react: handler failed (${invocation.error}); ${messages.length} records will be retried`);
        } else {
          failedIds = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        }
        invocation.failures = failedIds.size;
        retried += failedIds.size;
        const done = messages.filter((m) => !failedIds.has(m.MessageId!));
        failedHandles.push(...messages.filter((m) => failedIds.has(m.MessageId!)));
        for (let i = 0; i < done.length; i += 10) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queue.queueUrl,
              Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
        reportDecisions(sim, decisionsSeen, say, messages.length, failedIds.size);
      }
      // Failed records come back on the next poll, as they would after their visibility timeout.
      for (let i = 0; i < failedHandles.length; i += 10) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queue.queueUrl,
            Entries: failedHandles.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
          }),
        );
      }
    };

    // Rollouts run concurrently with the loop; each waits on the virtual clock through waitUntil.
    const waiters: { at: number; resolve: () => void }[] = [];
    let runningRollouts = 0;
    const rolloutPromises: Promise<RolloutOutcome>[] = [];
    const waitUntil = (at: number) =>
      new Promise<void>((resolve) => {
        if (at <= sim.clock.now()) return resolve();
        waiters.push({ at, resolve });
      });
    const rolloutsIdle = async () => {
      // Let every running rollout reach its next wait (or its end) before time moves on.
      for (let spins = 0; spins < 100_000 && runningRollouts > waiters.length; spins++) {
        await new Promise((r) => setTimeout(r, 1));
      }
    };

    const apply = async (entry: ScenarioTimelineEntry) => {
      if ('interrupt' in entry) {
        const { cluster, capacityProvider, count } = entry.interrupt;
        const events = sim.interrupt(cluster, capacityProvider, count);
        const ids = events.map((e) => (e.detail as { 'instance-id'?: string })['instance-id']).filter(Boolean);
        say(`interrupt: ${events.length} instance(s) of ${capacityProvider} in ${cluster} get the two-minute warning${ids.length ? ` (${ids.join(', ')})` : ''}`);
      } else if ('alarm' in entry) {
        sim.setAlarm(entry.alarm.name, entry.alarm.state, entry.alarm.reason);
        say(`alarm: ${entry.alarm.name} → ${entry.alarm.state}`);
      } else if ('capacity' in entry) {
        sim.setCapacityAvailable(entry.capacity.cluster, entry.capacity.capacityProvider, entry.capacity.available);
        say(`capacity: ${entry.capacity.capacityProvider} in ${entry.capacity.cluster} ${entry.capacity.available ? 'available again' : 'has no capacity'}`);
      } else if ('event' in entry) {
        sim.events.push(entry.event as unknown as EventBridgeEvent);
        say(`event: ${String(entry.event['detail-type'] ?? entry.event.source ?? 'event')} injected`);
      } else if ('rollout' in entry) {
        if (!options.rollouts || !handlers) {
          say(`rollout: ${String(entry.rollout.service)} not started (${handlers ? 'no rollout driver' : 'without rebalancer'})`);
          return;
        }
        say(`rollout: ${String(entry.rollout.service)} in ${String(entry.rollout.cluster)} from ${String(entry.rollout.from)} to ${String(entry.rollout.to)} started`);
        runningRollouts++;
        const driver = options.rollouts;
        rolloutPromises.push(
          driver(entry.rollout, { ...env, waitUntil })
            .then((outcome) => {
              for (const step of outcome.steps as { percent?: number; runningTasks?: Record<string, number>; completedAt?: string }[]) {
                const running = Object.entries(step.runningTasks ?? {}).map(([p, n]) => `${p} ${n}`).join(', ');
                log(`            rollout step ${String(step.percent)}%: ${running ? `running ${running}` : 'applied'}${step.completedAt ? ` (baked, ${step.completedAt})` : ''}`);
              }
              say(`rollout: ${outcome.service} ${outcome.status}${outcome.cause ? ` — ${outcome.cause}` : ''}`);
              return outcome;
            })
            .catch((error: unknown) => ({
              cluster: String(entry.rollout.cluster),
              service: String(entry.rollout.service),
              status: 'FAILED' as const,
              steps: [],
              cause: error instanceof Error ? error.message : String(error),
            }))
            .finally(() => runningRollouts--),
        );
      }
    };

    say(`scenario ${scenario.name}: ${scenario.clusters.length} cluster(s), ${scenario.durationSeconds}s, ${handlers ? 'with' : 'WITHOUT'} the rebalancer`);
    const startMs = sim.clock.now();
    const timeline = [...scenario.timeline];
    let nextTick = scenario.tickSeconds;
    for (let elapsed = 0; elapsed <= scenario.durationSeconds; elapsed += scenario.stepSeconds) {
      const target = startMs + elapsed * 1000;
      if (target > sim.clock.now()) sim.advance((target - sim.clock.now()) / 1000);
      for (let w = waiters.length - 1; w >= 0; w--) {
        if (waiters[w]!.at <= sim.clock.now()) waiters.splice(w, 1)[0]!.resolve();
      }
      while (timeline.length > 0 && timeline[0]!.at <= elapsed) await apply(timeline.shift()!);
      await rolloutsIdle();
      await forward();
      if (handlers) {
        await pollQueue();
        if (elapsed >= nextTick) {
          nextTick += scenario.tickSeconds;
          const tick = scheduledEvent(sim);
          const { error } = await invoke('tick', 0, () => handlers.tick(tick));
          if (error !== undefined) say(`tick: failed (${error instanceof Error ? error.message : String(error)})`);
          reportDecisions(sim, decisionsSeen, say, 0, 0, 'tick');
        }
        await forward();
      }
    }
    // Rollouts still waiting at the end of the scenario did not finish in time.
    for (const w of waiters.splice(0)) w.resolve();
    const rollouts = await Promise.all(rolloutPromises);
    await forward();

    const depth = async (url: string) => {
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    };
    const remaining = handlers ? await depth(queue.queueUrl) : 0;
    const dlqMessages = await peek(sqs, dlq.queueUrl);
    const dlqDepth = dlqMessages.length;
    const report = sim.report();
    say(`end: ${report.tasksLost.total} task(s) lost, ${report.interruptions.length} interrupted, ${report.drains.length} drained`);
    return {
      scenario: scenario.name,
      withRebalancer: handlers !== undefined,
      report,
      invocations,
      rollouts,
      queue: { remaining, dlq: dlqDepth, retried },
      dlqMessages,
      wallMs: performance.now() - wallStart,
    };
  } finally {
    sqs.destroy();
    await server.close();
    await fauxqs.stop();
  }
}

/** Reads every message of a queue without deleting it (they stay for an operator to read). */
async function peek(sqs: SQSClient, queueUrl: string): Promise<RunResult['dlqMessages']> {
  const seen: RunResult['dlqMessages'] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], VisibilityTimeout: 30 }),
    );
    if (!received.Messages?.length) return seen;
    for (const m of received.Messages) {
      seen.push({
        body: m.Body ?? '',
        attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])),
      });
    }
  }
}

function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** The EventBridge schedule's event, as the tick rule delivers it. */
function scheduledEvent(sim: Simulation): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: sim.accountId,
    time: new Date(sim.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: sim.region,
    resources: [`arn:aws:events:${sim.region}:${sim.accountId}:rule/ecs-rebalancer-tick`],
    detail: {},
  };
}

/** Prints the decision events the handler published since the last call. */
function reportDecisions(
  sim: Simulation,
  seen: { count: number },
  say: (line: string) => void,
  records: number,
  failures: number,
  kind = 'react',
): void {
  const fresh = sim.decisionEvents.items.slice(seen.count);
  seen.count = sim.decisionEvents.items.length;
  const summary = fresh.map((d) => describeDecision(d.detail)).filter((s) => s.length > 0);
  if (kind === 'react') {
    say(`react: batch of ${records} record(s)${failures ? `, ${failures} to retry` : ''}${summary.length ? ` → ${summary.join('; ')}` : ''}`);
  } else if (summary.length > 0) {
    say(`tick → ${summary.join('; ')}`);
  }
}

function describeDecision(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  const action = (d.action ?? d) as Record<string, unknown>;
  const outcome = typeof d.outcome === 'string' ? d.outcome : typeof (d.outcome as { status?: string })?.status === 'string' ? (d.outcome as { status: string }).status : undefined;
  const suffix = `${outcome && outcome !== 'done' ? ` [${outcome}]` : ''}${d.dryRun === true ? ' [dry run]' : ''}`;
  switch (action.type) {
    case 'drain': {
      const ids = (action.ec2InstanceIds as string[] | undefined) ?? (action.containerInstances as string[] | undefined) ?? [];
      return `drain ${ids.length} in ${String(action.cluster)} (${String(action.reason)})${suffix}`;
    }
    case 'set-strategy': {
      const strategy = (action.strategy as { capacityProvider: string; base: number; weight: number }[] | undefined) ?? [];
      const text = strategy.map((s) => `${s.capacityProvider} ${s.base}/${s.weight}`).join(', ');
      return `${String(action.change ?? 'set-strategy')} ${String(action.cluster)}/${String(action.service)} → [${text}]${suffix}`;
    }
    case 'metric':
      return '';
    default:
      return typeof action.type === 'string' ? `${action.type}${suffix}` : '';
  }
}

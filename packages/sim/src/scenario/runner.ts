import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Policy } from '@ecs-rebalancer/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import type { EventBridgeEvent } from '../model/events.js';
import { createSimulation, type Simulation } from '../model/simulation.js';
import type { SimReport } from '../model/types.js';
import { FaultInjector } from '../server/faults.js';
import { startSimServer } from '../server/server.js';
import { AvailabilityMeter, type Availability } from './availability.js';
import { reportDecisions } from './decisions.js';
import { EnvironmentPool, SqsEventSource, type Invocation } from './event-source.js';
import { DEPLOYED_EVENT_SOURCE, LatencyModel, type EventSourceSettings } from './latency.js';
import type { Scenario } from './schema.js';
import { countedRequestHandler, VirtualRetryStrategy, type SimRequestHandler } from './sdk.js';
import { applyEntry, RolloutTracker } from './timeline.js';
import { VirtualScheduler } from './virtual-time.js';
import { sqsFront, wireAround } from './wire.js';

export type { Invocation } from './event-source.js';

/** The runs `simulate` compares the rebalancer with: nothing reacting, or ECS's own Spot draining. */
export const Baseline = { Nothing: 'nothing', EcsSpotDraining: 'ecs-spot-draining' } as const;
export type Baseline = (typeof Baseline)[keyof typeof Baseline];
export const BASELINES: readonly Baseline[] = [Baseline.Nothing, Baseline.EcsSpotDraining];

/** Where the handlers under test find their AWS: the simulator and the SQS emulator. */
export interface HandlerEnvironment {
  /** The simulator's endpoint: ECS (JSON 1.1), CloudWatch (JSON 1.0) and EventBridge PutEvents. */
  endpoint: string;
  /** SQS for the handlers: the simulator's front of the queue (fauxqs behind it). */
  sqsEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
  region: string;
  policy: Policy;
  /** The virtual clock: handlers must take "now" from here, never from Date. */
  now: () => Date;
  /**
   * SDK client options every client of the handlers MUST use in a sim run: the request
   * handler lets the runner see when a handler waits on the wire, the retry strategy backs
   * off on the virtual clock (`maxAttempts` counts the first try).
   */
  sdk: { requestHandler: SimRequestHandler; retryStrategy: (maxAttempts: number) => VirtualRetryStrategy };
  /** Waits `ms` of virtual time: any wait inside a handler (never setTimeout). */
  sleep: (ms: number) => Promise<void>;
}

/** The Lambda handlers the runner invokes, built against a HandlerEnvironment. */
export interface RebalancerHandlers {
  react(event: SQSEvent): Promise<SQSBatchResponse | void>;
  tick(event: EventBridgeEvent): Promise<unknown>;
  /** Lines to print under the batch or tick line that just ended (skip reasons, warnings). */
  notes?(): string[];
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
 * `waitUntil(virtualMs)`, and its SDK clients must use `env.sdk`.
 */
export type RolloutDriver = (
  input: Record<string, unknown>,
  env: HandlerEnvironment & { waitUntil: (virtualMs: number) => Promise<void> },
) => Promise<RolloutOutcome>;

export interface RunOptions {
  scenario: Scenario;
  /** The rebalancer under test; absent, a baseline runs (`baseline`, default `nothing`). */
  handlers?: HandlersFactory;
  /** Without handlers: what reacts instead (`ecs-spot-draining`: the ECS agent drains each Spot instance on its notice). */
  baseline?: Baseline;
  rollouts?: RolloutDriver;
  /** Receives the readable timeline, one line at a time. */
  log?: (line: string) => void;
  /** The event source mapping and queue; default as deployed (infra/settings.ts). */
  eventSource?: Partial<EventSourceSettings>;
  /** @deprecated use `eventSource.batchSize`. */
  batchSize?: number;
  /** @deprecated use `eventSource.maxReceiveCount`. */
  maxReceiveCount?: number;
}

export interface RunResult {
  scenario: string;
  withRebalancer: boolean;
  /** The baseline this run is, or null for the rebalancer's run. */
  baseline: Baseline | null;
  report: SimReport;
  invocations: Invocation[];
  rollouts: RolloutOutcome[];
  /** Messages left in the queue and the DLQ at the end; `retried` counts records reported as failed. */
  queue: { remaining: number; dlq: number; retried: number };
  /** What the DLQ holds at the end: each body and its message attributes (the quarantine's error). */
  dlqMessages: { body: string; attributes: Record<string, string> }[];
  availability: Availability;
  /** Faults injected on the wire, by kind. */
  faultsInjected: Record<string, number>;
  /** Wall-clock milliseconds the whole run took. */
  wallMs: number;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const QUEUE_NAME = 'ecs-rebalancer-events';

/**
 * Runs a scenario end to end on one virtual clock: the simulator serves ECS, CloudWatch and
 * EventBridge over HTTP (every call costs its round trip; faults strike there), every event
 * the simulator emits reaches the queue after its delivery delay, Lambda's event source
 * mapping batches and invokes the react handler (cold and warm environments, partial batch
 * responses, failed records back after their visibility timeout, the DLQ after
 * maxReceiveCount), and the tick fires at the schedule's rate. Without handlers, a baseline
 * runs: nothing of ours reacts.
 */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  const log = options.log ?? (() => {});
  const baseline: Baseline | null = options.handlers ? null : (options.baseline ?? Baseline.Nothing);
  const settings: EventSourceSettings = {
    ...DEPLOYED_EVENT_SOURCE,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.maxReceiveCount !== undefined ? { maxReceiveCount: options.maxReceiveCount } : {}),
    ...options.eventSource,
  };
  const wallStart = performance.now();

  const sim = createSimulation({
    clusters: scenario.clusters,
    start: scenario.start,
    seed: scenario.seed,
    providers: scenario.providers,
    services: scenario.services,
    standaloneTasks: scenario.standaloneTasks,
    ...(scenario.provisioningTimeoutSeconds !== undefined ? { provisioningTimeoutSeconds: scenario.provisioningTimeoutSeconds } : {}),
    ...(scenario.throttling !== undefined ? { throttling: scenario.throttling } : {}),
    // The `ecs-spot-draining` baseline: the agent on every Spot instance drains it on the notice (model/options.ts).
    ...(baseline === Baseline.EcsSpotDraining ? { agentSpotDraining: true } : {}),
  });
  const startMs = sim.clock.now();
  const elapsed = () => (sim.clock.now() - startMs) / 1000;
  const t = () => Math.round(elapsed());
  const say = (line: string) => log(`[t+${String(t()).padStart(5)}s] ${line}`);
  const scheduler = new VirtualScheduler(() => sim.clock.now());
  const latency = new LatencyModel(scenario.latency, scenario.seed);
  const faults = new FaultInjector(scenario.faults, scenario.seed);
  const meter = new AvailabilityMeter(sim);
  let source: SqsEventSource | undefined;

  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const dlq = fauxqs.createQueue('ecs-rebalancer-dlq');
  const queue = fauxqs.createQueue(QUEUE_NAME, {
    attributes: {
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: String(settings.maxReceiveCount) }),
    },
  });
  const server = await startSimServer(sim, {
    around: wireAround(scheduler, latency, faults, elapsed),
    sqs: sqsFront({ fauxqs: fauxqs.address, queueName: QUEUE_NAME, source: () => source }),
  });
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: sim.region, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false });
  const retryStrategy = (maxAttempts: number) => new VirtualRetryStrategy(maxAttempts, (ms) => scheduler.sleep(ms), () => latency.random());
  const requestHandler = countedRequestHandler(scheduler);
  const rollouts = new RolloutTracker(scheduler);
  const actors = new Set<Promise<void>>();
  const spawn = (run: () => Promise<void>) => {
    const actor = run()
      .catch((error: unknown) => say(`runner: invocation failed outside the handler (${error instanceof Error ? error.message : String(error)})`))
      .finally(() => actors.delete(actor));
    actors.add(actor);
  };
  try {
    const env: HandlerEnvironment = {
      endpoint: server.endpoint,
      sqsEndpoint: server.endpoint,
      queueUrl: queue.queueUrl,
      dlqUrl: dlq.queueUrl,
      region: sim.region,
      policy: scenario.policy,
      now: () => new Date(sim.clock.now()),
      sdk: { requestHandler, retryStrategy },
      sleep: (ms) => scheduler.sleep(ms),
    };
    const handlers = options.handlers ? await options.handlers(env) : undefined;
    const decisionsSeen = { count: 0 };
    const invocations: Invocation[] = [];
    const printNotes = () => {
      for (const note of handlers?.notes?.() ?? []) log(`            ${note}`);
    };

    if (handlers) {
      const eventSource = new SqsEventSource({
        sqs,
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: sim.region,
        settings,
        latency,
        scheduler,
        react: (event) => handlers.react(event),
        spawn,
        t,
        onInvocation: (invocation) => {
          invocations.push(invocation);
          if (invocation.error) say(`react: handler failed (${invocation.error}); ${invocation.records} records will be retried`);
          reportDecisions(sim, decisionsSeen, say, invocation.records, invocation.failures);
          printNotes();
        },
      });
      source = eventSource;
      sim.events.subscribe((event) => eventSource.deliver(event));
      const ticks = new EnvironmentPool(scenario.latency.keepWarmSeconds);
      for (let at = scenario.tickSeconds; at <= scenario.durationSeconds; at += scenario.tickSeconds) {
        scheduler.at(startMs + at * 1000 + latency.eventDeliveryMs(), () =>
          spawn(async () => {
            const cold = ticks.take(scheduler.now());
            if (cold) await scheduler.sleep(scenario.latency.coldStartMs);
            const startedAt = scheduler.now();
            const invocation: Invocation = { kind: 'tick', t: t(), records: 0, failures: 0, ms: 0, cold };
            try {
              await handlers.tick(scheduledEvent(sim));
            } catch (error) {
              invocation.error = error instanceof Error ? error.message : String(error);
              say(`tick: failed (${invocation.error})`);
            }
            invocation.ms = scheduler.now() - startedAt;
            ticks.release(scheduler.now());
            invocations.push(invocation);
            reportDecisions(sim, decisionsSeen, say, 0, 0, 'tick');
            printNotes();
          }),
        );
      }
    }

    const startRollout = (entry: Record<string, unknown>) => {
      if (!options.rollouts || !handlers) {
        say(`rollout: ${String(entry.service)} not started (${handlers ? 'no rollout driver' : 'without rebalancer'})`);
        return;
      }
      say(`rollout: ${String(entry.service)} in ${String(entry.cluster)} from ${String(entry.from)} to ${String(entry.to)} started`);
      const rolloutEnv = { ...env, sdk: { requestHandler: countedRequestHandler(scheduler, (on) => rollouts.onRequest(on)), retryStrategy } };
      rollouts.start(options.rollouts, entry, rolloutEnv, log, say);
    };
    for (const entry of scenario.timeline) scheduler.at(startMs + entry.at * 1000, () => applyEntry(entry, { sim, say, rollout: startRollout }));
    for (let at = 0; at <= scenario.durationSeconds; at += scenario.stepSeconds) scheduler.at(startMs + at * 1000, () => meter.sample());

    say(`scenario ${scenario.name}: ${scenario.clusters.length} cluster(s), ${scenario.durationSeconds}s, ${handlers ? 'with the rebalancer' : `baseline: ${baseline === Baseline.Nothing ? 'nothing reacts' : 'ECS agent Spot draining'}`}`);
    const endMs = startMs + scenario.durationSeconds * 1000;
    const ready = () => rollouts.settled();
    const idle = () => actors.size === 0 && rollouts.idle();
    meter.sample();
    for (;;) {
      await scheduler.settle(ready, idle);
      const next = Math.min(scheduler.nextAt() ?? Infinity, sim.clock.nextDueAt() ?? Infinity);
      if (next > endMs) break;
      sim.advance(Math.max(0, next - sim.clock.now()) / 1000);
      meter.sample();
      while (await scheduler.fireNext()) await scheduler.settle(ready, idle);
    }
    if (endMs > sim.clock.now()) sim.advance((endMs - sim.clock.now()) / 1000);
    meter.sample();
    // What still runs at the end finishes with time standing still.
    scheduler.stop();
    const rolloutOutcomes = await rollouts.outcomes();
    await Promise.all([...actors]);

    const depth = async (url: string) => {
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    };
    const remaining = handlers ? await depth(queue.queueUrl) : 0;
    const dlqMessages = await peek(sqs, dlq.queueUrl);
    const report = sim.report();
    say(`end: ${report.tasksLost.total} task(s) lost, ${report.interruptions.length} interrupted, ${report.drains.length} drained`);
    return {
      scenario: scenario.name,
      withRebalancer: handlers !== undefined,
      baseline,
      report,
      invocations,
      rollouts: rolloutOutcomes,
      queue: { remaining, dlq: dlqMessages.length, retried: source?.retried ?? 0 },
      dlqMessages,
      availability: meter.result(),
      faultsInjected: { ...faults.injected },
      wallMs: performance.now() - wallStart,
    };
  } finally {
    scheduler.stop();
    sqs.destroy();
    requestHandler.destroy();
    await server.close();
    await fauxqs.stop();
  }
}

/** Reads every message of a queue without deleting it (they stay for an operator to read). */
async function peek(sqs: SQSClient, queueUrl: string): Promise<RunResult['dlqMessages']> {
  const seen: RunResult['dlqMessages'] = [];
  for (;;) {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], VisibilityTimeout: 30 }));
    if (!received.Messages?.length) return seen;
    for (const m of received.Messages) {
      seen.push({ body: m.Body ?? '', attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
    }
  }
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

import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Policy } from '@ecs-rebalancer/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TICK_TIMEOUT_SECONDS } from '@ecs-rebalancer/infra/settings';
import { startFauxqs } from 'fauxqs';
import type { EventBridgeEvent } from '../model/events.js';
import { createSimulation, type Simulation } from '../model/simulation.js';
import { SeededRandom } from '../model/random.js';
import type { SimReport } from '../model/types.js';
import type { DynamoDbStats } from '../server/dynamodb.js';
import { FaultInjector } from '../server/faults.js';
import { startSimServer } from '../server/server.js';
import { AvailabilityMeter, type Availability } from './availability.js';
import { reportDecisions } from './decisions.js';
import { EnvironmentPool, SqsEventSource, type Invocation } from './event-source.js';
import { INSTANCE_INDEX_TABLE_NAME, instanceIndexTables } from './instance-index.js';
import { DEPLOYED_EVENT_SOURCE, LatencyModel, type EventSourceSettings } from './latency.js';
import { QueueClient } from './queue-client.js';
import type { Scenario } from './schema.js';
import { countedRequestHandler, VirtualRetryStrategy, type RealJitter, type SimRequestHandler } from './sdk.js';
import { applyEntry, RolloutTracker } from './timeline.js';
import { scenarioWorld } from './world-options.js';
import { VirtualScheduler } from './virtual-time.js';
import { sqsFront, wireAround } from './wire.js';

export type { Invocation } from './event-source.js';

/** The runs `simulate` compares the rebalancer with: nothing reacting, or ECS's own Spot draining. */
export const Baseline = { Nothing: 'nothing', EcsSpotDraining: 'ecs-spot-draining' } as const;
export type Baseline = (typeof Baseline)[keyof typeof Baseline];
export const BASELINES: readonly Baseline[] = [Baseline.Nothing, Baseline.EcsSpotDraining];

/** Where the handlers under test find their AWS: the simulator and the SQS emulator. */
export interface HandlerEnvironment {
  /** The simulator's endpoint: ECS (JSON 1.1), CloudWatch (JSON 1.0), EventBridge PutEvents and DynamoDB (JSON 1.0). */
  endpoint: string;
  /** The instance index's DynamoDB table on that endpoint, created as infra creates it (infra/settings.ts INSTANCE_INDEX_TABLE). */
  instanceIndexTable: string;
  /** SQS for the handlers: the simulator's front of the queue (fauxqs behind it). */
  sqsEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
  /** The event queue's redrive maxReceiveCount (the deployed REBALANCER_MAX_RECEIVE_COUNT). */
  maxReceiveCount?: number;
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
  /** A float in [0, 1) from the scenario's seed: every jitter inside a handler (never Math.random). */
  random: () => number;
  /** The functions' timeouts (react: as the run's event source applies it): context.getRemainingTimeInMillis counts down from them on `now`. */
  timeoutSeconds: { react: number; tick: number };
}

/** The Lambda handlers the runner invokes, built against a HandlerEnvironment. */
export interface RebalancerHandlers {
  react(event: SQSEvent): Promise<SQSBatchResponse | void>;
  tick(event: EventBridgeEvent): Promise<unknown>;
  /** Lines to print under the batch or tick line that just ended (skip reasons, warnings). */
  notes?(): string[];
}

/**
 * Builds the handlers of one Lambda execution environment: the runner calls it at every cold
 * start (react and tick environments apart), as Lambda runs a bundle's module scope once per
 * environment, so what the handlers keep between invocations (SDK clients, caches) is that
 * environment's own. It must not wait on real I/O: it runs on the virtual clock.
 */
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
  /**
   * Tests: real milliseconds drawn for every handler request and every queue call (waited
   * before it is sent and before its answer is handed back), standing for a loaded machine.
   * The run's figures must not move with it.
   */
  jitter?: RealJitter;
}

export interface RunResult {
  scenario: string;
  withRebalancer: boolean;
  /** The baseline this run is, or null for the rebalancer's run. */
  baseline: Baseline | null;
  report: SimReport;
  invocations: Invocation[];
  rollouts: RolloutOutcome[];
  /**
   * Messages left in the queue and the DLQ at the end; `retried` counts records reported as
   * failed; `waited` is how long messages sat in the queue before their first receive
   * (seconds, virtual; null without the rebalancer).
   */
  queue: { remaining: number; dlq: number; retried: number; waited: { p50: number; p99: number; max: number } | null };
  /** What the DLQ holds at the end: each body and its message attributes (the quarantine's error). */
  dlqMessages: { body: string; attributes: Record<string, string> }[];
  availability: Availability;
  /** Faults injected on the wire, by kind. */
  faultsInjected: Record<string, number>;
  /** What the functions did to DynamoDB (calls, throttled, capacity units, bytes). */
  dynamodb: DynamoDbStats;
  /** Wall-clock milliseconds the whole run took. */
  wallMs: number;
}

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
    ...scenarioWorld(scenario),
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
    dynamodb: instanceIndexTables({ now: () => sim.clock.now(), region: sim.region, accountId: sim.accountId }),
  });
  const sqs = new QueueClient(fauxqs.address, options.jitter);
  await warmSdk(fauxqs.address, sim.region, queue.queueUrl);
  const retryStrategy = (maxAttempts: number) => new VirtualRetryStrategy(maxAttempts, (ms) => scheduler.sleep(ms), () => latency.random());
  const requestHandler = countedRequestHandler(scheduler, undefined, options.jitter);
  // The handlers' own jitter (retry back-off, redelivery spread) from a stream of its own.
  const handlerRandom = new SeededRandom((scenario.seed ^ 0x5eed) >>> 0);
  const rollouts = new RolloutTracker(scheduler);
  const actors = new Set<Promise<void>>();
  // An invocation starts as a timer of its own (at once in virtual time), never inside the
  // runner work that asked for it: that work may still be waiting on fauxqs, and the
  // invocation's first calls must not race it in real time.
  const spawn = (run: () => Promise<void>) =>
    scheduler.at(scheduler.now(), () => {
      const actor = scheduler
        .run(run)
        .catch((error: unknown) => say(`runner: invocation failed outside the handler (${error instanceof Error ? error.message : String(error)})`))
        .finally(() => actors.delete(actor));
      actors.add(actor);
    });
  try {
    const env: HandlerEnvironment = {
      endpoint: server.endpoint,
      instanceIndexTable: INSTANCE_INDEX_TABLE_NAME,
      sqsEndpoint: server.endpoint,
      queueUrl: queue.queueUrl,
      dlqUrl: dlq.queueUrl,
      maxReceiveCount: settings.maxReceiveCount,
      region: sim.region,
      policy: scenario.policy,
      now: () => new Date(sim.clock.now()),
      sdk: { requestHandler, retryStrategy },
      sleep: (ms) => scheduler.sleep(ms),
      random: () => handlerRandom.next(),
      timeoutSeconds: { react: settings.functionTimeoutSeconds, tick: TICK_TIMEOUT_SECONDS },
    };
    // Each execution environment of a function runs the module scope once: the factory is
    // called at each cold start, so every environment has its own clients and caches.
    const factory = options.handlers;
    const decisionsSeen = { count: 0 };
    const invocations: Invocation[] = [];
    const printNotes = (environment: { notes?(): string[] } | undefined) => {
      for (const note of environment?.notes?.() ?? []) log(`            ${note}`);
    };

    if (factory) {
      const eventSource = new SqsEventSource({
        sqs,
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: sim.region,
        settings,
        latency,
        scheduler,
        newEnvironment: async () => factory(env),
        spawn,
        t,
        onInvocation: (invocation, environment) => {
          invocations.push(invocation);
          if (invocation.error) say(`react: handler failed (${invocation.error}); ${invocation.records} records will be retried`);
          reportDecisions(sim, decisionsSeen, say, invocation.records, invocation.failures);
          printNotes(environment);
        },
      });
      source = eventSource;
      sim.events.subscribe((event) => eventSource.deliver(event));
      const ticks = new EnvironmentPool<RebalancerHandlers>(scenario.latency.keepWarmSeconds);
      for (let at = scenario.firstTickSeconds ?? scenario.tickSeconds; at <= scenario.durationSeconds; at += scenario.tickSeconds) {
        scheduler.at(startMs + at * 1000 + latency.eventDeliveryMs(), () =>
          spawn(async () => {
            const warm = ticks.take(scheduler.now());
            const id = warm?.id ?? ticks.start();
            if (!warm) await scheduler.sleep(scenario.latency.coldStartMs);
            const startedAt = scheduler.now();
            const invocation: Invocation = { kind: 'tick', t: t(), records: 0, failures: 0, ms: 0, cold: !warm, environment: id };
            let environment = warm?.value;
            try {
              environment ??= await factory(env);
              await environment.tick(scheduledEvent(sim));
            } catch (error) {
              invocation.error = error instanceof Error ? error.message : String(error);
              say(`tick: failed (${invocation.error})`);
            }
            invocation.ms = scheduler.now() - startedAt;
            if (environment) ticks.release(scheduler.now(), id, environment);
            invocations.push(invocation);
            reportDecisions(sim, decisionsSeen, say, 0, 0, 'tick');
            printNotes(environment);
          }),
        );
      }
    }

    const startRollout = (entry: Record<string, unknown>) => {
      if (!options.rollouts || !factory) {
        say(`rollout: ${String(entry.service)} not started (${factory ? 'no rollout driver' : 'without rebalancer'})`);
        return;
      }
      say(`rollout: ${String(entry.service)} in ${String(entry.cluster)} from ${String(entry.from)} to ${String(entry.to)} started`);
      const rolloutEnv = { ...env, sdk: { requestHandler: countedRequestHandler(scheduler, (on) => rollouts.onRequest(on), options.jitter), retryStrategy } };
      rollouts.start(options.rollouts, entry, rolloutEnv, log, say);
    };
    for (const entry of scenario.timeline) scheduler.at(startMs + entry.at * 1000, () => applyEntry(entry, { sim, say, rollout: startRollout }));
    for (let at = 0; at <= scenario.durationSeconds; at += scenario.stepSeconds) scheduler.at(startMs + at * 1000, () => meter.sample());

    say(`scenario ${scenario.name}: ${scenario.clusters.length} cluster(s), ${scenario.durationSeconds}s, ${factory ? 'with the rebalancer' : `baseline: ${baseline === Baseline.Nothing ? 'nothing reacts' : 'ECS agent Spot draining'}`}`);
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
    // What still runs at the end finishes with time standing still, one wake at a time.
    scheduler.stop();
    await scheduler.finish(ready, idle);
    const rolloutOutcomes = await rollouts.outcomes();
    await Promise.all([...actors]);

    const remaining = factory ? await sqs.depth(queue.queueUrl) : 0;
    const dlqMessages = await peek(sqs, dlq.queueUrl);
    const report = sim.report();
    say(`end: ${report.tasksLost.total} task(s) lost, ${report.interruptions.length} interrupted, ${report.drains.length} drained`);
    return {
      scenario: scenario.name,
      withRebalancer: factory !== undefined,
      baseline,
      report,
      invocations,
      rollouts: rolloutOutcomes,
      queue: { remaining, dlq: dlqMessages.length, retried: source?.retried ?? 0, waited: percentiles(source?.waitedSeconds() ?? []) },
      dlqMessages,
      availability: meter.result(),
      faultsInjected: { ...faults.injected },
      dynamodb: server.dynamodb.stats(),
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

/**
 * The first SDK call of a process reads the shared config and credentials files (~/.aws) for
 * settings such as FIPS and dual-stack endpoints: real I/O the virtual clock cannot see, during
 * which a handler waits on neither the wire nor a virtual sleep, so the runner would move time
 * under it. Made once here, before time starts, it leaves the handlers' clients the cached files.
 */
async function warmSdk(endpoint: string, region: string, queueUrl: string): Promise<void> {
  const client = new SQSClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, useQueueUrlAsEndpoint: false });
  try {
    await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  } finally {
    client.destroy();
  }
}

/** Reads every message of a queue without deleting it (they stay for an operator to read). */
async function peek(sqs: QueueClient, queueUrl: string): Promise<RunResult['dlqMessages']> {
  const seen: RunResult['dlqMessages'] = [];
  for (;;) {
    const received = await sqs.receive(queueUrl, { maxMessages: 10, visibilityTimeoutSeconds: 30 });
    if (received.length === 0) return seen;
    for (const m of received) {
      seen.push({ body: m.Body ?? '', attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
    }
  }
}

function percentiles(values: number[]): { p50: number; p99: number; max: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0) * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
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

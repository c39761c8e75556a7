import { DEFAULT_MAX_ATTEMPTS, composeReactDeps, composeTickDeps, createClients, createReactHandler, createTickHandler } from '@ecs-rebalancer/functions';
import type { ReactComposeOptions } from '@ecs-rebalancer/functions';
import type { HandlerEnvironment, HandlersFactory, RebalancerHandlers, RolloutDriver } from '@ecs-rebalancer/sim';
import { rolloutDriver } from './rollout-local.js';
import { localLambdaContext } from './lambda-context.js';
import { TimelineNotesLogger } from './timeline-notes.js';

const MAX_ATTEMPTS = DEFAULT_MAX_ATTEMPTS;

/**
 * The real react and tick handlers, each wired as Lambda wires it (composeReactDeps;
 * composeTickDeps, with no drainer and no quarantine) but with SDK clients pointed at the
 * simulator and fauxqs, and the simulator's virtual clock. Logs are silent unless
 * REBALANCER_LOG_LEVEL asks for them; EMF metrics are not printed locally.
 */
export const localHandlers: HandlersFactory = (env: HandlerEnvironment): RebalancerHandlers => {
  const clients = createClients({
    region: env.region,
    endpoints: { ecs: env.endpoint, cloudWatch: env.endpoint, eventBridge: env.endpoint, dynamodb: env.endpoint, sqs: env.sqsEndpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // Round trips and SDK back-off on the simulator's virtual clock.
    requestHandler: env.sdk.requestHandler as never,
    retryStrategy: env.sdk.retryStrategy(MAX_ATTEMPTS),
    // UpdateService is never retried by the SDK (a lost answer is re-read instead).
    singleAttemptRetryStrategy: env.sdk.retryStrategy(1),
  });
  // The timeline's skip reasons and warnings come from the handlers' own log records.
  const logger = new TimelineNotesLogger({ serviceName: 'ecs-rebalancer', logLevel: (process.env.REBALANCER_LOG_LEVEL ?? 'SILENT') as 'SILENT' });
  // EMF lines are for CloudWatch Logs; locally they would drown the timeline (the
  // compositions' Powertools Metrics read this when they are built).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const options: ReactComposeOptions = {
    config: { policy: env.policy, dlqUrl: env.dlqUrl, queueUrl: env.queueUrl, ...(env.maxReceiveCount === undefined ? {} : { maxReceiveCount: env.maxReceiveCount }), eventBus: 'default', maxAttempts: MAX_ATTEMPTS, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer', instanceIndexTable: env.instanceIndexTable },
    clients,
    logger,
    clock: env.now,
    sleep: env.sleep,
    // Back-off and redelivery jitter from the scenario's seed: same seed, same run.
    random: env.random,
  };
  // Lambda's timeout is the runner's, on the virtual clock: no wall-clock race in middy.
  const react = createReactHandler(composeReactDeps(options), { wallClockTimeout: false });
  const tick = createTickHandler(composeTickDeps(options), { wallClockTimeout: false });
  const context = localLambdaContext('ecs-rebalancer-local');
  // The time an invocation has left runs on the virtual clock, from its start.
  const invocationContext = (timeoutSeconds: number) => {
    const deadline = env.now().getTime() + timeoutSeconds * 1000;
    return { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - env.now().getTime()) };
  };
  return {
    react: async (event) => (await react(event, invocationContext(env.timeoutSeconds.react))) ?? undefined,
    tick: async (event) => tick(event as never, invocationContext(env.timeoutSeconds.tick)),
    notes: () => logger.take(),
  };
};

/** Timeline rollouts: the rollout state machine on aws-local-stepfunctions, its tasks bound to the real rollout handler. */
export const localRollouts: RolloutDriver = rolloutDriver;

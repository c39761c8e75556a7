// The real react and tick handlers against the simulator and fauxqs (runScenario), with
// faults injected inside the SDK's retry loop: a middleware in the `deserialize` step runs
// once per attempt, after the retry strategy (finalizeRequest) has decided to try. A fault
// either answers instead of ECS (throttling, a 500: ECS never saw the call) or lets the call
// through and then loses the answer (a timeout after ECS applied it).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { composeReactDeps, composeTickDeps, createClients, createReactHandler, createTickHandler, fixedKillSwitch } from '@ecs-rebalancer/functions';
import type { KillSwitch, SwitchMode } from '@ecs-rebalancer/functions';
import { runScenario } from '@ecs-rebalancer/sim';
import type { HandlerEnvironment, HandlersFactory, RunResult, Scenario } from '@ecs-rebalancer/sim';

export type FaultKind = 'throttle' | 'server-error' | 'lost-answer';

export interface Fault {
  /** The ECS action, e.g. UpdateService. */
  action: string;
  kind: FaultKind;
  /** Which attempts of that action fail (1-based, counted over the whole run), or every one. */
  attempts: number[] | 'all';
}

export interface FaultCounters {
  /** Attempts per action that reached the fault middleware. */
  attempts: Record<string, number>;
  /** Faults injected per action. */
  injected: Record<string, number>;
}

function faultError(kind: FaultKind): Error {
  if (kind === 'throttle') return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  if (kind === 'server-error') return Object.assign(new Error('Internal server error'), { name: 'ServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
  return Object.assign(new Error('socket hang up: the answer was lost'), { name: 'TimeoutError', $metadata: {} });
}

/** Adds the faults to an ECS client; counts what happened in `counters`. */
export function injectFaults(client: ECSClient, faults: readonly Fault[], counters: FaultCounters): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const action = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      counters.attempts[action] = (counters.attempts[action] ?? 0) + 1;
      const n = counters.attempts[action];
      const fault = faults.find((f) => f.action === action && (f.attempts === 'all' || f.attempts.includes(n)));
      if (!fault) return next(args);
      counters.injected[action] = (counters.injected[action] ?? 0) + 1;
      if (fault.kind === 'lost-answer') {
        await next(args);
        throw faultError('lost-answer');
      }
      throw faultError(fault.kind);
    },
    { step: 'deserialize', name: 'reliabilityFaults', priority: 'high' },
  );
}

export interface HarnessOptions {
  faults?: Fault[];
  mode?: SwitchMode;
  killSwitch?: KillSwitch;
  /** Separate handler instances (separate Lambda containers) the runner's batches alternate between. */
  containers?: number;
  /** As deployed: a policy naming no accounts / regions takes the function's own (from the context ARN). */
  ownScope?: boolean;
}

/** The real handlers wired as Lambda wires them, with faults and a kill switch. */
export function faultyHandlers(options: HarnessOptions, counters: FaultCounters): HandlersFactory {
  return (env: HandlerEnvironment) => {
    const build = () => {
      const clients = createClients({
        region: env.region,
        endpoints: { ecs: env.endpoint, cloudWatch: env.endpoint, eventBridge: env.endpoint, sqs: env.sqsEndpoint, ecsSingleAttempt: env.endpoint },
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        // Round trips and SDK back-off on the simulator's virtual clock.
        requestHandler: env.sdk.requestHandler as never,
        retryStrategy: env.sdk.retryStrategy(6),
        singleAttemptRetryStrategy: env.sdk.retryStrategy(1),
      });
      injectFaults(clients.ecs, options.faults ?? [], counters);
      injectFaults(clients.ecsSingleAttempt, options.faults ?? [], counters);
      process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
      const logger = new Logger({ serviceName: 'ecs-rebalancer', logLevel: (process.env.REBALANCER_LOG_LEVEL ?? 'SILENT') as 'SILENT' });
      const killSwitch = options.killSwitch ?? (options.mode ? fixedKillSwitch(options.mode, 'ssm:/reliability/kill-switch') : undefined);
      const compose = {
        config: { policy: env.policy, dlqUrl: env.dlqUrl, queueUrl: env.queueUrl, ...(env.maxReceiveCount === undefined ? {} : { maxReceiveCount: env.maxReceiveCount }), eventBus: 'default', maxAttempts: 6, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
        clients,
        logger,
        metrics: new Metrics({ namespace: 'EcsRebalancer', serviceName: 'ecs-rebalancer' }),
        clock: env.now,
        sleep: env.sleep,
        random: env.random,
        ...(killSwitch ? { killSwitch } : {}),
      };
      const scoped = options.ownScope ? { ownScope: { fallbackRegion: env.region } } : {};
      return { react: createReactHandler(composeReactDeps(compose), scoped), tick: createTickHandler(composeTickDeps(compose), scoped) };
    };
    const containers = Array.from({ length: Math.max(1, options.containers ?? 1) }, build);
    let turn = 0;
    return {
      react: async (event) => (await containers[turn++ % containers.length]!.react(event, lambdaContext())) ?? undefined,
      tick: async (event) => containers[turn++ % containers.length]!.tick(event as never, lambdaContext()),
    };
  };
}

export async function runWith(scenario: Scenario, options: HarnessOptions = {}): Promise<RunResult & { faults: FaultCounters }> {
  const counters: FaultCounters = { attempts: {}, injected: {} };
  const result = await runScenario({ scenario, handlers: faultyHandlers(options, counters) });
  return { ...result, faults: counters };
}

function lambdaContext() {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'ecs-rebalancer-reliability',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ecs-rebalancer-reliability',
    memoryLimitInMB: '256',
    awsRequestId: 'reliability',
    logGroupName: '/aws/lambda/ecs-rebalancer-reliability',
    logStreamName: 'reliability',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

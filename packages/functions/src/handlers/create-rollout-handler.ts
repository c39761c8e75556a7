import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { CloudWatchAlarmHistoryReader } from '../adapters/cloudwatch-alarm-history-reader.js';
import { EcsRolloutServiceReader } from '../adapters/ecs-rollout-service-reader.js';
import { EcsRolloutStrategyWriter } from '../adapters/ecs-rollout-strategy-writer.js';
import { EcsRolloutTaskCounter } from '../adapters/ecs-rollout-task-counter.js';
import type { RolloutClients } from '../adapters/rollout-clients.js';
import { SfnRolloutExecutions } from '../adapters/sfn-rollout-executions.js';
import type { Policy } from '@ecs-rebalancer/core';
import type { Clock } from '../ports.js';
import type { RolloutKillSwitch } from '../rollout-ports.js';
import { handleRolloutTask } from '../use-cases/rollout.js';
import type { RolloutDeps } from '../use-cases/rollout.js';

export interface RolloutComposeOptions {
  clients: Pick<RolloutClients, 'ecs' | 'cloudWatch'> & Partial<Pick<RolloutClients, 'sfn' | 'ecsSingleAttempt'>>;
  logger?: Logger;
  /** Defaults to the wall clock; local runs pass the simulator's virtual one. */
  clock?: Clock;
  /** `paused` stops rollouts, `dry-run` makes them plan only (absent: active). */
  killSwitch?: RolloutKillSwitch;
  /** The deployed policy (its `dryRun` makes every rollout a dry run). */
  policy?: Pick<Policy, 'dryRun'>;
}

/**
 * Wires the rollout's AWS adapters. Without a Step Functions client (local runs) the caller
 * passes its own `executions` to the handler (the local runner's registry).
 */
export function composeRolloutDeps(options: RolloutComposeOptions): RolloutDeps & { logger: Logger } {
  const logger = options.logger ?? new Logger({ serviceName: 'ecs-rebalancer-rollout' });
  const { ecs, cloudWatch, sfn } = options.clients;
  return {
    services: new EcsRolloutServiceReader(ecs, logger),
    strategies: new EcsRolloutStrategyWriter(ecs, logger, options.clients.ecsSingleAttempt ?? ecs),
    tasks: new EcsRolloutTaskCounter(ecs),
    alarms: new CloudWatchAlarmHistoryReader(cloudWatch),
    ...(sfn ? { executions: new SfnRolloutExecutions(sfn) } : {}),
    ...(options.killSwitch ? { killSwitch: options.killSwitch } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    clock: options.clock ?? (() => new Date()),
    log: logger,
    logger,
  };
}

/** The rollout handler: one Task state's `{action, …}` in, what its next state reads out. */
export function createRolloutHandler(deps: RolloutDeps & { logger?: Logger }) {
  const handler = middy<Record<string, unknown>, unknown>(async (event: Record<string, unknown>) => handleRolloutTask(event, deps));
  return deps.logger ? handler.use(injectLambdaContext(deps.logger, { resetKeys: true })) : handler;
}

// The rollout's public surface, re-exported by index.ts: the CLI's `rollout` command and its
// local runner build on these.
export { handleRolloutTask, rollbackService, RolloutAction, RolloutPausedError } from './use-cases/rollout.js';
export type { BakeStatus, CaughtFailure, DeploymentWatch, RollbackWatch, RolloutDeps, RolloutState } from './use-cases/rollout.js';
export { composeRolloutDeps, createRolloutHandler } from './handlers/create-rollout-handler.js';
export type { RolloutComposeOptions } from './handlers/create-rollout-handler.js';
export { createRolloutClients } from './adapters/rollout-clients.js';
export type { RolloutClientOptions, RolloutClients } from './adapters/rollout-clients.js';
export { EcsRolloutServiceReader } from './adapters/ecs-rollout-service-reader.js';
export { EcsRolloutStrategyWriter } from './adapters/ecs-rollout-strategy-writer.js';
export { EcsRolloutTaskCounter } from './adapters/ecs-rollout-task-counter.js';
export { CloudWatchAlarmHistoryReader } from './adapters/cloudwatch-alarm-history-reader.js';
export { SfnRolloutExecutions } from './adapters/sfn-rollout-executions.js';
export type { ExecutionDetail, ExecutionSummary } from './adapters/sfn-rollout-executions.js';
export { SfnRolloutOperator } from './adapters/sfn-rollout-operator.js';
export type { PendingPause } from './adapters/sfn-rollout-operator.js';
export type {
  RolloutAlarmReader,
  RolloutDeployments,
  RolloutExecutions,
  RolloutKillSwitch,
  RolloutService,
  RolloutServiceReader,
  RolloutStrategyWriter,
  RolloutTaskCounter,
  RunningExecution,
} from './rollout-ports.js';

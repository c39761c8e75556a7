// The package's public surface, name by name: the composition roots (what the Lambda entry
// points in handlers/ call, and what the CLI's local runners call with clients pointed at the
// simulator), the ports a caller may implement instead of an adapter, and the few adapters the
// CLI drives directly (`snapshot`, `rollout status|abort`). Everything else is internal.

// Composition roots: clients → dependencies → handler.
export { createClients } from './adapters/clients.js';
export type { AwsClients, ClientOptions } from './adapters/clients.js';
export { createRolloutClients } from './adapters/rollout-clients.js';
export type { RolloutClientOptions, RolloutClients } from './adapters/rollout-clients.js';
export { DEFAULT_MAX_ATTEMPTS, loadConfig } from './config.js';
export type { Env, FunctionConfig } from './config.js';
export { composeTickDeps } from './handlers/compose.js';
export type { ComposeOptions, TickHandlerDeps } from './handlers/compose.js';
export { composeReactDeps } from './handlers/compose-react.js';
export type { ReactComposeOptions, ReactHandlerDeps } from './handlers/compose-react.js';
export { composeRolloutDeps, createRolloutHandler } from './handlers/create-rollout-handler.js';
export type { RolloutComposeOptions } from './handlers/create-rollout-handler.js';
export { createReactHandler } from './handlers/create-react-handler.js';
export type { ReactEvent } from './handlers/create-react-handler.js';
export { createTickHandler } from './handlers/create-tick-handler.js';
export { fixedKillSwitch } from './adapters/ssm-kill-switch.js';

// Ports: what the use-cases need of the world.
export { DrainStatus, StrategyWriteResult, SwitchMode } from './ports.js';
export type {
  AlarmReader,
  Clock,
  ClusterReader,
  ClusterSnapshot,
  DecisionPublisher,
  InstanceDrainer,
  KillSwitch,
  Log,
  MetricsSink,
  Quarantine,
  Redelivery,
  Sleep,
  StrategyWriter,
} from './ports.js';
export type {
  RolloutAlarmReader,
  RolloutExecutions,
  RolloutKillSwitch,
  RolloutServiceReader,
  RolloutStrategyWriter,
  RolloutTaskCounter,
  RunningExecution,
} from './rollout-ports.js';
export type { RolloutDeps, RolloutState } from './use-cases/rollout.js';

// What the CLI drives itself: `snapshot` reads clusters read-only; `rollout status|abort`
// reads and rolls back a service outside the state machine.
export { CloudWatchAlarmReader } from './adapters/cloudwatch-alarm-reader.js';
export { EcsClusterReader } from './adapters/ecs-cluster-reader.js';
export { loadSnapshot } from './use-cases/load-snapshot.js';
export { EcsRolloutServiceReader } from './adapters/ecs-rollout-service-reader.js';
export { EcsRolloutStrategyWriter } from './adapters/ecs-rollout-strategy-writer.js';
export { SfnRolloutOperator } from './adapters/sfn-rollout-operator.js';
export { rollbackService } from './use-cases/rollout.js';
export { readRecord, recordTags } from './adapters/ecs-service-tags.js';
export { PermanentError, RetryableError } from './errors.js';

export { createReactHandler } from './handlers/create-react-handler.js';
export type { ReactEvent } from './handlers/create-react-handler.js';
export { createTickHandler } from './handlers/create-tick-handler.js';
export { composeShared } from './handlers/compose.js';
export type { ComposeOptions, SharedDeps } from './handlers/compose.js';
export { composeReactDeps } from './handlers/compose-react.js';
export type { ReactComposeOptions, ReactHandlerDeps } from './handlers/compose-react.js';
export { composeTickDeps } from './handlers/compose-tick.js';
export type { TickHandlerDeps } from './handlers/compose-tick.js';
export { handleDirectEvent, handleReactBatch } from './use-cases/handle-react.js';
export type { BatchResponse, QueueRecord, ReactDeps } from './use-cases/handle-react.js';
export { handleTick } from './use-cases/handle-tick.js';
export { loadSnapshot } from './use-cases/load-snapshot.js';
export type { TickDeps, TickResult } from './use-cases/handle-tick.js';
export { NO_DRAINER, STRATEGY_WRITE_CONCURRENCY, applyPlan } from './use-cases/apply-plan.js';
export type { ActionReport, ApplyDeps } from './use-cases/apply-plan.js';
export { createClients } from './adapters/clients.js';
export type { AwsClients, ClientOptions } from './adapters/clients.js';
export { EcsClusterReader, ec2InstanceFilters, isLongServiceArn, shortArnReason } from './adapters/ecs-cluster-reader.js';
export { EcsInstanceDrainer, DRAIN_CHUNK } from './adapters/ecs-instance-drainer.js';
export { EcsStrategyWriter, LEASE_HELD, LEASE_MS, OUTCOME_UNKNOWN, SERVICE_CHANGED, UPDATE_ATTEMPTS } from './adapters/ecs-strategy-writer.js';
export { CloudWatchAlarmReader } from './adapters/cloudwatch-alarm-reader.js';
export { DECISION_DETAIL_TYPE, DECISION_SOURCE, EventBridgeDecisionPublisher } from './adapters/eventbridge-decision-publisher.js';
export type { PublisherOptions } from './adapters/eventbridge-decision-publisher.js';
export { SqsQuarantine } from './adapters/sqs-quarantine.js';
export { SqsRedelivery, urlFromArn } from './adapters/sqs-redelivery.js';
export { KILL_SWITCH_CACHE_MS, SsmKillSwitch, fixedKillSwitch } from './adapters/ssm-kill-switch.js';
export { runOptions } from './use-cases/run-options.js';
export { MAX_DRAIN_ROUNDS } from './use-cases/handle-react.js';
export type { InvocationOptions } from './use-cases/handle-react.js';
export { PowertoolsMetricsSink } from './adapters/powertools-metrics-sink.js';
export { RecordTag, TagFormatError, decodeStrategy, encodeStrategy, readRecord, recordTags } from './adapters/ecs-service-tags.js';
export { flushMetrics } from './middleware/flush-metrics.js';
export { DEFAULT_EVENT_BUS, DEFAULT_MAX_ATTEMPTS, METRICS_NAMESPACE, loadConfig } from './config.js';
export type { Env, FunctionConfig } from './config.js';
export { ConfigError, PermanentError, RetryableError, attempt, classifyError, isRetryable, isThrottling, isUnknownOutcome } from './errors.js';
export { DrainStatus, Outcome, RecordPhase, StrategyWriteResult, SwitchMode } from './ports.js';
export type {
  AlarmReader,
  Clock,
  ClusterReader,
  ClearRecordRequest,
  ClusterSnapshot,
  DecisionEvent,
  DecisionPublisher,
  InstanceDrainResult,
  InstanceDrainer,
  KillSwitch,
  Log,
  ReceivedMessage,
  Redelivery,
  Sleep,
  MetricsSink,
  PoisonRecord,
  PublishResult,
  Quarantine,
  StrategyChangeRequest,
  StrategyRecord,
  StrategyWriter,
} from './ports.js';
export * from './rollout-exports.js';

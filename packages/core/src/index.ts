// The core's public names, listed one by one (issue 13): a name not here is internal to the core.
export { AlarmKind, DRAIN_URGENCY, InstanceSignalKind, SignalKind } from './model/signal.js';
export type {
  AlarmSignal,
  CapacityReservationInterruptionSignal,
  FargateSpotInterruptionSignal,
  IgnoredSignal,
  InstanceSignal,
  InstanceStateSignal,
  PlacementFailureSignal,
  RebalanceRecommendationSignal,
  ScheduledChangeSignal,
  Signal,
  SpotCapacityShortageSignal,
  SpotInterruptionSignal,
  TickSignal,
} from './model/signal.js';
export {
  AlarmStateValue,
  CapacityOptionType,
  CpuArchitecture,
  DeploymentController,
  FallbackPhase,
  InstanceStatus,
  ProviderType,
} from './model/cluster-state.js';
export type {
  CapacityProviderState,
  ClusterState,
  ContainerInstanceState,
  ServiceState,
} from './model/cluster-state.js';
export {
  clusterStateProblems,
  clusterStateSchema,
  parseClusterState,
  serviceStateSchema,
  strategySchema,
} from './model/cluster-state-schema.js';
export { StrategyChange } from './model/plan.js';
export type {
  ClearRecordAction,
  DeferredDrain,
  DrainAction,
  Drift,
  MetricAction,
  Plan,
  PlanAction,
  SetStrategyAction,
  Skip,
} from './model/plan.js';
export type { Strategy, StrategyItem } from './model/strategy.js';
export { formatPath, MalformedEventError, RolloutInputError, ValidationError } from './errors.js';
export type { JsonPath, Problem } from './errors.js';
export {
  ActionChoice,
  DEFAULT_DRAIN_BEFORE_SECONDS,
  DEFAULT_FALLBACK_MIN_SECONDS,
  DEFAULT_FALLBACK_OK_SECONDS,
  DEFAULT_MAX_DRAINING_FRACTION,
  DEFAULT_RESTORE_AT_ONCE,
  defaultPolicyFor,
  fallbackTarget,
  fallbackTargets,
  parsePolicy,
  policySchema,
  ProviderKind,
} from './policy/schema.js';
export type { ClusterPolicy, FallbackPolicy, Policy, PolicyInput } from './policy/schema.js';
export {
  deployProblems,
  MAX_POLICY_ENV_BYTES,
  parseDeployablePolicy,
  policyEnvironmentBytes,
} from './policy/deployable.js';
export { expectedTaskSplit, stepStrategy, weightScale } from './strategy/step.js';
export { fallbackStrategy, isSpotProvider } from './strategy/fallback.js';
export type { FallbackTargets } from './strategy/fallback.js';
export { MAX_BASE, MAX_STRATEGY_ITEMS, MAX_WEIGHT, sameStrategy, strategyProblems } from './strategy/validate.js';
export { restoreStrategy } from './strategy/restore.js';
export {
  alarmKindOf,
  isAlarmActionPayload,
  parseAlarmAction,
  parseAlarmStateChange,
} from './events/alarm-state-change.js';
export { capacityProviderNameFromArn, clusterNameFromArn, serviceNameFromArn } from './events/arn.js';
export { Ec2InstanceState, LEAVING_STATES, parseInstanceStateChange } from './events/instance-state-change.js';
export { eventRegistry, findEventParser } from './events/registry.js';
export { ignoredSignal, parseEnvelope, signalBase } from './events/envelope.js';
export type { EventEnvelope, EventParser, EventRegistryEntry } from './events/envelope.js';
export { InterruptionAction, parseSpotInterruption } from './events/spot-interruption.js';
export { isEc2InstanceId, isoTimestamp, isTimestamp } from './events/validate.js';
export { isSpotShortageMessage, parseInstanceLaunchUnsuccessful } from './events/instance-launch-unsuccessful.js';
export { parseCapacityReservationInterruption } from './events/capacity-reservation-interruption.js';
export { parseEvent, parseEvents } from './events/parse.js';
export { parseHealthScheduledChange } from './events/health-scheduled-change.js';
export { parseRebalanceRecommendation } from './events/rebalance-recommendation.js';
export { parseScheduledEvent } from './events/scheduled-event.js';
export { parseServiceAction, PLACEMENT_FAILURE_EVENT_NAME } from './events/service-action.js';
export { parseTaskStateChange, SPOT_STOP_CODES } from './events/task-state-change.js';
export { decide, decideBatch } from './decide/decide.js';
export type { SignalFailure } from './decide/decide.js';
export { foreignReason, ownValue } from './decide/context.js';
export { isFallbackPending } from './decide/fallbacks.js';
export { planLoad } from './decide/load.js';
export type { LoadRequest } from './decide/load.js';
export {
  Approval,
  DeploymentVerdict,
  OnAlarm,
  RolloutErrorName,
  RolloutStatus,
  StepSchedule,
} from './rollout/types.js';
export type {
  AlarmCheck,
  AlarmTransition,
  RolloutInput,
  RolloutPlan,
  RolloutStep,
  RolloutSummary,
  ServiceDeployment,
  StepRecord,
} from './rollout/types.js';
export {
  BAKE_WATCH_SECONDS,
  bakeChecks,
  EVENTS_PER_RETRY,
  EVENTS_PER_STATE,
  HISTORY_EVENT_BUDGET,
  HISTORY_EVENT_LIMIT,
  MAX_RESUMES,
  RETRY_RESERVE,
  worstCaseHistoryEvents,
} from './rollout/history.js';
export type { HistoryShape } from './rollout/history.js';
export {
  bakeWaitSeconds,
  decideAlarmCheck,
  decideBake,
  decideDeploymentWait,
  decideRollback,
} from './rollout/decide.js';
export type { BakeVerdict, RollbackDecision, RollbackSubject } from './rollout/decide.js';
export { DEFAULT_APPROVAL_TIMEOUT_SECONDS, RETRY, rolloutDefinition } from './rollout/definition.js';
export type { RolloutDefinitionOptions } from './rollout/definition.js';
export {
  DEFAULT_BAKE_SECONDS,
  DEFAULT_DEPLOYMENT_TIMEOUT_SECONDS,
  DEFAULT_POLL_SECONDS,
  MAX_BAKE_SECONDS,
  MAX_POLLS_PER_DEPLOYMENT,
  parseRolloutInput,
  rolloutInputSchema,
} from './rollout/input.js';
export type { RolloutInputRaw } from './rollout/input.js';
export { DEFAULT_STEPS, exponentialSteps, linearSteps, MAX_ROLLOUT_STEPS } from './rollout/schedule.js';
export { isRolloutExecutionOf, rolloutExecutionName, rolloutExecutionPrefix } from './rollout/execution-name.js';
export { planRollout } from './rollout/plan.js';
export { zodProblems } from './zod-problems.js';

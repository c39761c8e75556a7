export type {
  AlarmCheck,
  AlarmTransition,
  RolloutInput,
  RolloutPlan,
  RolloutStep,
  RolloutSummary,
  ServiceDeployment,
  StepRecord,
} from './types.js';
export { Approval, DeploymentVerdict, OnAlarm, RolloutErrorName, RolloutStatus, StepSchedule } from './types.js';
export {
  DEFAULT_BAKE_SECONDS,
  DEFAULT_DEPLOYMENT_TIMEOUT_SECONDS,
  DEFAULT_POLL_SECONDS,
  MAX_BAKE_SECONDS,
  MAX_POLLS_PER_DEPLOYMENT,
  parseRolloutInput,
  rolloutInputSchema,
} from './input.js';
export type { RolloutInputRaw } from './input.js';
export { DEFAULT_STEPS, MAX_ROLLOUT_STEPS, exponentialSteps, linearSteps } from './schedule.js';
export { planRollout } from './plan.js';
export { bakeWaitSeconds, decideAlarmCheck, decideBake, decideDeploymentWait, decideRollback } from './decide.js';
export type { BakeVerdict, RollbackDecision, RollbackSubject } from './decide.js';
export {
  BAKE_WATCH_SECONDS,
  EVENTS_PER_RETRY,
  EVENTS_PER_STATE,
  HISTORY_EVENT_BUDGET,
  HISTORY_EVENT_LIMIT,
  MAX_RESUMES,
  RETRY_RESERVE,
  bakeChecks,
  worstCaseHistoryEvents,
} from './history.js';
export type { HistoryShape } from './history.js';
export { DEFAULT_APPROVAL_TIMEOUT_SECONDS, RETRY, rolloutDefinition } from './definition.js';
export type { RolloutDefinitionOptions } from './definition.js';
export { isRolloutExecutionOf, rolloutExecutionName, rolloutExecutionPrefix } from './execution-name.js';

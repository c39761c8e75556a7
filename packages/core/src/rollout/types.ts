import type { AlarmStateValue } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';

export const Approval = { None: 'none', Manual: 'manual' } as const;
export type Approval = (typeof Approval)[keyof typeof Approval];

/** What a rollout does when an alarm fails a bake: roll back at once, or wait for the operator. */
export const OnAlarm = { Rollback: 'rollback', Pause: 'pause' } as const;
export type OnAlarm = (typeof OnAlarm)[keyof typeof OnAlarm];

/** Where the step percentages came from. */
export const StepSchedule = { Steps: 'steps', Linear: 'linear', Exponential: 'exponential', Default: 'default' } as const;
export type StepSchedule = (typeof StepSchedule)[keyof typeof StepSchedule];

/** A rollout request with every default filled in and the step schedule resolved to percentages. */
export interface RolloutInput {
  cluster: string;
  service: string;
  from: string;
  to: string;
  /** Percentages of `from`'s share moved to `to`, strictly increasing, ending at 100. */
  steps: number[];
  schedule: StepSchedule;
  bakeSeconds: number;
  alarms: string[];
  approval: Approval;
  onAlarm: OnAlarm;
  dryRun: boolean;
  /** Seconds between two looks at the deployment. */
  pollSeconds: number;
  /** A deployment not COMPLETED after this long is a failure (rollback). */
  deploymentTimeoutSeconds: number;
}

export interface RolloutStep {
  /** 0-based. */
  index: number;
  percent: number;
  strategy: Strategy;
  /** Tasks per provider once the step's deployment is done, for the service's desiredCount. */
  expectedTasks: Record<string, number>;
}

/** Everything the state machine carries from step to step: computed once, at the start. */
export interface RolloutPlan {
  cluster: string;
  service: string;
  from: string;
  to: string;
  /** The strategy the rollout started from: what a rollback restores. */
  start: Strategy;
  desiredCount: number;
  /** The factor every weight was multiplied by (see `weightScale`). */
  weightScale: number;
  steps: RolloutStep[];
  /** The steps' percentages, for `States.ArrayGetItem` in the state machine. */
  percents: number[];
  stepCount: number;
  bakeSeconds: number;
  alarms: string[];
  approval: Approval;
  onAlarm: OnAlarm;
  dryRun: boolean;
  /** Why the rollout is a dry run when the request did not ask for one (policy dryRun, the kill switch). */
  dryRunReason?: string;
  pollSeconds: number;
  deploymentTimeoutSeconds: number;
}

/** One ECS deployment of a service, as DescribeServices reports it. */
export interface ServiceDeployment {
  id?: string;
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  status: string;
  /** IN_PROGRESS, COMPLETED or FAILED; absent on very old services. */
  rolloutState?: string;
  rolloutStateReason?: string;
  desiredCount?: number;
  runningCount?: number;
  failedTasks?: number;
}

export const DeploymentVerdict = { Done: 'done', Wait: 'wait', Failed: 'failed', Timeout: 'timeout' } as const;
export type DeploymentVerdict = (typeof DeploymentVerdict)[keyof typeof DeploymentVerdict];

/** One StateUpdate of an alarm, as DescribeAlarmHistory reports it. */
export interface AlarmTransition {
  alarmName: string;
  /** ISO 8601. */
  timestamp: string;
  newState: AlarmStateValue;
  oldState?: AlarmStateValue;
}

export type AlarmCheck = { ok: true } | { ok: false; alarms: string[]; reasons: string[] };

export const RolloutStatus = { Succeeded: 'SUCCEEDED', Failed: 'FAILED', Aborted: 'ABORTED' } as const;
export type RolloutStatus = (typeof RolloutStatus)[keyof typeof RolloutStatus];

/** A step that went through: applied, deployed and baked. */
export interface StepRecord {
  index: number;
  percent: number;
  strategy: Strategy;
  expectedTasks: Record<string, number>;
  /** RUNNING tasks per provider when the deployment was done, when the reader could tell. */
  runningTasks?: Record<string, number>;
  /** ISO time the step's bake passed. */
  completedAt?: string;
}

/** The outcome of one rollout, as `rebalancer simulate --json` reports it under `rollouts`. */
export interface RolloutSummary {
  cluster: string;
  service: string;
  status: RolloutStatus;
  steps: StepRecord[];
  /** Why it failed or was aborted; absent when it succeeded. */
  cause?: string;
}

/**
 * The error names a rollout execution ends with (the Lambda's errorType, SendTaskFailure's
 * error, the Fail states' Error): Step Functions Catch and the CLI match on them.
 */
export const RolloutErrorName = {
  /** A step failed (deployment FAILED or timed out, an alarm, an error): rolled back. */
  Failed: 'RolloutFailedError',
  /** The operator aborted: rolled back. */
  Aborted: 'RolloutAbortedError',
  /** The rollback itself did not complete: the service needs a human. */
  RollbackFailed: 'RolloutRollbackFailedError',
  /** The kill switch is paused (or dry-run): the rollout stopped and changed nothing more. */
  Paused: 'RolloutPausedError',
} as const;
export type RolloutErrorName = (typeof RolloutErrorName)[keyof typeof RolloutErrorName];

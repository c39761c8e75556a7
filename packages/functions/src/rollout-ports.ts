// The capabilities the rollout use-case needs, named for what they do; the adapters
// (ecs-rollout-*, cloudwatch-alarm-history-reader, sfn-rollout-*) implement them with the AWS SDK, the
// tests with fakes. Shared types (Clock, Log) come from ports.ts.
import type { AlarmStateValue, AlarmTransition, ClusterState, ServiceDeployment, ServiceState, Strategy } from '@ecs-rebalancer/core';

/** One service as a rollout sees it: its state for planning and its deployments for waiting. */
export interface RolloutService {
  cluster: Pick<ClusterState, 'cluster' | 'capacityProviders'>;
  service: ServiceState;
  /** The service's ARN (tags are written to it). */
  serviceArn: string;
  deployments: ServiceDeployment[];
}

/**
 * What a deployment watch and a rollback need of a service, from one DescribeServices call
 * (with tags): its strategy, deployments and the rebalancer's fallback record.
 */
export type RolloutDeployments = Pick<RolloutService, 'serviceArn' | 'deployments'> & Pick<ServiceState, 'strategy' | 'baseline' | 'fallbackSince'>;

export interface RolloutServiceReader {
  /** The service with its record and the cluster's attached providers (DescribeServices with tags, DescribeClusters). */
  read(cluster: string, service: string): Promise<RolloutService>;
  /** The service's strategy, deployments and fallback record (DescribeServices with tags only). */
  deployments(cluster: string, service: string): Promise<RolloutDeployments>;
}

/** Sets a strategy with forceNewDeployment; answers the id of the deployment it started. */
export interface RolloutStrategyWriter {
  apply(target: { cluster: string; service: string; serviceArn: string; strategy: Strategy }): Promise<{ deploymentId: string | undefined }>;
  /**
   * Makes `baseline` what the service's active fallback restores (a rollback during the
   * fallback: decideRollback's `baseline`), only while the record still holds the fallback
   * that began at `fallbackSince`; answers false when the record changed meanwhile (restored,
   * or another fallback) and nothing was written.
   */
  rebaseFallback(target: { cluster: string; service: string; serviceArn: string; baseline: Strategy; fallbackSince: string | null }): Promise<boolean>;
}

/** Counts a service's RUNNING tasks per capacity provider (ListTasks, DescribeTasks). */
export interface RolloutTaskCounter {
  runningByProvider(cluster: string, service: string): Promise<Record<string, number>>;
}

/** Reads alarm states now, and their StateUpdate history over a window. */
export interface RolloutAlarmReader {
  /** Unknown alarms are absent. */
  states(alarmNames: readonly string[]): Promise<Record<string, AlarmStateValue>>;
  history(alarmNames: readonly string[], since: Date, until: Date): Promise<AlarmTransition[]>;
}

export interface RunningExecution {
  executionArn: string;
  name: string;
}

/** The executions of the rollout state machine that are RUNNING (for the one-rollout-per-service rule). */
export interface RolloutExecutions {
  running(stateMachineArn: string): Promise<RunningExecution[]>;
  /** The execution's input (to tell which service an execution not named by us rolls out). */
  input(executionArn: string): Promise<unknown>;
}

/**
 * The kill switch as the rollout reads it: `active`, `paused` (no change of any kind) or
 * `dry-run` (plan only), with where it was read (for the reasons the rollout gives).
 */
export interface RolloutKillSwitch {
  mode(): Promise<{ mode: 'active' | 'paused' | 'dry-run'; source: string }>;
}

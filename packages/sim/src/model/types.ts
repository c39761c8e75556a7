import type { AlarmStateValue, DeploymentController, InstanceStatus, ProviderType, Strategy } from '@ecs-rebalancer/core';
import type { CancelTimer } from './clock.js';

export const TaskStatus = {
  Provisioning: 'PROVISIONING',
  Pending: 'PENDING',
  Running: 'RUNNING',
  Stopped: 'STOPPED',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/**
 * The size every simulated task reports (DescribeTasks, Task State Change). An EC2 slot of an
 * m7g.large (2 vCPU, 8 GiB, 4 slots); Fargate only accepts set pairs, of which 0.5 vCPU with
 * 1 GiB is one.
 */
export const TaskSize = {
  Ec2: { cpu: '512', memory: '1920' },
  Fargate: { cpu: '512', memory: '1024' },
} as const;

export interface SimTask {
  id: string;
  arn: string;
  cluster: string;
  /** Service name; undefined for a standalone task. */
  service?: string;
  deploymentId?: string;
  provider: string;
  /** Container instance id (EC2 providers) once placed. */
  instanceId?: string;
  availabilityZone?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  cancelStart?: CancelTimer;
}

/** A task's group as ECS reports it: `service:NAME` for a service task; standalone tasks here are all of family `standalone`. */
export function taskGroup(task: Pick<SimTask, 'service'>): string {
  return task.service ? `service:${task.service}` : 'family:standalone';
}

export interface SimInstance {
  id: string;
  arn: string;
  cluster: string;
  ec2InstanceId: string;
  provider: string | null;
  status: InstanceStatus;
  slots: number;
  instanceType: string;
  availabilityZone: string;
  registeredAt: number;
  agentConnected: boolean;
  /** Declared running tasks in the initial state, used once to lay the first tasks out. */
  declaredTasks?: number;
}

export const RolloutState = { InProgress: 'IN_PROGRESS', Completed: 'COMPLETED', Failed: 'FAILED' } as const;
export type RolloutState = (typeof RolloutState)[keyof typeof RolloutState];

export interface SimDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  strategy: Strategy;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  failedTasks: number;
}

export interface SimService {
  name: string;
  arn: string;
  cluster: string;
  desiredCount: number;
  strategy: Strategy;
  minimumHealthyPercent: number;
  maximumPercent: number;
  deploymentController: DeploymentController;
  /** Newest first; the first one is PRIMARY. INACTIVE deployments are dropped. */
  deployments: SimDeployment[];
  tags: Map<string, string>;
  createdAt: number;
  /** Providers for which a placement failure was reported and not yet cleared. */
  placementFailing: Set<string>;
}

export interface SimProvider {
  name: string;
  arn: string;
  type: ProviderType;
  /** ASG providers: the desired capacity of the group (instances alive plus launching). */
  desired: number;
  maxSize: number;
  launchDelaySeconds: number;
  slotsPerInstance: number | undefined;
  instanceType: string;
  availabilityZones: string[];
  /** False while the provider cannot get capacity (no Spot capacity, Fargate Spot exhausted). */
  capacityAvailable: boolean;
  /** Launches in flight (ASG providers). */
  launching: number;
  launchedTotal: number;
}

export interface SimCluster {
  name: string;
  arn: string;
  providers: string[];
  defaultStrategy: Strategy;
  providerState: Map<string, SimProvider>;
  services: Map<string, SimService>;
  instances: Map<string, SimInstance>;
  /** Every task, stopped ones included (DescribeTasks / ListTasks see them). */
  tasks: Map<string, SimTask>;
  /** Tasks not yet STOPPED: what the scheduler works on. */
  live: Map<string, SimTask>;
  tags: Map<string, string>;
}

/** One Spot interruption and what became of the instance. */
export interface InterruptionRecord {
  cluster: string;
  capacityProvider: string | null;
  ec2InstanceId: string;
  containerInstanceArn: string;
  eventId: string;
  warnedAt: string;
  terminatesAt: string;
  terminatedAt: string | null;
  /** When the instance went DRAINING, if it did before termination. */
  drainedAt: string | null;
  /** Seconds between the drain and the termination; null when it was never drained. */
  secondsBeforeTermination: number | null;
  tasksLost: number;
}

export interface DrainRecord {
  time: string;
  cluster: string;
  ec2InstanceId: string;
  containerInstanceArn: string;
  capacityProvider: string | null;
  /** Whether a Spot interruption warning was pending for the instance. */
  interrupted: boolean;
}

export interface StrategyChangeRecord {
  time: string;
  cluster: string;
  service: string;
  strategy: Strategy;
  deploymentId: string;
}

export interface DeploymentRecord {
  cluster: string;
  service: string;
  id: string;
  strategy: Strategy;
  startedAt: string;
  completedAt: string | null;
  rolloutState: RolloutState;
}

export interface PlacementFailureRecord {
  time: string;
  cluster: string;
  service: string;
  capacityProvider: string;
  reason: string;
  eventId: string;
}

export interface ScaleOutRecord {
  time: string;
  cluster: string;
  capacityProvider: string;
  /** Instances launched; they register `launchDelaySeconds` later. */
  launched: number;
  reason: 'scale-out' | 'replacement';
}

export interface RunningSample {
  /** Seconds since the simulation started. */
  t: number;
  time: string;
  /** RUNNING tasks per capacity provider (every provider attached to the cluster, 0 included). */
  byProvider: Record<string, number>;
}

export interface AlarmChangeRecord {
  time: string;
  alarmName: string;
  from: AlarmStateValue;
  to: AlarmStateValue;
}

/** Everything the scenario runner prints. */
export interface SimReport {
  start: string;
  end: string;
  elapsedSeconds: number;
  tasksLost: { total: number; byService: Record<string, number> };
  interruptions: InterruptionRecord[];
  /**
   * Fargate Spot tasks interrupted: the two-minute notice (`time`), when Fargate took the task
   * (`stoppedAt`, null while the notice runs), whether it was still RUNNING then (`lost`:
   * always, Fargate Spot has no drain), and the Task State Change event ids in order.
   */
  fargateSpotInterruptions: {
    time: string;
    cluster: string;
    taskArn: string;
    service: string | null;
    capacityProvider: string;
    stoppedAt: string | null;
    lost: boolean;
    eventIds: string[];
  }[];
  drains: DrainRecord[];
  strategyChanges: StrategyChangeRecord[];
  /** Final strategy of every service, keyed `cluster/service`. */
  strategies: Record<string, Strategy>;
  deployments: DeploymentRecord[];
  placementFailures: PlacementFailureRecord[];
  scaleOuts: ScaleOutRecord[];
  alarmChanges: AlarmChangeRecord[];
  apiCalls: Record<string, number>;
  throttled: number;
  throttledByAction: Record<string, number>;
  /** Running tasks per provider over virtual time, per cluster. */
  running: Record<string, RunningSample[]>;
  emittedEvents: number;
  decisionEvents: number;
}

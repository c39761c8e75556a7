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
  /** Cancels the PROVISIONING timeout once the task is placed. */
  cancelProvisioningTimeout?: CancelTimer;
}

export const Architecture = { X86_64: 'x86_64', Arm64: 'arm64' } as const;
export type Architecture = (typeof Architecture)[keyof typeof Architecture];

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
  /** CPU architecture: the provider's `architecture` when ClusterState gives it, else from the instance type. */
  architecture: Architecture;
  registeredAt: number;
  /** When EC2 launched the instance (the start of its managed-scaling warm-up). */
  launchedAt: number;
  agentConnected: boolean;
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
  /** Seconds from placement to RUNNING and healthy (image pull, start, health check). */
  startSeconds: number;
  /** CPU architectures the service's image runs on. */
  architectures: ReadonlySet<Architecture>;
  /** deploymentConfiguration.deploymentCircuitBreaker. */
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** Tasks not STOPPED (the scheduler's working set), kept by `tasks.ts`. */
  live: Set<SimTask>;
  /** Tasks placed and not STOPPED per Availability Zone (for ECS's AZ spread). */
  azCounts: Map<string, number>;
  /** Tasks RUNNING and meant to run (desiredStatus RUNNING): the service's runningCount, kept by `tasks.ts`. */
  running: number;
  /** Something the service scheduler looks at changed since it last ran for this service. */
  dirty: boolean;
}

/** ECS managed scaling of an ASG provider (API ManagedScaling; defaults as documented there). */
export interface ManagedScaling {
  enabled: boolean;
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  instanceWarmupPeriod: number;
}

export interface SimProvider {
  name: string;
  arn: string;
  type: ProviderType;
  /** ASG providers: the desired capacity of the group (instances alive plus launching). */
  desired: number;
  minSize: number;
  maxSize: number;
  /** The Auto Scaling group's name (DescribeCapacityProviders: autoScalingGroupProvider.autoScalingGroupArn). */
  autoScalingGroup: string;
  /** Seconds from the ASG's launch to the EC2 instance running (boot included). */
  launchDelaySeconds: number;
  /** Seconds from the instance running to the ECS agent registering the container instance. */
  registrationDelaySeconds: number;
  managedScaling: ManagedScaling;
  /** Managed instance draining: instances the ASG terminates (scale-in) are drained first. */
  managedDraining: boolean;
  /** Whether the group buys Spot (the launch-failure message differs). */
  spot: boolean;
  architecture: Architecture | undefined;
  /** Alive (not INACTIVE) container instances of the provider, kept by the model. */
  instances: Set<SimInstance>;
  /** ACTIVE instances with a free slot. */
  free: Set<SimInstance>;
  /** Since when CapacityProviderReservation has been below target (scale-in after 15 minutes). */
  lowSince: number | undefined;
  /** While the group cannot get capacity: when it tries the failed launch again (epoch ms). */
  nextLaunchAttempt: number | undefined;
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
  /** Tasks not STOPPED per container instance id. */
  onInstance: Map<string, Set<SimTask>>;
  /** Tasks waiting for capacity (desired RUNNING, PROVISIONING). */
  provisioning: Set<SimTask>;
  /** The same tasks by provider, each in the order it started waiting. */
  provisioningBy: Map<string, Set<SimTask>>;
  /** RUNNING tasks per provider. */
  running: Map<string, number>;
  /** Services with a placement failure reported and not yet cleared. */
  failingServices: Set<SimService>;
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
  /** Who set it DRAINING: an UpdateContainerInstancesState call, the ECS agent's Spot draining, or managed instance draining (scale-in). */
  by: 'api' | 'ecs-agent' | 'managed-draining';
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
  /** Instances launched; they register `launchDelaySeconds` + `registrationDelaySeconds` later. */
  launched: number;
  reason: 'scale-out' | 'replacement' | 'scale-in';
  /** For managed scaling: the CapacityProviderReservation that drove the step. */
  reservation?: number;
}

export interface LaunchFailureRecord {
  time: string;
  cluster: string;
  capacityProvider: string;
  autoScalingGroup: string;
  /** Instances the activity tried to launch. */
  instances: number;
  statusMessage: string;
  eventId: string;
}

export interface TaskFailureRecord {
  time: string;
  cluster: string;
  service: string | null;
  taskArn: string;
  stopCode: string;
  stoppedReason: string;
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
  /** ASG launches that failed (no capacity), each an `EC2 Instance Launch Unsuccessful` event. */
  launchFailures: LaunchFailureRecord[];
  /** Tasks that never became RUNNING: wrong CPU architecture, PROVISIONING timeout. */
  tasksFailedToStart: { total: number; byService: Record<string, number>; tasks: TaskFailureRecord[] };
  alarmChanges: AlarmChangeRecord[];
  apiCalls: Record<string, number>;
  throttled: number;
  throttledByAction: Record<string, number>;
  /** Running tasks per provider over virtual time, per cluster. */
  running: Record<string, RunningSample[]>;
  emittedEvents: number;
  decisionEvents: number;
}

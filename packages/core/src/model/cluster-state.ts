import type { Strategy } from './strategy.js';

export const ProviderType = {
  Ec2AutoScaling: 'EC2_AUTOSCALING',
  Fargate: 'FARGATE',
  FargateSpot: 'FARGATE_SPOT',
} as const;
export type ProviderType = (typeof ProviderType)[keyof typeof ProviderType];

export interface CapacityProviderState {
  name: string;
  /** EC2_AUTOSCALING for ASG providers; FARGATE / FARGATE_SPOT for the two Fargate providers. */
  type: ProviderType;
}

export const DeploymentController = { Ecs: 'ECS', CodeDeploy: 'CODE_DEPLOY', External: 'EXTERNAL' } as const;
export type DeploymentController = (typeof DeploymentController)[keyof typeof DeploymentController];

export interface ServiceState {
  name: string;
  desiredCount: number;
  runningCount: number;
  strategy: Strategy;
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Defaults to ECS when absent. */
  deploymentController?: DeploymentController;
  /** The strategy before an active fallback, kept by the adapters on the service (tag); null when none. */
  baseline: Strategy | null;
  /** ISO time the active fallback began; null when none. */
  fallbackSince: string | null;
  /**
   * The strategy the rebalancer last set on this service (kept beside the baseline), so the
   * tick can report drift when someone changed it by hand. Absent or null when unknown.
   */
  applied?: Strategy | null;
}

export const InstanceStatus = {
  Active: 'ACTIVE',
  Draining: 'DRAINING',
  Registering: 'REGISTERING',
  Deregistering: 'DEREGISTERING',
  RegistrationFailed: 'REGISTRATION_FAILED',
  Inactive: 'INACTIVE',
} as const;
export type InstanceStatus = (typeof InstanceStatus)[keyof typeof InstanceStatus];

export interface ContainerInstanceState {
  arn: string;
  ec2InstanceId: string;
  capacityProvider: string | null;
  status: InstanceStatus;
  runningTasks: number;
  availabilityZone?: string;
  instanceType?: string;
}

export const AlarmStateValue = { Ok: 'OK', Alarm: 'ALARM', InsufficientData: 'INSUFFICIENT_DATA' } as const;
export type AlarmStateValue = (typeof AlarmStateValue)[keyof typeof AlarmStateValue];

/**
 * What the core sees of one cluster. The loader may include only the container instances
 * a batch is about (plus enough of the rest for the draining guardrail: it includes every
 * instance of each provider it reports on).
 */
export interface ClusterState {
  cluster: string;
  capacityProviders: CapacityProviderState[];
  services: ServiceState[];
  containerInstances: ContainerInstanceState[];
  alarms: Record<string, AlarmStateValue>;
}

import type { ClusterState, ServiceState, Strategy } from '@ecs-rebalancer/core';
import type { BucketLimits, ThrottleBucket } from './throttle.js';

/** Per-provider settings that ClusterState does not carry (figures and sources: packages/sim/README.md). */
export interface ProviderOptions {
  /** Seconds from the ASG's launch to the EC2 instance running, boot included. Default 60. */
  launchDelaySeconds?: number;
  /** Seconds from the instance running to its container instance registering (ECS agent start). Default 30. */
  registrationDelaySeconds?: number;
  /** ASG maximum size. Default: twice the initial instance count, at least 10. */
  maxSize?: number;
  /** ASG minimum size (scale-in stops there). Default 0. */
  minSize?: number;
  /**
   * ECS managed scaling (API ManagedScaling): false turns it off (the group then only replaces
   * terminated instances). Defaults: targetCapacity 100, minimumScalingStepSize 1,
   * maximumScalingStepSize 10000, instanceWarmupPeriod 300.
   */
  managedScaling?:
    | false
    | { targetCapacity?: number; minimumScalingStepSize?: number; maximumScalingStepSize?: number; instanceWarmupPeriod?: number };
  /** Managed instance draining (drain before the ASG terminates an instance on scale-in). Default true. */
  managedDraining?: boolean;
  /** The Auto Scaling group's name. Default: ClusterState's `autoScalingGroup`, else `<provider>-asg`. */
  autoScalingGroup?: string;
  /** Whether the group launches Spot instances. Default: the provider's name contains "spot". */
  spot?: boolean;
  /** Task slots per instance; default derived from the instance type (2 per vCPU, else 4). */
  slotsPerInstance?: number;
  /** Instance type of launched instances; default the first initial instance's type, else m5.large. */
  instanceType?: string;
  availabilityZones?: string[];
  /** Start without capacity (e.g. no Spot capacity in the pools). Default true. */
  capacityAvailable?: boolean;
}

/** What ClusterState does not say about a service (scenario `services`, keyed `cluster/service`). */
export interface ServiceOptions {
  /** Seconds from placement to RUNNING and healthy: image pull, start, health check. Default `taskStartDelaySeconds`. */
  startSeconds?: number;
  /** CPU architectures the image has. Default both. */
  architectures?: ('x86_64' | 'arm64')[];
  /** deploymentConfiguration.deploymentCircuitBreaker. Default off. */
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
}

/** Standalone tasks (RunTask) present at the start: draining leaves them alone; they die with their instance. */
export interface StandaloneTasks {
  cluster: string;
  capacityProvider: string;
  count: number;
}

export interface SimulationOptions {
  /** Initial state, one entry per cluster (the ClusterState contract, as in a `--cluster` file). */
  clusters: ClusterState[];
  /** Virtual start time (ISO 8601). Default 2025-01-01T00:00:00Z. */
  start?: string;
  /** Seed of the PRNG that picks interrupted instances and mints ids. Default 1. */
  seed?: number;
  region?: string;
  accountId?: string;
  /** Keyed by provider name, or `cluster/provider` to target one cluster. */
  providers?: Record<string, ProviderOptions>;
  /** Slots for instance types the simulator cannot size. Default 4. */
  defaultSlotsPerInstance?: number;
  /** Seconds a placed task stays PENDING before it is RUNNING, for services without `startSeconds`. Default 30. */
  taskStartDelaySeconds?: number;
  /** Per-service settings keyed `cluster/service`. */
  services?: Record<string, ServiceOptions>;
  standaloneTasks?: StandaloneTasks[];
  /** Seconds a task may wait in PROVISIONING for capacity before ECS stops it. Default 1800. */
  provisioningTimeoutSeconds?: number;
  /**
   * The ECS agent's Spot draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING=true on every instance):
   * the agent sets its instance DRAINING `delaySeconds` after the interruption notice.
   * Default off, as the agent's default.
   */
  agentSpotDraining?: boolean | { delaySeconds?: number };
  /** Seconds between a Spot interruption warning and the termination. Default 120 (EC2's two minutes). */
  spotWarningSeconds?: number;
  /**
   * The clock the throttle buckets refill on, in ms. Default: the virtual clock. The scenario
   * runner adds the real time spent inside handler invocations, during which virtual time
   * stands still but the SDK's retries wait real time.
   */
  throttleClock?: (virtualNow: number) => number;
  /** false disables ECS throttling; an object overrides bucket limits. Default: ECS's buckets. */
  throttling?: boolean | Partial<Record<ThrottleBucket, BucketLimits>>;
  /** Tags each service starts with (e.g. the adapters' encoding of `baseline` / `fallbackSince`). */
  serviceTags?: (cluster: string, service: ServiceState) => Record<string, string> | undefined;
}

/** What PutEvents received, one record per accepted entry. */
export interface PutEventRecord {
  eventId: string;
  time: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources: string[];
  eventBusName: string;
}

export interface ServiceUpdate {
  desiredCount?: number;
  capacityProviderStrategy?: Strategy;
  forceNewDeployment?: boolean;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
}

export interface InstanceStateFailure {
  arn: string;
  reason: string;
  detail?: string;
}

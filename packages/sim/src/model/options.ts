import type { ClusterState, ServiceState, Strategy } from '@ecs-rebalancer/core';
import type { BucketLimits, ThrottleBucket } from './throttle.js';

/** Per-provider settings that ClusterState does not carry. */
export interface ProviderOptions {
  /** Seconds from an ASG launch to the container instance registering. Default 120. */
  launchDelaySeconds?: number;
  /** ASG maximum size. Default: twice the initial instance count, at least 10. */
  maxSize?: number;
  /** Task slots per instance; default derived from the instance type (2 per vCPU, else 4). */
  slotsPerInstance?: number;
  /** Instance type of launched instances; default the first initial instance's type, else m5.large. */
  instanceType?: string;
  availabilityZones?: string[];
  /** Start without capacity (e.g. no Spot capacity in the pools). Default true. */
  capacityAvailable?: boolean;
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
  /** Seconds a placed task stays PENDING before it is RUNNING. Default 30. */
  taskStartDelaySeconds?: number;
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

import type * as z from 'zod/mini';
import type {
  alarmStateValueSchema,
  capacityOptionTypeSchema,
  capacityProviderStateSchema,
  clusterStateSchema,
  containerInstanceStateSchema,
  cpuArchitectureSchema,
  deploymentControllerSchema,
  fallbackPhaseSchema,
  instanceStatusSchema,
  providerTypeSchema,
  serviceStateSchema,
} from './cluster-state-schema.js';

// The types are derived from the schemas in cluster-state-schema.ts (z.output: defaults
// filled in); the `as const` objects name their values for code that branches on them.

export const ProviderType = {
  Ec2AutoScaling: 'EC2_AUTOSCALING',
  Fargate: 'FARGATE',
  FargateSpot: 'FARGATE_SPOT',
  ManagedInstances: 'MANAGED_INSTANCES',
} as const satisfies Record<string, z.output<typeof providerTypeSchema>>;
export type ProviderType = z.output<typeof providerTypeSchema>;

export const CpuArchitecture = { X86_64: 'x86_64', Arm64: 'arm64' } as const satisfies Record<string, z.output<typeof cpuArchitectureSchema>>;
export type CpuArchitecture = z.output<typeof cpuArchitectureSchema>;

export const CapacityOptionType = { OnDemand: 'ON_DEMAND', Spot: 'SPOT', Reserved: 'RESERVED' } as const satisfies Record<
  string,
  z.output<typeof capacityOptionTypeSchema>
>;
export type CapacityOptionType = z.output<typeof capacityOptionTypeSchema>;

export const DeploymentController = { Ecs: 'ECS', CodeDeploy: 'CODE_DEPLOY', External: 'EXTERNAL' } as const satisfies Record<
  string,
  z.output<typeof deploymentControllerSchema>
>;
export type DeploymentController = z.output<typeof deploymentControllerSchema>;

/** The step a fallback record is in (services[].fallbackPhase), written by the adapters. */
export const FallbackPhase = { FallingBack: 'falling-back', Active: 'active', Restoring: 'restoring' } as const satisfies Record<
  string,
  z.output<typeof fallbackPhaseSchema>
>;
export type FallbackPhase = z.output<typeof fallbackPhaseSchema>;

export const InstanceStatus = {
  Active: 'ACTIVE',
  Draining: 'DRAINING',
  Registering: 'REGISTERING',
  Deregistering: 'DEREGISTERING',
  RegistrationFailed: 'REGISTRATION_FAILED',
  Inactive: 'INACTIVE',
} as const satisfies Record<string, z.output<typeof instanceStatusSchema>>;
export type InstanceStatus = z.output<typeof instanceStatusSchema>;

export const AlarmStateValue = { Ok: 'OK', Alarm: 'ALARM', InsufficientData: 'INSUFFICIENT_DATA' } as const satisfies Record<
  string,
  z.output<typeof alarmStateValueSchema>
>;
export type AlarmStateValue = z.output<typeof alarmStateValueSchema>;

export type CapacityProviderState = z.output<typeof capacityProviderStateSchema>;
export type ServiceState = z.output<typeof serviceStateSchema>;
export type ContainerInstanceState = z.output<typeof containerInstanceStateSchema>;

/**
 * What the core sees of one cluster. The loader may include only the container instances
 * a batch is about (plus enough of the rest for the draining guardrail: it includes every
 * instance of each provider it reports on).
 */
export type ClusterState = z.output<typeof clusterStateSchema>;

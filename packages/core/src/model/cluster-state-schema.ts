import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';
import type { Problem } from '../errors.js';
import { strategyProblems } from '../strategy/validate.js';
import { safeParseEnglish, zodProblems } from '../zod-problems.js';

// The ClusterState contract of DESIGN.md as a schema; the TypeScript types in cluster-state.ts
// are derived from it, so the two cannot drift apart.

const nonNegativeInt = z.number().check(z.int(), z.gte(0));
const nonEmpty = z.string().check(z.minLength(1));
/** ISO 8601 with a real calendar date and time and an offset in range (zod checks both). */
const isoTime = z.iso.datetime({ offset: true });

export const strategyItemSchema = z.strictObject({
  capacityProvider: nonEmpty,
  base: z._default(nonNegativeInt, 0),
  weight: z._default(nonNegativeInt, 0),
});
export const strategySchema = z.array(strategyItemSchema);

export const cpuArchitectureSchema = z.enum(['x86_64', 'arm64']);
export const providerTypeSchema = z.enum(['EC2_AUTOSCALING', 'FARGATE', 'FARGATE_SPOT', 'MANAGED_INSTANCES']);
export const capacityOptionTypeSchema = z.enum(['ON_DEMAND', 'SPOT', 'RESERVED']);
export const deploymentControllerSchema = z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);
export const fallbackPhaseSchema = z.enum(['falling-back', 'active', 'restoring']);
export const instanceStatusSchema = z.enum(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE']);
export const alarmStateValueSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

export const capacityProviderStateSchema = z.strictObject({
  name: nonEmpty,
  /** EC2_AUTOSCALING for Auto Scaling group providers, MANAGED_INSTANCES for ECS Managed Instances, FARGATE / FARGATE_SPOT. */
  type: providerTypeSchema,
  /** The CPU architecture of the provider's instances (their `ecs.cpu-architecture` attribute or its launch configuration). */
  architecture: z.optional(cpuArchitectureSchema),
  /** The Auto Scaling group's name (the last part of its ARN), from DescribeCapacityProviders. */
  autoScalingGroup: z.optional(nonEmpty),
  /** For MANAGED_INSTANCES providers: ON_DEMAND, SPOT or RESERVED. */
  capacityOptionType: z.optional(capacityOptionTypeSchema),
});

export const serviceStateSchema = z.strictObject({
  name: nonEmpty,
  desiredCount: nonNegativeInt,
  runningCount: nonNegativeInt,
  strategy: strategySchema,
  minimumHealthyPercent: z._default(nonNegativeInt, 100),
  maximumPercent: z._default(nonNegativeInt, 200),
  /** Absent means ECS (the default controller). */
  deploymentController: z.optional(deploymentControllerSchema),
  /** The strategy before an active fallback, kept by the adapters on the service (tag); null when none. */
  baseline: z._default(z.nullable(strategySchema), null),
  /** ISO time the active fallback began; null when none. */
  fallbackSince: z._default(z.nullable(isoTime), null),
  /**
   * The strategy the rebalancer last set on this service (kept beside the baseline), so the
   * tick can report drift when someone changed it by hand. Absent or null when unknown.
   */
  applied: z.optional(z.nullable(strategySchema)),
  /**
   * Which step of a strategy change the record is in, kept with it by the adapters:
   * `falling-back` (record written, fallback strategy not confirmed), `active` (the fallback
   * strategy is in place), `restoring` (the restore's UpdateService was sent, the record not
   * yet cleared). Absent for records written before phases existed.
   */
  fallbackPhase: z.optional(z.nullable(fallbackPhaseSchema)),
  /** The CPU architectures the service is known to run on (task definition runtimePlatform, or where its tasks run now). */
  cpuArchitectures: z.optional(z.array(cpuArchitectureSchema)),
  /** ISO time of the service's last restore, or null. An ALARM older than it is stale. */
  lastRestoredAt: z.optional(z.nullable(isoTime)),
  /** ISO start times of the service's fallbacks in the last hour: each doubles minSeconds (cap 8×). */
  recentFallbacks: z.optional(z.array(isoTime)),
});

export const containerInstanceStateSchema = z.strictObject({
  arn: nonEmpty,
  // Looser than an event's id (events/validate.ts: i- and 8 or 17 hex digits): a hand-written
  // ClusterState, a scenario or a test may shorten it (`i-spot1`), and no AWS call is made with it.
  ec2InstanceId: z.string().check(z.regex(/^i-[0-9a-zA-Z]+$/, 'expected an EC2 instance id (i-…)')),
  capacityProvider: z.nullable(nonEmpty),
  status: instanceStatusSchema,
  runningTasks: z._default(nonNegativeInt, 0),
  availabilityZone: z.optional(z.string()),
  instanceType: z.optional(z.string()),
  /** The services with tasks on this instance, when known: the minimumHealthyPercent warning names only those. */
  services: z.optional(z.array(nonEmpty)),
});

export const clusterStateSchema = z.strictObject({
  cluster: nonEmpty,
  capacityProviders: z.array(capacityProviderStateSchema),
  services: z._default(z.array(serviceStateSchema), []),
  containerInstances: z._default(z.array(containerInstanceStateSchema), []),
  alarms: z._default(z.record(z.string(), alarmStateValueSchema), {}),
  /** CloudWatch's StateTransitionedTimestamp of each alarm's state in `alarms` (ISO). */
  alarmsChangedAt: z.optional(z.record(z.string(), isoTime)),
});

/**
 * Validates one ClusterState (the DESIGN.md contract: the simulator's initial state and the
 * CLI's `--cluster` file) and fills in the documented defaults (`baseline` and `fallbackSince`
 * null, minimumHealthyPercent 100, maximumPercent 200). Beyond the shape it checks what ECS
 * would refuse: a container instance on a provider not attached to the cluster, and a
 * service strategy that breaks ECS's rules (an empty strategy is a service on its launch type
 * or the cluster default, and is accepted). Throws a ValidationError naming each problem's path.
 */
export function parseClusterState(input: unknown): z.output<typeof clusterStateSchema> {
  const result = safeParseEnglish(clusterStateSchema, input);
  if (!result.success) throw new ValidationError('invalid cluster state', zodProblems(result.error));
  const state = result.data;
  const problems = clusterStateProblems(state);
  if (problems.length > 0) throw new ValidationError('invalid cluster state', problems);
  return state;
}

/** The problems ECS would have with a schema-valid ClusterState, each with its path. */
export function clusterStateProblems(state: z.output<typeof clusterStateSchema>): Problem[] {
  const providers = new Set(state.capacityProviders.map((p) => p.name));
  const problems: Problem[] = [];
  state.capacityProviders.forEach((p, i) => {
    if (state.capacityProviders.findIndex((q) => q.name === p.name) !== i) problems.push({ path: `capacityProviders[${i}].name`, message: `"${p.name}" appears twice` });
  });
  state.containerInstances.forEach((ci, i) => {
    if (ci.capacityProvider !== null && !providers.has(ci.capacityProvider)) {
      problems.push({ path: `containerInstances[${i}].capacityProvider`, message: `"${ci.capacityProvider}" is not attached to the cluster` });
    }
  });
  state.services.forEach((s, i) => {
    if (s.strategy.length === 0) return;
    for (const message of strategyProblems(s.strategy, state.capacityProviders)) {
      problems.push({ path: `services[${i}].strategy`, message: `ECS would refuse it: ${message}` });
    }
  });
  return problems;
}

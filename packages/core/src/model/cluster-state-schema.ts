import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { zodProblems } from '../zod-problems.js';
import type { ClusterState } from './cluster-state.js';

const nonNegativeInt = z.number().int().min(0);
const strategyItem = z.strictObject({ capacityProvider: z.string().min(1), base: nonNegativeInt.default(0), weight: nonNegativeInt.default(0) });
const strategy = z.array(strategyItem);

const service = z.strictObject({
  name: z.string().min(1),
  desiredCount: nonNegativeInt,
  runningCount: nonNegativeInt,
  strategy,
  minimumHealthyPercent: nonNegativeInt.default(100),
  maximumPercent: nonNegativeInt.default(200),
  deploymentController: z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']).default('ECS'),
  baseline: strategy.nullable().default(null),
  fallbackSince: z.iso.datetime({ offset: true }).nullable().default(null),
  applied: strategy.nullable().optional(),
});

const containerInstance = z.strictObject({
  arn: z.string().min(1),
  ec2InstanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/, 'expected an EC2 instance id (i-…)'),
  capacityProvider: z.string().min(1).nullable(),
  status: z.enum(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE']),
  runningTasks: nonNegativeInt.default(0),
  availabilityZone: z.string().optional(),
  instanceType: z.string().optional(),
});

export const clusterStateSchema = z.strictObject({
  cluster: z.string().min(1),
  capacityProviders: z.array(
    z.strictObject({ name: z.string().min(1), type: z.enum(['EC2_AUTOSCALING', 'FARGATE', 'FARGATE_SPOT']) }),
  ),
  services: z.array(service).default([]),
  containerInstances: z.array(containerInstance).default([]),
  alarms: z.record(z.string(), z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA'])).default({}),
});

/**
 * Validates one ClusterState (the DESIGN.md contract: the simulator's initial state and the
 * CLI's `--cluster` file) and fills in the documented defaults (`deploymentController` ECS,
 * `baseline` and `fallbackSince` null). Throws a ValidationError naming each problem's path.
 */
export function parseClusterState(input: unknown): ClusterState {
  const result = clusterStateSchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'invalid cluster state',
      zodProblems(result.error),
    );
  }
  const state = result.data as ClusterState;
  const providers = new Set(state.capacityProviders.map((p) => p.name));
  const problems = state.containerInstances.flatMap((ci, i) =>
    ci.capacityProvider !== null && !providers.has(ci.capacityProvider)
      ? [{ path: `containerInstances[${i}].capacityProvider`, message: `"${ci.capacityProvider}" is not attached to the cluster` }]
      : [],
  );
  if (problems.length > 0) throw new ValidationError('invalid cluster state', problems);
  return state;
}

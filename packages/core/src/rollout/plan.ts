import { RolloutInputError } from '../errors.js';
import type { ClusterState, ServiceState } from '../model/cluster-state.js';
import { expectedTaskSplit, stepStrategy, weightScale } from '../strategy/step.js';
import { strategyProblems } from '../strategy/validate.js';
import type { RolloutInput, RolloutPlan, RolloutStep } from './types.js';

/**
 * Plans a rollout of one service from `input.from` to `input.to`: every step's strategy
 * (`stepStrategy` with one `weightScale` for the whole schedule, so other providers keep
 * their share) and the task split expected at each step for the service's desiredCount. It
 * refuses, with a RolloutInputError naming the input field, a service that is not ECS-
 * controlled (ECS refuses a strategy change or forced deployment under CODE_DEPLOY or
 * EXTERNAL), that has an active fallback (its restore would undo the rollout), providers that
 * are not attached to the cluster, a `from` that is not in the service's strategy or holds
 * nothing there, and any step whose strategy ECS would reject (Fargate mixed with Auto
 * Scaling group providers, more than 20 providers).
 */
export function planRollout(
  input: RolloutInput,
  service: ServiceState,
  cluster: Pick<ClusterState, 'cluster' | 'capacityProviders'>,
): RolloutPlan {
  const where = `${cluster.cluster}/${service.name}`;
  const controller = service.deploymentController ?? 'ECS';
  if (controller !== 'ECS') {
    throw new RolloutInputError(
      'service',
      `${where} uses the ${controller} deployment controller: ECS refuses a capacity provider strategy change with forceNewDeployment for it`,
    );
  }
  if (service.baseline) {
    throw new RolloutInputError('service', `${where} has an active Spot fallback (since ${service.fallbackSince ?? 'unknown'}): wait for its restore before a rollout`);
  }
  const attached = new Set(cluster.capacityProviders.map((p) => p.name));
  for (const key of ['from', 'to'] as const) {
    if (!attached.has(input[key])) throw new RolloutInputError(key, `capacity provider ${input[key]} is not attached to cluster ${cluster.cluster}`);
  }
  const start = service.strategy.map((i) => ({ ...i }));
  const fromItem = start.find((i) => i.capacityProvider === input.from);
  if (!fromItem) {
    const names = start.map((i) => i.capacityProvider).join(', ') || 'none: the service uses a launch type or the cluster default';
    throw new RolloutInputError('from', `${input.from} is not in the strategy of ${where} (providers: ${names})`);
  }
  if (fromItem.base === 0 && fromItem.weight === 0) {
    throw new RolloutInputError('from', `${input.from} has base 0 and weight 0 in ${where}: there is nothing to move`);
  }

  const scale = weightScale(start, input.from, input.to, input.steps);
  const steps = input.steps.map((percent, index): RolloutStep => {
    const strategy = stepStrategy(start, input.from, input.to, percent, scale);
    const problems = strategyProblems(strategy, cluster.capacityProviders);
    if (problems.length > 0) throw new RolloutInputError(`steps[${index}]`, `the ${percent}% strategy would be rejected by ECS: ${problems.join('; ')}`);
    return { index, percent, strategy, expectedTasks: expectedTaskSplit(strategy, service.desiredCount) };
  });

  return {
    cluster: cluster.cluster,
    service: service.name,
    from: input.from,
    to: input.to,
    start,
    desiredCount: service.desiredCount,
    weightScale: scale,
    steps,
    percents: steps.map((s) => s.percent),
    stepCount: steps.length,
    bakeSeconds: input.bakeSeconds,
    alarms: [...input.alarms],
    approval: input.approval,
    onAlarm: input.onAlarm,
    dryRun: input.dryRun,
    pollSeconds: input.pollSeconds,
    deploymentTimeoutSeconds: input.deploymentTimeoutSeconds,
  };
}

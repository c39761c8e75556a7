import type { Strategy } from '@ecs-rebalancer/core';

/** The two providers AWS manages for Fargate; every other provider is backed by an Auto Scaling group. */
export const FARGATE_PROVIDER_NAMES: ReadonlySet<string> = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * The first ECS rule a capacity provider strategy breaks, worded as ECS's
 * InvalidParameterException, or undefined when ECS would accept it. Written apart from the
 * core's validation on purpose: the simulator must catch the core's mistakes, not repeat them.
 * Rules (CapacityProviderStrategyItem, UpdateService): base 0–100000, weight 0–1000, at most
 * one base > 0, at least one weight > 0, at most 20 items, each provider once and attached to
 * the cluster, Auto Scaling group providers never mixed with Fargate providers.
 */
export function strategyRejection(strategy: Strategy, attached: readonly string[]): string | undefined {
  if (strategy.length > 20) return 'The capacity provider strategy can contain a maximum of 20 capacity providers.';
  const names = new Set<string>();
  let withBase = 0;
  let weighted = 0;
  for (const item of strategy) {
    if (typeof item.capacityProvider !== 'string' || item.capacityProvider === '') {
      return 'capacityProvider can not be empty.';
    }
    if (names.has(item.capacityProvider)) {
      return `The capacity provider strategy contains a duplicate capacity provider: ${item.capacityProvider}.`;
    }
    names.add(item.capacityProvider);
    if (!Number.isInteger(item.base) || item.base < 0 || item.base > 100_000) {
      return `The base value for capacity provider ${item.capacityProvider} must be between 0 and 100000.`;
    }
    if (!Number.isInteger(item.weight) || item.weight < 0 || item.weight > 1000) {
      return `The weight value for capacity provider ${item.capacityProvider} must be between 0 and 1000.`;
    }
    if (item.base > 0) withBase += 1;
    if (item.weight > 0) weighted += 1;
    if (!attached.includes(item.capacityProvider)) {
      return `The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. (${item.capacityProvider})`;
    }
  }
  if (strategy.length > 0 && withBase > 1) {
    return 'A capacity provider strategy can have only one capacity provider with a base value greater than zero.';
  }
  if (strategy.length > 0 && weighted === 0) {
    return 'A capacity provider strategy must have at least one capacity provider with a weight value greater than zero.';
  }
  const fargate = [...names].filter((n) => FARGATE_PROVIDER_NAMES.has(n)).length;
  if (fargate > 0 && fargate < names.size) {
    return 'The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.';
  }
  return undefined;
}

/** True when two strategies hold the same items, whatever their order. */
export function strategiesEqual(a: Strategy, b: Strategy): boolean {
  if (a.length !== b.length) return false;
  const key = (s: Strategy) =>
    s
      .map((i) => `${i.capacityProvider}\u0000${i.base}\u0000${i.weight}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
}

import type { ClusterState } from '../model/cluster-state.js';
import type { Strategy, StrategyItem } from '../model/strategy.js';
import type { ClusterPolicy } from '../policy/schema.js';
import { MAX_STRATEGY_ITEMS, MAX_WEIGHT } from './validate.js';

/** FARGATE_SPOT is the one provider ECS itself knows to be Spot. */
const FARGATE_SPOT = 'FARGATE_SPOT';

/**
 * True when a capacity provider runs on Spot capacity. ECS does not record this for Auto
 * Scaling group providers, so the operator's `providers` map says so; FARGATE_SPOT is Spot
 * whether listed or not, and so is any provider the cluster state reports with the
 * FARGATE_SPOT type, or as an ECS Managed Instances provider whose capacityOptionType is SPOT.
 * The name is looked up as an own key only (`constructor` is a provider name like any).
 */
export function isSpotProvider(
  name: string,
  clusterPolicy: Pick<ClusterPolicy, 'providers'>,
  clusterState?: Pick<ClusterState, 'capacityProviders'>,
): boolean {
  if (Object.hasOwn(clusterPolicy.providers, name) && clusterPolicy.providers[name] === 'spot') return true;
  if (name === FARGATE_SPOT) return true;
  return (
    clusterState?.capacityProviders.some(
      (p) => p.name === name && (p.type === FARGATE_SPOT || (p.type === 'MANAGED_INSTANCES' && p.capacityOptionType === 'SPOT')),
    ) ?? false
  );
}

/** Where a Spot provider's weight goes: one target for all, or a target per Spot provider (undefined: it stays). */
export type FallbackTargets = string | ((spotProvider: string) => string | undefined);

/**
 * The strategy that keeps a service off Spot: every Spot provider's weight moves onto its
 * target (appended with base 0 when absent) and the moved Spot providers stay in the
 * strategy at weight 0, so the baseline and the fallback name the same providers. `to` is
 * one target for every Spot provider, or a function giving each Spot provider's target; a
 * Spot provider it gives no target for keeps its weight and base (the caller refused that
 * move, for example for its CPU architecture). Bases stay where they are unless a moved Spot
 * provider holds one: then that base moves to its target. When the weight gathered on a
 * target would pass ECS's maximum of 1000, every weight is scaled so that the largest holds
 * 1000, keeping the ratios (rounded to integers; a weight that was > 0 stays ≥ 1 so no
 * provider silently drops out of placement). When new targets would take the strategy past
 * ECS's maximum of 20 items, the last moved Spot items (now base 0, weight 0) make room. A
 * target is never treated as Spot. With nothing to move the strategy comes back unchanged;
 * the input is not modified.
 */
export function fallbackStrategy(strategy: Strategy, isSpot: (provider: string) => boolean, to: FallbackTargets): Strategy {
  const targetOf = typeof to === 'string' ? (): string => to : to;
  const targets = new Set(strategy.flatMap((item) => (isSpot(item.capacityProvider) ? [targetOf(item.capacityProvider)] : [])).filter((t) => t !== undefined));
  const moves = (item: StrategyItem): string | undefined => {
    if (targets.has(item.capacityProvider) || !isSpot(item.capacityProvider)) return undefined;
    return targetOf(item.capacityProvider);
  };
  if (!strategy.some((item) => moves(item) !== undefined && (item.weight > 0 || item.base > 0))) return strategy.map((item) => ({ ...item }));

  const result: Strategy = strategy.map((item) => ({ ...item }));
  const moved: StrategyItem[] = [];
  for (const item of strategy) {
    const target = moves(item);
    if (target === undefined) continue;
    let into = result.find((r) => r.capacityProvider === target);
    if (!into) {
      into = { capacityProvider: target, base: 0, weight: 0 };
      result.push(into);
    }
    const from = result.find((r) => r.capacityProvider === item.capacityProvider) as StrategyItem;
    into.base += from.base;
    into.weight += from.weight;
    from.base = 0;
    from.weight = 0;
    moved.push(from);
  }
  // ECS takes at most 20 items; a moved Spot item at base 0 / weight 0 places nothing, so the
  // last ones make room for new targets rather than the result becoming invalid.
  while (result.length > MAX_STRATEGY_ITEMS && moved.length > 0) result.splice(result.indexOf(moved.pop() as StrategyItem), 1);
  const largest = Math.max(...result.map((item) => item.weight));
  return largest > MAX_WEIGHT ? scaleWeights(result, largest) : result;
}

/** Scales weights so that the largest, `largest`, becomes MAX_WEIGHT; weights > 0 stay ≥ 1. */
function scaleWeights(strategy: Strategy, largest: number): Strategy {
  return strategy.map((item) => ({
    ...item,
    weight: item.weight === 0 ? 0 : Math.max(1, Math.min(MAX_WEIGHT, Math.round((item.weight * MAX_WEIGHT) / largest))),
  }));
}

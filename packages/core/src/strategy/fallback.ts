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
 * FARGATE_SPOT type.
 */
export function isSpotProvider(
  name: string,
  clusterPolicy: Pick<ClusterPolicy, 'providers'>,
  clusterState?: Pick<ClusterState, 'capacityProviders'>,
): boolean {
  if (clusterPolicy.providers[name] === 'spot') return true;
  if (name === FARGATE_SPOT) return true;
  return clusterState?.capacityProviders.some((p) => p.name === name && p.type === FARGATE_SPOT) ?? false;
}

/**
 * The strategy that keeps a service off Spot: every Spot provider's weight moves onto `to`
 * (appended with base 0 when absent) and the Spot providers stay in the strategy at weight 0,
 * so the baseline and the fallback name the same providers. Bases stay where they are unless
 * a Spot provider holds one: then that base moves to `to`. When the weight gathered on `to`
 * would pass ECS's maximum of 1000, every weight is scaled so that `to` holds 1000, keeping
 * the ratios (rounded to integers; a weight that was > 0 stays ≥ 1 so no provider silently
 * drops out of placement). When `to` is new and the strategy already holds ECS's maximum of
 * 20 items, the last Spot item (now base 0, weight 0) makes room for it. `to` is never
 * treated as Spot. With nothing to move the strategy comes back unchanged; the input is not
 * modified.
 */
export function fallbackStrategy(strategy: Strategy, isSpot: (provider: string) => boolean, to: string): Strategy {
  const spot = (item: StrategyItem): boolean => item.capacityProvider !== to && isSpot(item.capacityProvider);
  const movedWeight = strategy.filter(spot).reduce((sum, item) => sum + item.weight, 0);
  const movedBase = strategy.filter(spot).reduce((sum, item) => sum + item.base, 0);
  if (movedWeight === 0 && movedBase === 0) return strategy.map((item) => ({ ...item }));

  const result: Strategy = strategy.map((item) => (spot(item) ? { capacityProvider: item.capacityProvider, base: 0, weight: 0 } : { ...item }));
  let target = result.find((item) => item.capacityProvider === to);
  if (!target) {
    target = { capacityProvider: to, base: 0, weight: 0 };
    result.push(target);
    // ECS takes at most 20 items; a Spot item now at base 0 / weight 0 places nothing, so the
    // last one makes room for `to` rather than the result becoming invalid.
    if (result.length > MAX_STRATEGY_ITEMS) {
      const last = result.findLastIndex((item) => spot(item));
      result.splice(last, 1);
    }
  }
  target.base += movedBase;
  target.weight += movedWeight;
  return target.weight > MAX_WEIGHT ? scaleWeights(result, target.weight) : result;
}

/** Scales weights so that the largest, `largest`, becomes MAX_WEIGHT; weights > 0 stay ≥ 1. */
function scaleWeights(strategy: Strategy, largest: number): Strategy {
  return strategy.map((item) => ({
    ...item,
    weight: item.weight === 0 ? 0 : Math.max(1, Math.min(MAX_WEIGHT, Math.round((item.weight * MAX_WEIGHT) / largest))),
  }));
}

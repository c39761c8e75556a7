import type { CapacityProviderState } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';

export const MAX_BASE = 100_000;
export const MAX_WEIGHT = 1_000;
export const MAX_STRATEGY_ITEMS = 20;
const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * Lists every ECS rule a capacity provider strategy breaks (empty when ECS would accept it).
 * The rules, from the CapacityProviderStrategyItem reference: base 0–100000 and weight
 * 0–1000 as integers; at most one item with base > 0; at least one weight > 0; at most 20
 * items; no provider twice; Auto Scaling group providers and Fargate providers never mixed.
 * When the cluster's providers are given, every provider must be attached to it.
 */
export function strategyProblems(strategy: Strategy, providers?: readonly CapacityProviderState[]): string[] {
  const problems: string[] = [];
  if (strategy.length === 0) problems.push('strategy is empty');
  if (strategy.length > MAX_STRATEGY_ITEMS) problems.push(`strategy has ${strategy.length} providers; ECS allows ${MAX_STRATEGY_ITEMS}`);
  const seen = new Set<string>();
  strategy.forEach((item, i) => {
    if (!item.capacityProvider) problems.push(`[${i}].capacityProvider is empty`);
    if (seen.has(item.capacityProvider)) problems.push(`[${i}] provider ${item.capacityProvider} appears twice`);
    seen.add(item.capacityProvider);
    if (!Number.isInteger(item.base) || item.base < 0 || item.base > MAX_BASE) {
      problems.push(`[${i}].base ${item.base} is not an integer in 0–${MAX_BASE}`);
    }
    if (!Number.isInteger(item.weight) || item.weight < 0 || item.weight > MAX_WEIGHT) {
      problems.push(`[${i}].weight ${item.weight} is not an integer in 0–${MAX_WEIGHT}`);
    }
  });
  if (strategy.filter((item) => item.base > 0).length > 1) problems.push('more than one provider has base > 0');
  if (strategy.length > 0 && !strategy.some((item) => item.weight > 0)) problems.push('no provider has weight > 0');
  const fargate = strategy.filter((item) => isFargateProvider(item.capacityProvider, providers));
  if (fargate.length > 0 && fargate.length < strategy.length) problems.push('Fargate and Auto Scaling group providers are mixed');
  if (providers) {
    const attached = new Set(providers.map((p) => p.name));
    for (const item of strategy) {
      if (!attached.has(item.capacityProvider)) problems.push(`provider ${item.capacityProvider} is not attached to the cluster`);
    }
  }
  return problems;
}

function isFargateProvider(name: string, providers?: readonly CapacityProviderState[]): boolean {
  const known = providers?.find((p) => p.name === name);
  if (known) return known.type === 'FARGATE' || known.type === 'FARGATE_SPOT';
  return FARGATE_PROVIDERS.has(name);
}

/** True when two strategies are the same for ECS (same providers, bases and weights, in any order). */
export function sameStrategy(a: Strategy, b: Strategy): boolean {
  if (a.length !== b.length) return false;
  const byName = new Map(b.map((item) => [item.capacityProvider, item]));
  return a.every((item) => {
    const other = byName.get(item.capacityProvider);
    return other !== undefined && other.base === item.base && other.weight === item.weight;
  });
}

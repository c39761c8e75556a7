import type { Strategy } from '@ecs-rebalancer/core';

/**
 * The provider the next task of a deployment goes to, given how many of its tasks each
 * provider already holds. ECS first fills the one provider with `base > 0` up to its base;
 * every later task goes by weight: to the provider whose share would stay lowest after the
 * task, (count − base + 1) / weight, ties to the earlier item. Over N tasks this gives
 * base + the weight ratio of the rest, e.g. base 2 on B and weights A:3, B:1 over 10 tasks
 * give A 6, B 4. Providers with weight 0 only ever receive their base.
 */
export function chooseProvider(strategy: Strategy, counts: ReadonlyMap<string, number>): string | undefined {
  for (const item of strategy) {
    if (item.base > 0 && (counts.get(item.capacityProvider) ?? 0) < item.base) return item.capacityProvider;
  }
  let best: string | undefined;
  let bestScore = Infinity;
  for (const item of strategy) {
    if (item.weight <= 0) continue;
    const beyondBase = Math.max(0, (counts.get(item.capacityProvider) ?? 0) - item.base);
    const score = (beyondBase + 1) / item.weight;
    if (score < bestScore) {
      bestScore = score;
      best = item.capacityProvider;
    }
  }
  return best;
}

/** How `total` tasks split over the providers of `strategy` when placed one by one from nothing. */
export function splitByStrategy(strategy: Strategy, total: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const provider = chooseProvider(strategy, counts);
    if (!provider) break;
    counts.set(provider, (counts.get(provider) ?? 0) + 1);
  }
  return counts;
}

const SIZE_VCPUS: Readonly<Record<string, number>> = {
  nano: 1,
  micro: 1,
  small: 1,
  medium: 1,
  large: 2,
  xlarge: 4,
  metal: 64,
};

/**
 * Task slots of an instance type: two half-vCPU tasks per vCPU (m7g.large: 2 vCPU, 4 slots;
 * c6i.2xlarge: 8 vCPU, 16 slots). Unknown types get `fallback` slots.
 */
export function slotsForInstanceType(instanceType: string | undefined, fallback = 4): number {
  const size = instanceType?.split('.')[1];
  if (!size) return fallback;
  const m = /^(\d+)xlarge$/.exec(size);
  const vcpus = m?.[1] ? Number(m[1]) * 4 : SIZE_VCPUS[size];
  return vcpus ? vcpus * 2 : fallback;
}

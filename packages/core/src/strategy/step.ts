import type { Strategy, StrategyItem } from '../model/strategy.js';
import { MAX_WEIGHT } from './validate.js';

/**
 * The factor a rollout multiplies every weight by, chosen once for all its steps so that the
 * weights of other providers keep their ratios from step to step. It is the smallest integer
 * that makes `from`'s weight split exactly at every percentage (weight 1 in steps 25, 50, 100
 * needs 4: 3/1, 2/2, 0/4), when the scaled weights fit ECS's maximum of 1000 (`to` holds
 * `from`'s and its own weight at 100%). Otherwise it is the largest integer that fits, and
 * the split is rounded; when even the unscaled sum of `from` and `to` passes 1000 it is a
 * fraction below 1 and every weight shrinks with it.
 */
export function weightScale(start: Strategy, from: string, to: string, percents: readonly number[]): number {
  const fromWeight = weightOf(start, from);
  const toWeight = weightOf(start, to);
  const otherMax = Math.max(0, ...start.filter((i) => i.capacityProvider !== from && i.capacityProvider !== to).map((i) => i.weight));
  const need = Math.max(1, otherMax, fromWeight + toWeight);
  const g = percents.reduce((acc, p) => gcd(acc, Math.round(p)), 0) || 100;
  const exact = fromWeight === 0 ? 1 : 100 / gcd(100, fromWeight * g);
  if (need * exact <= MAX_WEIGHT) return exact;
  return need <= MAX_WEIGHT ? Math.floor(MAX_WEIGHT / need) : MAX_WEIGHT / need;
}

/**
 * The strategy of one rollout step: the share of tasks that `from` held in `start` is moved
 * `percent`% onto `to`, every other provider keeps its share. Weights are multiplied by
 * `scale` (default: `weightScale` for this one percentage); `from` keeps
 * `(100 − percent)%` of its scaled weight and `to` gets the rest on top of its own, so the
 * weight `from` and `to` hold together never changes. A weight that was > 0 stays ≥ 1, and
 * between 0 and 100% both `from` and `to` keep at least 1 so neither silently drops out of
 * placement. Bases stay where they are until 100%: a base is a hard minimum and only one
 * provider may hold one, so it cannot be split; at 100% `from`'s base moves to `to`, and
 * `from` stays in the strategy at base 0 and weight 0 (the documented end state of a
 * migration). `to` is appended with base 0 when it is not in `start`. The input is not
 * modified.
 */
export function stepStrategy(start: Strategy, from: string, to: string, percent: number, scale?: number): Strategy {
  if (from === to) throw new RangeError(`from and to are the same provider (${from})`);
  if (!start.some((i) => i.capacityProvider === from)) throw new RangeError(`provider ${from} is not in the strategy`);
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent ${percent} is not in 0–100`);
  const k = scale ?? weightScale(start, from, to, [percent]);
  const fromWeight = weightOf(start, from);
  const toWeight = weightOf(start, to);
  const moving = percent > 0 && percent < 100 && fromWeight > 0;
  // A pair that scaled to one unit cannot be split: give it a second so both keep placing.
  const pool = moving ? Math.max(2, scaled(fromWeight + toWeight, k)) : scaled(fromWeight + toWeight, k);
  let fromShare = percent === 100 ? 0 : Math.round((fromWeight * k * (100 - percent)) / 100);
  if (moving) fromShare = Math.min(Math.max(fromShare, 1), pool - 1);
  fromShare = Math.min(fromShare, pool);
  const fromBase = start.find((i) => i.capacityProvider === from)?.base ?? 0;

  const result: Strategy = start.map((item): StrategyItem => {
    if (item.capacityProvider === from) return { capacityProvider: from, base: percent === 100 ? 0 : item.base, weight: fromShare };
    if (item.capacityProvider === to) return { capacityProvider: to, base: item.base + (percent === 100 ? fromBase : 0), weight: pool - fromShare };
    return { ...item, weight: scaled(item.weight, k) };
  });
  if (!start.some((i) => i.capacityProvider === to)) {
    result.push({ capacityProvider: to, base: percent === 100 ? fromBase : 0, weight: pool - fromShare });
  }
  return result;
}

/**
 * How many of `desiredCount` tasks each provider of a strategy should run, the way ECS
 * places them: the provider with a base gets up to `base` tasks first, the rest are shared
 * in proportion to the weights (largest remainder, ties to the earlier item). Every
 * provider of the strategy appears, 0 included.
 */
export function expectedTaskSplit(strategy: Strategy, desiredCount: number): Record<string, number> {
  const split: Record<string, number> = Object.fromEntries(strategy.map((i) => [i.capacityProvider, 0]));
  let remaining = Math.max(0, Math.floor(desiredCount));
  for (const item of strategy) {
    const fromBase = Math.min(item.base, remaining);
    split[item.capacityProvider] = fromBase;
    remaining -= fromBase;
  }
  const total = strategy.reduce((sum, i) => sum + i.weight, 0);
  if (remaining === 0 || total === 0) return split;
  const quotas = strategy.map((item, order) => {
    const exact = (remaining * item.weight) / total;
    return { name: item.capacityProvider, whole: Math.floor(exact), fraction: exact - Math.floor(exact), order };
  });
  let left = remaining - quotas.reduce((sum, q) => sum + q.whole, 0);
  for (const q of quotas) split[q.name] = (split[q.name] ?? 0) + q.whole;
  for (const q of [...quotas].sort((a, b) => b.fraction - a.fraction || a.order - b.order)) {
    if (left <= 0) break;
    split[q.name] = (split[q.name] ?? 0) + 1;
    left -= 1;
  }
  return split;
}

function weightOf(strategy: Strategy, provider: string): number {
  return strategy.find((i) => i.capacityProvider === provider)?.weight ?? 0;
}

/** A weight times the scale; a weight that was > 0 stays ≥ 1 and none passes ECS's maximum. */
function scaled(weight: number, k: number): number {
  if (weight === 0) return 0;
  return Math.min(MAX_WEIGHT, Math.max(1, Math.round(weight * k)));
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

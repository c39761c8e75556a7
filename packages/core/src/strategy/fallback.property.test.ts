import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CapacityProviderState } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';
import { fallbackStrategy } from './fallback.js';
import { restoreStrategy } from './restore.js';
import { MAX_WEIGHT, strategyProblems } from './validate.js';

interface Case {
  strategy: Strategy;
  spot: Set<string>;
  to: string;
  providers: CapacityProviderState[];
}

// Valid strategies of 1–20 ASG providers, some Spot, at most one base, at least one weight > 0;
// the target is an on-demand provider in the strategy or a new one attached to the cluster.
const aCase: fc.Arbitrary<Case> = fc
  .record({
    items: fc.array(fc.record({ spot: fc.boolean(), weight: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 1, 999, 1000)) }), {
      minLength: 1,
      maxLength: 20,
    }),
    baseAt: fc.option(fc.nat(), { nil: undefined }),
    base: fc.integer({ min: 1, max: 100_000 }),
    targetAt: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ items, baseAt, base, targetAt }) => {
    const names = items.map((it, i) => `${it.spot ? 'spot' : 'od'}-${i}`);
    const strategy: Strategy = items.map((it, i) => ({ capacityProvider: names[i]!, base: 0, weight: it.weight }));
    if (baseAt !== undefined) strategy[baseAt % strategy.length]!.base = base;
    if (!strategy.some((s) => s.weight > 0)) strategy[0]!.weight = 1;
    const onDemand = names.filter((n) => n.startsWith('od-'));
    const to = targetAt !== undefined && onDemand.length > 0 ? onDemand[targetAt % onDemand.length]! : 'fallback-od';
    const spot = new Set(names.filter((n) => n.startsWith('spot-')));
    const providers = [...names, to].filter((n, i, all) => all.indexOf(n) === i).map((name): CapacityProviderState => ({ name, type: 'EC2_AUTOSCALING' }));
    return { strategy, spot, to, providers };
  })
  .filter(({ strategy, providers }) => strategyProblems(strategy, providers).length === 0);

const weightOf = (s: Strategy, name: string): number | undefined => s.find((i) => i.capacityProvider === name)?.weight;

describe('fallbackStrategy properties', () => {
  it('always gives a strategy ECS accepts', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to, providers }) => {
        expect(strategyProblems(fallbackStrategy(strategy, (p) => spot.has(p), to), providers)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves every Spot provider at weight 0 and base 0', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to }) => {
        const out = fallbackStrategy(strategy, (p) => spot.has(p), to);
        for (const item of out.filter((i) => spot.has(i.capacityProvider))) expect(item).toMatchObject({ weight: 0, base: 0 });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the non-Spot weights, or their ratios within rounding when scaled', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to }) => {
        const out = fallbackStrategy(strategy, (p) => spot.has(p), to);
        const spotItems = strategy.filter((i) => spot.has(i.capacityProvider));
        if (spotItems.every((i) => i.weight === 0 && i.base === 0)) return void expect(out).toEqual(strategy);
        const gathered = (weightOf(strategy, to) ?? 0) + strategy.filter((i) => spot.has(i.capacityProvider)).reduce((sum, i) => sum + i.weight, 0);
        const scale = gathered > MAX_WEIGHT ? MAX_WEIGHT / gathered : 1;
        expect(weightOf(out, to)).toBe(Math.round(gathered * scale));
        for (const item of strategy.filter((i) => !spot.has(i.capacityProvider) && i.capacityProvider !== to)) {
          const got = weightOf(out, item.capacityProvider)!;
          if (scale === 1) expect(got).toBe(item.weight);
          else expect(Math.abs(got - item.weight * scale)).toBeLessThanOrEqual(1);
          expect(got > 0).toBe(item.weight > 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('moves a Spot base to the target and leaves other bases where they are', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to }) => {
        const out = fallbackStrategy(strategy, (p) => spot.has(p), to);
        const holder = strategy.find((i) => i.base > 0);
        const expectedHolder = holder && spot.has(holder.capacityProvider) ? to : holder?.capacityProvider;
        expect(out.filter((i) => i.base > 0).map((i) => [i.capacityProvider, i.base])).toEqual(holder ? [[expectedHolder, holder.base]] : []);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: falling back a fallback changes nothing', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to }) => {
        const isSpot = (p: string): boolean => spot.has(p);
        const once = fallbackStrategy(strategy, isSpot, to);
        expect(fallbackStrategy(once, isSpot, to)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('restore after fallback gives back exactly the baseline', () => {
    fc.assert(
      fc.property(aCase, ({ strategy, spot, to }) => {
        const baseline = structuredClone(strategy);
        fallbackStrategy(strategy, (p) => spot.has(p), to);
        expect(restoreStrategy(baseline)).toEqual(strategy);
      }),
      { numRuns: 500 },
    );
  });
});

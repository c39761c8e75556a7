import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CapacityProviderState } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';
import { expectedTaskSplit, stepStrategy, weightScale } from './step.js';
import { strategyProblems } from './validate.js';

interface Case {
  start: Strategy;
  from: string;
  to: string;
  percents: number[];
  providers: CapacityProviderState[];
}

// Valid ASG strategies of 1–19 providers (room for a new `to`), at most one base, from holding
// weight or base; `to` is another provider of the strategy or a new attached one.
const aCase: fc.Arbitrary<Case> = fc
  .record({
    weights: fc.array(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 1, 2, 3, 999, 1000)), { minLength: 1, maxLength: 19 }),
    baseAt: fc.option(fc.nat(), { nil: undefined }),
    base: fc.integer({ min: 1, max: 100_000 }),
    fromAt: fc.nat(),
    toAt: fc.option(fc.nat(), { nil: undefined }),
    percents: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 8 }),
  })
  .map(({ weights, baseAt, base, fromAt, toAt, percents }) => {
    const start: Strategy = weights.map((weight, i) => ({ capacityProvider: `cp-${i}`, base: 0, weight }));
    if (baseAt !== undefined) start[baseAt % start.length]!.base = base;
    const from = start[fromAt % start.length]!;
    if (from.weight === 0 && from.base === 0) from.weight = 1;
    if (!start.some((i) => i.weight > 0)) start[0]!.weight = 1;
    const others = start.filter((i) => i !== from).map((i) => i.capacityProvider);
    const to = toAt !== undefined && others.length > 0 ? others[toAt % others.length]! : 'cp-new';
    const providers = [...start.map((i) => i.capacityProvider), 'cp-new'].map((name): CapacityProviderState => ({ name, type: 'EC2_AUTOSCALING' }));
    return { start, from: from.capacityProvider, to, percents: [...percents.sort((a, b) => a - b), 100], providers };
  })
  .filter(({ start, providers }) => strategyProblems(start, providers).length === 0);

const weightOf = (s: Strategy, name: string): number => s.find((i) => i.capacityProvider === name)?.weight ?? 0;

describe('stepStrategy properties', () => {
  it('every step of every schedule is a strategy ECS accepts', () => {
    fc.assert(
      fc.property(aCase, ({ start, from, to, percents, providers }) => {
        const scale = weightScale(start, from, to, percents);
        for (const p of percents) expect(strategyProblems(stepStrategy(start, from, to, p, scale), providers)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('the last step leaves from at base 0 and weight 0, and to placing', () => {
    fc.assert(
      fc.property(aCase, ({ start, from, to, percents }) => {
        const last = stepStrategy(start, from, to, 100, weightScale(start, from, to, percents));
        expect(last.find((i) => i.capacityProvider === from)).toEqual({ capacityProvider: from, base: 0, weight: 0 });
        const target = last.find((i) => i.capacityProvider === to)!;
        expect(target.weight > 0 || target.base > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("from's weight never grows from one step to the next", () => {
    fc.assert(
      fc.property(aCase, ({ start, from, to, percents }) => {
        const scale = weightScale(start, from, to, percents);
        const weights = percents.map((p) => weightOf(stepStrategy(start, from, to, p, scale), from));
        for (let i = 1; i < weights.length; i++) expect(weights[i]!).toBeLessThanOrEqual(weights[i - 1]!);
      }),
      { numRuns: 300 },
    );
  });

  it('is exact when the scaled weights fit: from keeps (100 − p)% of its share', () => {
    fc.assert(
      fc.property(aCase, ({ start, from, to, percents }) => {
        const scale = weightScale(start, from, to, percents);
        const fromWeight = weightOf(start, from);
        fc.pre(Number.isInteger(scale) && scale * (fromWeight + weightOf(start, to)) <= 1000);
        fc.pre(percents.every((p) => (fromWeight * scale * p) % 100 === 0));
        for (const p of percents) {
          const step = stepStrategy(start, from, to, p, scale);
          expect(weightOf(step, from) * 100).toBe(weightOf(start, from) * scale * (100 - p));
          for (const item of start) {
            if (item.capacityProvider !== from && item.capacityProvider !== to) expect(weightOf(step, item.capacityProvider)).toBe(item.weight * scale);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('picks the smallest exact scale whenever it fits in 1000', () => {
    fc.assert(
      fc.property(aCase, ({ start, from, to, percents }) => {
        const fromWeight = weightOf(start, from);
        const exact = Array.from({ length: 100 }, (_, i) => i + 1).find((k) => percents.every((p) => (fromWeight * k * p) % 100 === 0))!;
        const need = Math.max(1, fromWeight + weightOf(start, to), ...start.map((i) => i.weight));
        fc.pre(exact * need <= 1000);
        expect(weightScale(start, from, to, percents)).toBe(exact);
      }),
      { numRuns: 500 },
    );
  });

  it('the expected split always accounts for every task', () => {
    fc.assert(
      fc.property(aCase, fc.integer({ min: 0, max: 500 }), ({ start, from, to, percents }, n) => {
        const split = expectedTaskSplit(stepStrategy(start, from, to, percents[0]!), n);
        expect(Object.values(split).reduce((a, b) => a + b, 0)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});

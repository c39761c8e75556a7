import { describe, expect, it } from 'vitest';
import type { Strategy } from '../model/strategy.js';
import { expectedTaskSplit, stepStrategy, weightScale } from './step.js';

const x86Only: Strategy = [{ capacityProvider: 'od-x86', base: 0, weight: 1 }];

describe('stepStrategy', () => {
  it.each([
    { name: '25% of a lone provider', percent: 25, x86: 3, arm: 1 },
    { name: '50% of a lone provider', percent: 50, x86: 1, arm: 1 },
    { name: '100% leaves from at weight 0', percent: 100, x86: 0, arm: 1 },
  ])('$name', ({ percent, x86, arm }) => {
    const result = stepStrategy(x86Only, 'od-x86', 'od-arm', percent);

    expect(result).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: x86 },
      { capacityProvider: 'od-arm', base: 0, weight: arm },
    ]);
  });

  it('uses one scale for a whole schedule, so the split is exact at each step', () => {
    const scale = weightScale(x86Only, 'od-x86', 'od-arm', [10, 25, 50, 100]);

    const weights = [10, 25, 50, 100].map((p) => stepStrategy(x86Only, 'od-x86', 'od-arm', p, scale).map((i) => i.weight));

    expect(scale).toBe(20);
    expect(weights).toEqual([
      [18, 2],
      [15, 5],
      [10, 10],
      [0, 20],
    ]);
  });

  it('keeps the other providers and their share, scaled with the rest', () => {
    const start: Strategy = [
      { capacityProvider: 'spot-x86', base: 0, weight: 2 },
      { capacityProvider: 'od-x86', base: 0, weight: 2 },
    ];

    const result = stepStrategy(start, 'od-x86', 'od-arm', 25);

    expect(result).toEqual([
      { capacityProvider: 'spot-x86', base: 0, weight: 4 },
      { capacityProvider: 'od-x86', base: 0, weight: 3 },
      { capacityProvider: 'od-arm', base: 0, weight: 1 },
    ]);
  });

  it('adds to the weight `to` already has', () => {
    const start: Strategy = [
      { capacityProvider: 'od-x86', base: 0, weight: 2 },
      { capacityProvider: 'od-arm', base: 0, weight: 2 },
    ];

    expect(stepStrategy(start, 'od-x86', 'od-arm', 50)).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 1 },
      { capacityProvider: 'od-arm', base: 0, weight: 3 },
    ]);
  });

  it("keeps from's base until the last step, then moves it to `to`", () => {
    const start: Strategy = [{ capacityProvider: 'od-x86', base: 2, weight: 1 }];

    const middle = stepStrategy(start, 'od-x86', 'od-arm', 50);
    const last = stepStrategy(start, 'od-x86', 'od-arm', 100);

    expect(middle).toEqual([
      { capacityProvider: 'od-x86', base: 2, weight: 1 },
      { capacityProvider: 'od-arm', base: 0, weight: 1 },
    ]);
    expect(last).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'od-arm', base: 2, weight: 1 },
    ]);
  });

  it('leaves a base held by another provider where it is', () => {
    const start: Strategy = [
      { capacityProvider: 'od-x86', base: 0, weight: 1 },
      { capacityProvider: 'spot-x86', base: 3, weight: 1 },
    ];

    expect(stepStrategy(start, 'od-x86', 'od-arm', 100)).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'spot-x86', base: 3, weight: 1 },
      { capacityProvider: 'od-arm', base: 0, weight: 1 },
    ]);
  });

  it('rounds, keeping both sides ≥ 1, when exact weights would pass 1000', () => {
    const start: Strategy = [
      { capacityProvider: 'big', base: 0, weight: 1000 },
      { capacityProvider: 'od-x86', base: 0, weight: 1 },
    ];

    const result = stepStrategy(start, 'od-x86', 'od-arm', 10);

    expect(result).toEqual([
      { capacityProvider: 'big', base: 0, weight: 1000 },
      { capacityProvider: 'od-x86', base: 0, weight: 1 },
      { capacityProvider: 'od-arm', base: 0, weight: 1 },
    ]);
  });

  it('shrinks every weight when from and to together hold more than 1000', () => {
    const start: Strategy = [
      { capacityProvider: 'od-x86', base: 0, weight: 800 },
      { capacityProvider: 'od-arm', base: 0, weight: 400 },
    ];

    const last = stepStrategy(start, 'od-x86', 'od-arm', 100);

    expect(last).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'od-arm', base: 0, weight: 1000 },
    ]);
  });

  it('does not modify its input', () => {
    const start: Strategy = [{ capacityProvider: 'od-x86', base: 2, weight: 1 }];
    const copy = structuredClone(start);

    stepStrategy(start, 'od-x86', 'od-arm', 100);

    expect(start).toEqual(copy);
  });

  it.each([
    { name: 'from equals to', from: 'od-x86', to: 'od-x86', percent: 50 },
    { name: 'from not in the strategy', from: 'nope', to: 'od-arm', percent: 50 },
    { name: 'percent above 100', from: 'od-x86', to: 'od-arm', percent: 101 },
  ])('refuses $name', ({ from, to, percent }) => {
    expect(() => stepStrategy(x86Only, from, to, percent)).toThrow(RangeError);
  });
});

describe('expectedTaskSplit', () => {
  it.each([
    { name: 'weights only', strategy: [{ capacityProvider: 'a', base: 0, weight: 3 }, { capacityProvider: 'b', base: 0, weight: 1 }], n: 8, split: { a: 6, b: 2 } },
    { name: 'base first, then weights', strategy: [{ capacityProvider: 'a', base: 0, weight: 1 }, { capacityProvider: 'b', base: 2, weight: 1 }], n: 10, split: { a: 4, b: 6 } },
    { name: 'fewer tasks than the base', strategy: [{ capacityProvider: 'a', base: 0, weight: 1 }, { capacityProvider: 'b', base: 5, weight: 1 }], n: 3, split: { a: 0, b: 3 } },
    { name: 'largest remainder, ties to the earlier item', strategy: [{ capacityProvider: 'a', base: 0, weight: 1 }, { capacityProvider: 'b', base: 0, weight: 1 }], n: 3, split: { a: 2, b: 1 } },
    { name: 'zero weight gets nothing', strategy: [{ capacityProvider: 'a', base: 0, weight: 0 }, { capacityProvider: 'b', base: 0, weight: 4 }], n: 5, split: { a: 0, b: 5 } },
  ])('$name', ({ strategy, n, split }) => {
    expect(expectedTaskSplit(strategy, n)).toEqual(split);
  });
});

import { describe, expect, it } from 'vitest';
import type { CapacityProviderState } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';
import { fallbackStrategy, isSpotProvider } from './fallback.js';
import { strategyProblems } from './validate.js';

const spotNames = new Set(['spot-a', 'spot-b', 'FARGATE_SPOT']);
const isSpot = (p: string): boolean => spotNames.has(p);
const item = (capacityProvider: string, base: number, weight: number) => ({ capacityProvider, base, weight });

describe('fallbackStrategy', () => {
  const rows: { name: string; strategy: Strategy; to: string; expected: Strategy }[] = [
    {
      name: 'DESIGN.md sample: Spot weight moves onto the on-demand provider, its base stays',
      strategy: [item('spot-a', 0, 3), item('od', 2, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 2, 4)],
    },
    {
      name: 'target absent: appended with base 0',
      strategy: [item('spot-a', 0, 2), item('od-x86', 1, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od-x86', 1, 1), item('od', 0, 2)],
    },
    {
      name: 'Spot provider holds the base: the base moves to the target',
      strategy: [item('spot-a', 5, 3), item('od', 0, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 5, 4)],
    },
    {
      name: 'Spot base with the target absent: the target takes base and weight',
      strategy: [item('spot-a', 4, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 4, 1)],
    },
    {
      name: 'several Spot providers: all their weight gathers on the target',
      strategy: [item('spot-a', 0, 2), item('spot-b', 0, 5), item('od', 0, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('spot-b', 0, 0), item('od', 0, 8)],
    },
    {
      name: 'sum passes 1000: every weight scaled so the target holds 1000',
      strategy: [item('spot-a', 0, 1000), item('od', 0, 1000), item('other', 0, 500)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 0, 1000), item('other', 0, 250)],
    },
    {
      name: 'scaling never rounds a weight > 0 down to 0',
      strategy: [item('spot-a', 0, 1000), item('od', 0, 999), item('tiny', 0, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 0, 1000), item('tiny', 0, 1)],
    },
    {
      name: 'sum of exactly 1000 is not scaled',
      strategy: [item('spot-a', 0, 600), item('od', 0, 400), item('other', 0, 7)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od', 0, 1000), item('other', 0, 7)],
    },
    {
      name: 'nothing on Spot: unchanged, target not added',
      strategy: [item('spot-a', 0, 0), item('od-x86', 0, 1)],
      to: 'od',
      expected: [item('spot-a', 0, 0), item('od-x86', 0, 1)],
    },
    {
      name: 'Fargate: FARGATE_SPOT falls back to FARGATE',
      strategy: [item('FARGATE_SPOT', 0, 4), item('FARGATE', 1, 1)],
      to: 'FARGATE',
      expected: [item('FARGATE_SPOT', 0, 0), item('FARGATE', 1, 5)],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const input = structuredClone(row.strategy);
      expect(fallbackStrategy(input, isSpot, row.to)).toEqual(row.expected);
      expect(input).toEqual(row.strategy);
    });
  }

  it('makes room for a new target in a strategy of 20 items by dropping the last Spot item', () => {
    const strategy: Strategy = [
      ...Array.from({ length: 18 }, (_, i) => item(`od-${i}`, 0, 1)),
      item('spot-a', 0, 2),
      item('spot-b', 0, 3),
    ];
    const providers: CapacityProviderState[] = [...strategy.map((s) => s.capacityProvider), 'od'].map((name) => ({ name, type: 'EC2_AUTOSCALING' }));

    const result = fallbackStrategy(strategy, isSpot, 'od');

    expect(result).toHaveLength(20);
    expect(result.map((s) => s.capacityProvider)).not.toContain('spot-b');
    expect(result.at(-1)).toEqual(item('od', 0, 5));
    expect(strategyProblems(result, providers)).toEqual([]);
  });
});

describe('isSpotProvider', () => {
  const policy = { providers: { 'spot-arm64': 'spot', 'od-arm64': 'on-demand' } as const };
  const rows: { name: string; provider: string; state?: { capacityProviders: CapacityProviderState[] }; expected: boolean }[] = [
    { name: 'listed as spot', provider: 'spot-arm64', expected: true },
    { name: 'listed as on-demand', provider: 'od-arm64', expected: false },
    { name: 'unlisted ASG provider', provider: 'other', expected: false },
    { name: 'FARGATE_SPOT unlisted', provider: 'FARGATE_SPOT', expected: true },
    { name: 'FARGATE unlisted', provider: 'FARGATE', expected: false },
    {
      name: 'FARGATE_SPOT type in the cluster state',
      provider: 'my-fargate-spot',
      state: { capacityProviders: [{ name: 'my-fargate-spot', type: 'FARGATE_SPOT' }] },
      expected: true,
    },
    {
      name: 'EC2_AUTOSCALING type in the cluster state, unlisted',
      provider: 'asg',
      state: { capacityProviders: [{ name: 'asg', type: 'EC2_AUTOSCALING' }] },
      expected: false,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(isSpotProvider(row.provider, policy, row.state)).toBe(row.expected);
    });
  }
});

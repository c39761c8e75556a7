import { describe, expect, it } from 'vitest';
import { chooseProvider, slotsForInstanceType, splitByStrategy } from './placement.js';

describe('splitByStrategy', () => {
  const rows = [
    {
      name: 'base first, then the rest by weight (DESIGN example)',
      strategy: [
        { capacityProvider: 'spot', base: 0, weight: 3 },
        { capacityProvider: 'od', base: 2, weight: 1 },
      ],
      total: 10,
      expected: { spot: 6, od: 4 },
    },
    {
      name: 'fewer tasks than the base all go to the base provider',
      strategy: [
        { capacityProvider: 'spot', base: 0, weight: 1 },
        { capacityProvider: 'od', base: 5, weight: 1 },
      ],
      total: 3,
      expected: { od: 3 },
    },
    {
      name: 'weight 0 receives only its base',
      strategy: [
        { capacityProvider: 'spot', base: 0, weight: 0 },
        { capacityProvider: 'od', base: 0, weight: 1 },
      ],
      total: 7,
      expected: { od: 7 },
    },
    {
      name: 'equal weights alternate, the earlier item first',
      strategy: [
        { capacityProvider: 'a', base: 0, weight: 1 },
        { capacityProvider: 'b', base: 0, weight: 1 },
      ],
      total: 3,
      expected: { a: 2, b: 1 },
    },
    {
      name: 'a 1:4 rollout step',
      strategy: [
        { capacityProvider: 'x86', base: 0, weight: 4 },
        { capacityProvider: 'arm', base: 0, weight: 1 },
      ],
      total: 20,
      expected: { x86: 16, arm: 4 },
    },
  ];
  it.each(rows)('$name', ({ strategy, total, expected }) => {
    expect(Object.fromEntries(splitByStrategy(strategy, total))).toEqual(expected);
  });

  it('keeps the ratio when placing onto an existing uneven split', () => {
    const strategy = [
      { capacityProvider: 'spot', base: 0, weight: 1 },
      { capacityProvider: 'od', base: 0, weight: 1 },
    ];
    expect(chooseProvider(strategy, new Map([['spot', 5], ['od', 1]]))).toBe('od');
  });

  it('has no provider when every weight and base is spent', () => {
    expect(chooseProvider([{ capacityProvider: 'a', base: 1, weight: 0 }], new Map([['a', 1]]))).toBeUndefined();
  });
});

describe('slotsForInstanceType', () => {
  it.each([
    ['m7g.large', 4],
    ['c6i.2xlarge', 16],
    ['m5.xlarge', 8],
    ['t3.medium', 2],
    ['weird', 4],
    [undefined, 4],
  ])('%s has %i slots', (type, slots) => {
    expect(slotsForInstanceType(type)).toBe(slots);
  });
});

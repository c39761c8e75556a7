import { describe, expect, it } from 'vitest';
import { strategiesEqual, strategyRejection } from './strategy-rules.js';

const attached = ['spot', 'od', 'FARGATE', 'FARGATE_SPOT'];

describe('strategyRejection', () => {
  const rows = [
    { name: 'valid two-provider strategy', strategy: [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od', base: 2, weight: 1 }], expected: undefined },
    { name: 'base above 100000', strategy: [{ capacityProvider: 'od', base: 100_001, weight: 1 }], expected: /base value/ },
    { name: 'negative base', strategy: [{ capacityProvider: 'od', base: -1, weight: 1 }], expected: /base value/ },
    { name: 'weight above 1000', strategy: [{ capacityProvider: 'od', base: 0, weight: 1001 }], expected: /weight value/ },
    { name: 'fractional weight', strategy: [{ capacityProvider: 'od', base: 0, weight: 1.5 }], expected: /weight value/ },
    { name: 'two bases', strategy: [{ capacityProvider: 'spot', base: 1, weight: 1 }, { capacityProvider: 'od', base: 1, weight: 1 }], expected: /only one capacity provider with a base/ },
    { name: 'all weights zero', strategy: [{ capacityProvider: 'spot', base: 2, weight: 0 }, { capacityProvider: 'od', base: 0, weight: 0 }], expected: /at least one capacity provider with a weight/ },
    { name: 'provider not attached', strategy: [{ capacityProvider: 'graviton', base: 0, weight: 1 }], expected: /not associated with the cluster/ },
    { name: 'mix of Fargate and ASG', strategy: [{ capacityProvider: 'FARGATE', base: 0, weight: 1 }, { capacityProvider: 'od', base: 0, weight: 1 }], expected: /mix of capacity providers/ },
    { name: 'duplicate provider', strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }, { capacityProvider: 'od', base: 0, weight: 2 }], expected: /duplicate/ },
    { name: 'more than 20 items', strategy: Array.from({ length: 21 }, (_, i) => ({ capacityProvider: `p${i}`, base: 0, weight: 1 })), expected: /maximum of 20/ },
  ];
  it.each(rows)('$name', ({ strategy, expected }) => {
    const rejection = strategyRejection(strategy, attached);
    if (expected === undefined) expect(rejection).toBeUndefined();
    else expect(rejection).toMatch(expected);
  });
});

describe('strategiesEqual', () => {
  it('ignores item order but not values', () => {
    const a = [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od', base: 2, weight: 1 }];
    expect(strategiesEqual(a, [...a].reverse())).toBe(true);
    expect(strategiesEqual(a, [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od', base: 2, weight: 2 }])).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Strategy } from '../model/strategy.js';
import { fallbackStrategy } from './fallback.js';
import { restoreStrategy } from './restore.js';

describe('restoreStrategy', () => {
  const baseline: Strategy = [
    { capacityProvider: 'spot-arm64', base: 0, weight: 3 },
    { capacityProvider: 'od-x86', base: 2, weight: 1 },
  ];

  it('returns exactly the baseline and drops a fallback provider the baseline did not have', () => {
    const current = fallbackStrategy(baseline, (p) => p === 'spot-arm64', 'od-arm64');
    expect(current.map((s) => s.capacityProvider)).toContain('od-arm64');

    const restored = restoreStrategy(baseline);

    expect(restored).toEqual(baseline);
  });

  it('returns a copy: changing the result leaves the baseline alone', () => {
    const restored = restoreStrategy(baseline);
    restored[0]!.weight = 99;
    expect(baseline[0]!.weight).toBe(3);
  });
});

// expect.strategiesAt: a service's strategy at a scenario second, checked against its changes.
import { describe, expect, it } from 'vitest';
import { aCluster } from '../test-support/builders.js';
import { vacuousExpectations } from './checks.js';
import { parseScenario } from './schema.js';
import { checkExpectations, type RunSummary } from './summary.js';

const START = [
  { capacityProvider: 'spot', base: 0, weight: 3 },
  { capacityProvider: 'od', base: 2, weight: 1 },
];
const FALLBACK = [
  { capacityProvider: 'spot', base: 0, weight: 0 },
  { capacityProvider: 'od', base: 2, weight: 4 },
];

function scenario(atSeconds: number, strategy = FALLBACK) {
  return parseScenario({
    name: 'at',
    start: '2026-01-05T09:00:00Z',
    policy: { clusters: { prod: { providers: { spot: 'spot', od: 'on-demand' } } } },
    clusters: [aCluster()],
    durationSeconds: 900,
    expect: { strategiesAt: [{ atSeconds, strategies: { 'prod/web': strategy } }] },
  });
}

const changedAt = (iso: string) => ({ strategyChanges: [{ time: iso, service: 'prod/web', strategy: FALLBACK }] }) as unknown as RunSummary;

describe('expect.strategiesAt', () => {
  it('passes once the change came at or before the second, and fails with the strategy then otherwise', () => {
    const s = scenario(600);
    expect(checkExpectations(changedAt('2026-01-05T09:01:35Z'), s)).toEqual([]);
    expect(checkExpectations(changedAt('2026-01-05T09:10:01Z'), s)).toEqual(['strategy of prod/web at 600s is od:2/1 spot:0/3, expected od:2/4 spot:0/0']);
    expect(checkExpectations({ strategyChanges: [] } as unknown as RunSummary, s)).toEqual(['strategy of prod/web at 600s is od:2/1 spot:0/3, expected od:2/4 spot:0/0']);
  });

  it('refuses a second after durationSeconds, with its path', () => {
    expect(() => scenario(901)).toThrow(expect.objectContaining({ problems: [{ path: 'expect.strategiesAt[0].atSeconds', message: '901 is after durationSeconds 900' }] }));
  });

  it('notes a strategiesAt that is the starting strategy (it passes if nothing reacts), and lets a restore check follow a change', () => {
    const s = scenario(600, START);
    expect(vacuousExpectations(s)).toEqual(['expect.strategiesAt[0].strategies["prod/web"] is the strategy prod/web starts with: it passes even if nothing reacts']);
    expect(vacuousExpectations({ ...scenario(600), expect: { ...scenario(600).expect, strategies: { 'prod/web': START } } })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { bakeWaitSeconds, decideAlarmCheck, decideBake, decideDeploymentWait, decideRollback } from './decide.js';
import type { AlarmCheck, AlarmTransition, ServiceDeployment } from './types.js';

const primary = (overrides: Partial<ServiceDeployment> = {}): ServiceDeployment => ({ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', ...overrides });
const old: ServiceDeployment = { id: 'ecs-svc/0', status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 4 };

describe('decideDeploymentWait', () => {
  it.each([
    { name: 'completed', deployments: [primary({ rolloutState: 'COMPLETED' })], elapsed: 30, verdict: 'done' },
    { name: 'completed at the deadline', deployments: [primary({ rolloutState: 'COMPLETED' })], elapsed: 600, verdict: 'done' },
    { name: 'failed by the circuit breaker', deployments: [primary({ rolloutState: 'FAILED' }), old], elapsed: 30, verdict: 'failed' },
    { name: 'in progress', deployments: [primary(), old], elapsed: 30, verdict: 'wait' },
    { name: 'in progress past the deadline', deployments: [primary(), old], elapsed: 600, verdict: 'timeout' },
    { name: 'no PRIMARY yet', deployments: [old], elapsed: 0, verdict: 'wait' },
    { name: 'no rolloutState, steady', deployments: [primary({ rolloutState: undefined, desiredCount: 4, runningCount: 4 })], elapsed: 30, verdict: 'done' },
    { name: 'no rolloutState, old tasks left', deployments: [primary({ rolloutState: undefined, desiredCount: 4, runningCount: 4 }), old], elapsed: 30, verdict: 'wait' },
    { name: 'only the old deployment is completed', deployments: [primary(), { ...old }], elapsed: 10, verdict: 'wait' },
  ])('$name → $verdict', ({ deployments, elapsed, verdict }) => {
    expect(decideDeploymentWait(deployments, elapsed, 600)).toBe(verdict);
  });
});

describe('decideAlarmCheck', () => {
  const bakeStart = '2025-01-01T00:10:00.000Z';
  const transition = (alarmName: string, timestamp: string, newState: AlarmTransition['newState']): AlarmTransition => ({ alarmName, timestamp, newState });

  it.each([
    { name: 'all OK, quiet bake', states: { a: 'OK', b: 'OK' } as const, history: [], result: { ok: true } },
    { name: 'no alarms watched', states: {}, history: [], result: { ok: true } },
    {
      name: 'one in ALARM now',
      states: { a: 'OK', b: 'ALARM' } as const,
      history: [],
      result: { ok: false, alarms: ['b'], reasons: ['alarm b is ALARM'] },
    },
    {
      name: 'INSUFFICIENT_DATA',
      states: { a: 'INSUFFICIENT_DATA' } as const,
      history: [],
      result: { ok: false, alarms: ['a'], reasons: ['alarm a is INSUFFICIENT_DATA'] },
    },
    {
      name: 'missing',
      states: { gone: undefined },
      history: [],
      result: { ok: false, alarms: ['gone'], reasons: ['alarm gone does not exist'] },
    },
    {
      name: 'flapped to ALARM and back during the bake',
      states: { a: 'OK' } as const,
      history: [transition('a', '2025-01-01T00:12:00.000Z', 'ALARM'), transition('a', '2025-01-01T00:13:00.000Z', 'OK')],
      result: { ok: false, alarms: ['a'], reasons: ['alarm a entered ALARM at 2025-01-01T00:12:00.000Z during the bake'] },
    },
    {
      name: 'in ALARM since the bake began',
      states: { a: 'ALARM' } as const,
      history: [transition('a', '2025-01-01T00:15:00.000Z', 'ALARM')],
      result: { ok: false, alarms: ['a'], reasons: ['alarm a is ALARM (entered at 2025-01-01T00:15:00.000Z, during the bake)'] },
    },
    {
      name: 'an ALARM before the bake does not count',
      states: { a: 'OK' } as const,
      history: [transition('a', '2025-01-01T00:09:59.000Z', 'ALARM'), transition('a', '2025-01-01T00:10:30.000Z', 'OK')],
      result: { ok: true },
    },
    {
      name: 'history of an alarm not watched is ignored',
      states: { a: 'OK' } as const,
      history: [transition('other', '2025-01-01T00:12:00.000Z', 'ALARM')],
      result: { ok: true },
    },
  ])('$name', ({ states, history, result }) => {
    expect(decideAlarmCheck(states, history, bakeStart)).toEqual(result);
  });
});

describe('decideBake', () => {
  const ok: AlarmCheck = { ok: true };
  it.each([
    { name: 'first minute of a 10-minute bake', baked: 60, bake: 600, alarms: 1, check: ok, verdict: { status: 'baking', waitSeconds: 60 } },
    { name: 'the last 30 s', baked: 570, bake: 600, alarms: 1, check: ok, verdict: { status: 'baking', waitSeconds: 30 } },
    { name: 'baked its time', baked: 600, bake: 600, alarms: 1, check: ok, verdict: { status: 'passed' } },
    { name: 'no alarms: the whole rest at once', baked: 0, bake: 600, alarms: 0, check: ok, verdict: { status: 'baking', waitSeconds: 600 } },
    { name: 'a bake of 0 s passes at the first look', baked: 0, bake: 0, alarms: 1, check: ok, verdict: { status: 'passed' } },
    {
      name: 'an alarm a minute in stops it',
      baked: 60,
      bake: 600,
      alarms: 1,
      check: { ok: false, alarms: ['a'], reasons: ['alarm a is ALARM'] } as AlarmCheck,
      verdict: { status: 'alarm', alarms: ['a'], reasons: ['alarm a is ALARM'] },
    },
  ])('$name', ({ baked, bake, alarms, check, verdict }) => {
    expect(decideBake(baked, bake, alarms, check)).toEqual(verdict);
  });

  it('never waits longer than 60 s while alarms are watched', () => {
    for (const baked of [0, 1, 59, 60, 61, 3599]) expect(bakeWaitSeconds(baked, 3600, 2)).toBeLessThanOrEqual(60);
  });
});

describe('decideRollback', () => {
  const item = (capacityProvider: string, weight: number, base = 0) => ({ capacityProvider, base, weight });
  const start = [item('spot', 3), item('od-x86', 1, 2)];
  const completed: ServiceDeployment[] = [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'COMPLETED' }];
  const failedDeployment: ServiceDeployment[] = [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'FAILED' }];
  const mid = [item('spot', 6), item('od-x86', 1, 2), item('od-arm', 1)];
  const fallenBack = [item('spot', 0), item('od-x86', 1, 2), item('od-arm', 7)];

  it.each([
    { name: 'no fallback, mid-rollout → start', strategy: mid, baseline: null, deployments: completed, decision: { type: 'set-strategy', strategy: start, heldAtZero: [] } },
    { name: 'no fallback, on start → nothing', strategy: start, baseline: null, deployments: completed, decision: { type: 'none' } },
    { name: 'no fallback, on start but its deployment FAILED → start again', strategy: start, baseline: null, deployments: failedDeployment, decision: { type: 'set-strategy', strategy: start } },
    {
      name: 'fallback active → start with the zeroed Spot provider held at 0',
      strategy: fallenBack,
      baseline: mid,
      deployments: completed,
      decision: { type: 'set-strategy', strategy: [item('spot', 0), item('od-x86', 1, 2)], heldAtZero: ['spot'], baseline: start },
    },
    { name: 'fallback active, already on the held start → nothing, the record rebased on start', strategy: [item('spot', 0), item('od-x86', 1, 2)], baseline: mid, deployments: completed, decision: { type: 'none', baseline: start } },
    { name: 'fallback recorded but not applied yet → nothing, the record rebased on start', strategy: mid, baseline: mid, deployments: completed, decision: { type: 'none', baseline: start } },
    {
      name: 'fallback active, start is all Spot → nothing (the fallback strategy stays), the record already holds start',
      strategy: [item('spot', 0), item('od', 4)],
      baseline: [item('spot', 4)],
      deployments: completed,
      decision: { type: 'none' },
    },
  ])('$name', ({ strategy, baseline, deployments, decision }) => {
    const startOf = decision.type === 'none' && baseline?.length === 1 ? [item('spot', 4)] : start;

    const result = decideRollback(startOf, { strategy, baseline, fallbackSince: baseline ? '2025-01-01T00:00:00Z' : null, deployments });

    expect(result).toMatchObject(decision);
  });

  it('never gives weight to a provider the fallback holds, whatever the start', () => {
    const result = decideRollback([item('spot', 9, 5), item('od-x86', 1)], { strategy: fallenBack, baseline: mid, fallbackSince: null, deployments: completed });

    expect(result).toEqual(expect.objectContaining({ type: 'set-strategy', strategy: [item('spot', 0), item('od-x86', 1)] }));
  });

  it('makes the starting strategy what the fallback restores, and says so', () => {
    // Prepare: the fallback began at step 2 and recorded the mid-rollout mix.
    const subject = { strategy: fallenBack, baseline: mid, fallbackSince: '2025-01-01T00:00:00Z', deployments: completed };
    // Act
    const result = decideRollback(start, subject);
    // Assess
    expect(result.baseline).toEqual(start);
    expect(result.reason).toBe('a Spot fallback is active (since 2025-01-01T00:00:00Z): back to the starting strategy with spot held at 0; its restore returns to the starting strategy');
    expect(decideRollback(start, { ...subject, baseline: start }).baseline).toBeUndefined();
    expect(decideRollback(start, { ...subject, baseline: null, strategy: mid }).baseline).toBeUndefined();
  });
});

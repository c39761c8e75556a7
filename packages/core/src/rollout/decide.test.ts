import { describe, expect, it } from 'vitest';
import { decideAlarmCheck, decideDeploymentWait } from './decide.js';
import type { AlarmTransition, ServiceDeployment } from './types.js';

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

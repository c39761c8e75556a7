import { describe, expect, it } from 'vitest';
import type { AlarmStateValue, ClusterState, ServiceState } from '../model/cluster-state.js';
import type { Signal } from '../model/signal.js';
import type { Policy } from '../policy/schema.js';
import { FALLBACK_ALARM, ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy } from '../test-support/builders.js';
import { T0, aTickSignal, anAlarmSignal } from '../test-support/signals.js';
import { decide } from './decide.js';

// T0 is 12:00:00; with minSeconds 600 a fallback that began at 11:50:00 is due exactly now.
const DUE = '2024-05-01T11:50:00Z';
const NOT_DUE = '2024-05-01T11:50:01Z';
const fellBack = [
  { capacityProvider: SPOT, base: 0, weight: 0 },
  { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
];
const inFallback = (since: string | null = DUE, overrides: Partial<ServiceState> = {}): ServiceState =>
  aService({ strategy: fellBack, baseline: aStrategy(), fallbackSince: since, ...overrides });
const clusterWith = (service: ServiceState, alarms: Record<string, AlarmStateValue> = { [FALLBACK_ALARM]: 'OK' }): ClusterState =>
  aCluster({ services: [service], alarms });

describe('decide: restore', () => {
  it('restores exactly the baseline on an OK alarm once minSeconds have passed', () => {
    // The loader read ALARM a moment ago; the event about that alarm says OK (for okSeconds 300 by now) and wins.
    const plan = decide([anAlarmSignal({ state: 'OK', eventId: 'ok-1', stateTimestamp: '2024-05-01T11:55:00Z' })], [clusterWith(inFallback(), { [FALLBACK_ALARM]: 'ALARM' })], aPolicy(), T0);
    expect(plan).toEqual({
      actions: [
        {
          type: 'set-strategy',
          cluster: 'prod',
          service: 'web',
          strategy: aStrategy(),
          baseline: null,
          fallbackSince: null,
          change: 'restore',
          reason: 'restore: 600s passed since fallback at 2024-05-01T11:50:00Z; alarm prod-spot-interruptions OK',
          eventIds: ['ok-1'],
        },
      ],
      skipped: [],
      warnings: [],
      drift: [],
    });
  });

  it('drops a fallback provider the baseline did not have', () => {
    const baseline = [{ capacityProvider: SPOT, base: 0, weight: 1 }];
    const service = inFallback(DUE, { baseline, strategy: [{ capacityProvider: SPOT, base: 0, weight: 0 }, { capacityProvider: ON_DEMAND, base: 0, weight: 1 }] });
    const plan = decide([aTickSignal()], [clusterWith(service)], aPolicy(), T0);
    expect(plan.actions).toEqual([expect.objectContaining({ change: 'restore', strategy: baseline })]);
  });

  const rows: { name: string; signal: Signal; state: ClusterState; policy?: Policy; restores: boolean; skipped?: string[] }[] = [
    { name: 'tick, due, alarm OK in the state', signal: aTickSignal(), state: clusterWith(inFallback()), restores: true },
    { name: 'tick, alarm ALARM in the state', signal: aTickSignal(), state: clusterWith(inFallback(), { [FALLBACK_ALARM]: 'ALARM' }), restores: false },
    { name: 'tick, alarm INSUFFICIENT_DATA', signal: aTickSignal(), state: clusterWith(inFallback(), { [FALLBACK_ALARM]: 'INSUFFICIENT_DATA' }), restores: false },
    { name: 'tick, alarm missing from the state', signal: aTickSignal(), state: clusterWith(inFallback(), {}), restores: false },
    { name: 'tick, one second before due', signal: aTickSignal(), state: clusterWith(inFallback(NOT_DUE)), restores: false },
    {
      name: 'alarm OK one second before due tells the operator when',
      signal: anAlarmSignal({ state: 'OK', eventId: 'ok' }),
      state: clusterWith(inFallback(NOT_DUE)),
      restores: false,
      skipped: ['restore of web not due until 2024-05-01T12:00:01.000Z (minSeconds 600)'],
    },
    {
      name: 'alarm OK while another fallback alarm is ALARM',
      signal: anAlarmSignal({ state: 'OK', eventId: 'ok' }),
      state: clusterWith(inFallback(), { [FALLBACK_ALARM]: 'OK', 'prod-capacity': 'ALARM' }),
      policy: aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { alarms: [FALLBACK_ALARM, 'prod-capacity'], to: ON_DEMAND } }) } }),
      restores: false,
      skipped: ['restore of web blocked: alarm prod-capacity is ALARM'],
    },
    {
      name: 'no fallback alarms (placement-failure fallback): due after minSeconds alone',
      signal: aTickSignal(),
      state: clusterWith(inFallback(), {}),
      policy: aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { to: ON_DEMAND } }) } }),
      restores: true,
    },
    {
      name: 'minSeconds from the policy',
      signal: aTickSignal(),
      state: clusterWith(inFallback('2024-05-01T11:59:00Z')),
      policy: aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { alarms: [FALLBACK_ALARM], to: ON_DEMAND, minSeconds: 60 } }) } }),
      restores: true,
    },
    { name: 'missing fallbackSince counts as long past', signal: aTickSignal(), state: clusterWith(inFallback(null)), restores: true },
    { name: 'an OK for an alarm of no cluster does not restore', signal: anAlarmSignal({ alarm: 'other', state: 'OK', eventId: 'ok' }), state: clusterWith(inFallback()), restores: false, skipped: ['alarm other drives no fallback'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = decide([row.signal], [row.state], row.policy ?? aPolicy(), T0);
      expect(plan.actions.filter((a) => a.type === 'set-strategy' && a.change === 'restore')).toHaveLength(row.restores ? 1 : 0);
      expect(plan.skipped.map((s) => s.reason)).toEqual(row.skipped ?? []);
    });
  }

  it('takes the alarm state from the latest signal of the batch', () => {
    const signals = [
      anAlarmSignal({ state: 'OK', eventId: 'ok', stateTimestamp: '2024-05-01T11:58:00Z' }),
      anAlarmSignal({ state: 'ALARM', eventId: 'alarm', stateTimestamp: '2024-05-01T11:59:00Z' }),
    ];
    const plan = decide(signals, [clusterWith(inFallback())], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([
      { eventId: 'alarm', reason: 'alarm prod-spot-interruptions is ALARM: no managed service of prod gives weight to a Spot provider' },
      { eventId: 'ok', reason: 'restore of web blocked: alarm prod-spot-interruptions is ALARM' },
    ]);
  });

  describe('an alarm signal older than the fallback does not decide the restore', () => {
    // The fallback began at 11:50 (DUE); SQS redelivers an OK the alarm reported at 11:40.
    const BEFORE = '2024-05-01T11:40:00Z';
    const rows: { name: string; signals: Signal[]; loaded: AlarmStateValue | undefined; restores: boolean; skipped: { eventId: string; reason: string }[] }[] = [
      {
        name: 'a stale OK while the loader reads ALARM: blocked',
        signals: [anAlarmSignal({ state: 'OK', eventId: 'old-ok', stateTimestamp: BEFORE })],
        loaded: 'ALARM',
        restores: false,
        skipped: [{ eventId: 'old-ok', reason: 'restore of web blocked: alarm prod-spot-interruptions is ALARM (its OK signal of 2024-05-01T11:40:00Z predates the fallback)' }],
      },
      {
        name: 'a stale OK while the loader could not read the alarm: blocked',
        signals: [anAlarmSignal({ state: 'OK', eventId: 'old-ok', stateTimestamp: BEFORE })],
        loaded: undefined,
        restores: false,
        skipped: [{ eventId: 'old-ok', reason: 'restore of web blocked: alarm prod-spot-interruptions is unknown (its OK signal of 2024-05-01T11:40:00Z predates the fallback)' }],
      },
      { name: 'a stale OK while the loader reads OK: restored', signals: [anAlarmSignal({ state: 'OK', eventId: 'old-ok', stateTimestamp: BEFORE })], loaded: 'OK', restores: true, skipped: [] },
      { name: 'an OK at the fallback’s own time counts', signals: [anAlarmSignal({ state: 'OK', eventId: 'ok', stateTimestamp: DUE })], loaded: 'ALARM', restores: true, skipped: [] },
      {
        name: 'a stale ALARM does not block a tick’s restore when the loader reads OK',
        signals: [aTickSignal({ eventId: 't' }), anAlarmSignal({ state: 'ALARM', eventId: 'old-alarm', stateTimestamp: BEFORE })],
        loaded: 'OK',
        restores: true,
        skipped: [{ eventId: 'old-alarm', reason: 'alarm prod-spot-interruptions is ALARM: no managed service of prod gives weight to a Spot provider' }],
      },
    ];
    for (const row of rows) {
      it(row.name, () => {
        const alarms: Record<string, AlarmStateValue> = row.loaded === undefined ? {} : { [FALLBACK_ALARM]: row.loaded };
        const plan = decide(row.signals, [clusterWith(inFallback(DUE), alarms)], aPolicy(), T0);
        expect(plan.actions.filter((a) => a.type === 'set-strategy' && a.change === 'restore')).toHaveLength(row.restores ? 1 : 0);
        expect(plan.skipped).toEqual(row.skipped);
      });
    }
  });

  describe('an OK that finds no service in fallback is reported', () => {
    it('names the alarm and the cluster', () => {
      const plan = decide([anAlarmSignal({ state: 'OK', eventId: 'ok' })], [aCluster()], aPolicy(), T0);
      expect(plan).toEqual({ actions: [], skipped: [{ eventId: 'ok', reason: 'alarm prod-spot-interruptions is OK: no service of prod is in fallback' }], warnings: [], drift: [] });
    });

    it('for each cluster of the alarm that has none', () => {
      const policy = aPolicy({ clusters: { prod: aClusterPolicy(), staging: aClusterPolicy() } });
      const plan = decide([anAlarmSignal({ state: 'OK', eventId: 'ok', stateTimestamp: '2024-05-01T11:55:00Z' })], [aCluster({ cluster: 'staging' }), clusterWith(inFallback())], policy, T0);
      expect(plan.actions.map((a) => (a.type === 'set-strategy' ? `${a.cluster}/${a.service}/${a.change}` : a.type))).toEqual(['prod/web/restore']);
      expect(plan.skipped).toEqual([{ eventId: 'ok', reason: 'alarm prod-spot-interruptions is OK: no service of staging is in fallback' }]);
    });

    it('a tick that finds none says nothing', () => {
      expect(decide([aTickSignal()], [aCluster()], aPolicy(), T0).skipped).toEqual([]);
    });
  });

  it('clears the record, with no UpdateService, when the service already runs its baseline', () => {
    const plan = decide([aTickSignal({ eventId: 't' })], [clusterWith(inFallback(DUE, { strategy: aStrategy() }))], aPolicy(), T0);
    expect(plan.actions).toEqual([
      { type: 'clear-record', cluster: 'prod', service: 'web', reason: expect.stringMatching(/web already runs its baseline$/), eventIds: ['t'] },
    ]);
    expect(plan.actions.some((a) => a.type === 'set-strategy')).toBe(false);
  });

  describe('a fallback whose record was kept but whose strategy change did not land', () => {
    const fallback = [
      { capacityProvider: SPOT, base: 0, weight: 0 },
      { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
    ];
    const pending = (since: string) => inFallback(since, { strategy: aStrategy(), applied: fallback });

    it('is left alone by a tick while the restore is not due and every fallback alarm is OK', () => {
      expect(decide([aTickSignal({ eventId: 't' })], [clusterWith(pending(NOT_DUE))], aPolicy(), T0).actions).toEqual([]);
    });

    it('is completed on a tick while the restore is not due and a fallback alarm is ALARM, keeping fallbackSince', () => {
      const plan = decide([aTickSignal({ eventId: 't' })], [clusterWith(pending(NOT_DUE), { [FALLBACK_ALARM]: 'ALARM' })], aPolicy(), T0);
      expect(plan.actions).toEqual([
        expect.objectContaining({ type: 'set-strategy', change: 'fallback', strategy: fallback, baseline: aStrategy(), fallbackSince: NOT_DUE, eventIds: ['t'] }),
      ]);
    });

    it('is completed when its alarm is delivered again', () => {
      const plan = decide([anAlarmSignal({ state: 'ALARM', eventId: 'again' })], [clusterWith(pending(NOT_DUE), { [FALLBACK_ALARM]: 'ALARM' })], aPolicy(), T0);
      expect(plan.actions).toEqual([expect.objectContaining({ type: 'set-strategy', change: 'fallback', strategy: fallback, fallbackSince: NOT_DUE })]);
    });

    it('is only cleared once the restore is due', () => {
      const plan = decide([aTickSignal({ eventId: 't' })], [clusterWith(pending(DUE))], aPolicy(), T0);
      expect(plan.actions.map((a) => a.type)).toEqual(['clear-record']);
    });
  });

  it('skips a baseline that names a provider no longer attached', () => {
    const state = aCluster({
      capacityProviders: [{ name: ON_DEMAND, type: 'EC2_AUTOSCALING' }],
      services: [inFallback(DUE, { strategy: [{ capacityProvider: ON_DEMAND, base: 0, weight: 1 }] })],
    });
    const plan = decide([aTickSignal({ eventId: 't' })], [state], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([{ eventId: 't', reason: 'restore of web in prod is not valid for ECS: provider spot-arm64 is not attached to the cluster' }]);
  });

  it('a tick looks at every managed cluster', () => {
    const policy = aPolicy({ clusters: { prod: aClusterPolicy(), staging: aClusterPolicy() } });
    const plan = decide([aTickSignal({ eventId: 't' })], [aCluster({ cluster: 'staging', services: [inFallback()] }), clusterWith(inFallback())], policy, T0);
    expect(plan.actions.map((a) => (a.type === 'set-strategy' ? `${a.cluster}/${a.service}/${a.change}` : a.type))).toEqual(['prod/web/restore', 'staging/web/restore']);
  });
});

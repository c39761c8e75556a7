import { describe, expect, it } from 'vitest';
import type { AlarmStateValue, ServiceState } from '../model/cluster-state.js';
import type { PlanAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import type { Policy } from '../policy/schema.js';
import { FALLBACK_ALARM, ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy } from '../test-support/builders.js';
import { T0, aPlacementFailureSignal, aTickSignal, anAlarmSignal } from '../test-support/signals.js';
import { decide } from './decide.js';

// T0 is 12:00:00; with minSeconds 600 a fallback recorded at 11:50:00 may be restored now.
const DUE = '2024-05-01T11:50:00Z';
const NOT_DUE = '2024-05-01T11:55:00Z';
const OTHER_ALARM = 'prod-capacity';
const fallback = [
  { capacityProvider: SPOT, base: 0, weight: 0 },
  { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
];
// The record says web is in fallback since `since`; its strategy is still the baseline.
const pending = (since: string): ServiceState => aService({ strategy: aStrategy(), baseline: aStrategy(), fallbackSince: since, applied: fallback });
const twoAlarms = aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { alarms: [FALLBACK_ALARM, OTHER_ALARM], to: ON_DEMAND, minSeconds: 600 } }) } });
const summary = (a: PlanAction): string => (a.type === 'set-strategy' ? `${a.type} ${a.change} [${a.eventIds.join(',')}]` : `${a.type} [${a.eventIds.join(',')}]`);

describe('decide: a recorded fallback that did not land is completed once', () => {
  const rows: { name: string; signals: Signal[]; since: string; alarms: Record<string, AlarmStateValue>; policy?: Policy; actions: string[]; skipped?: { eventId: string; reason: string }[] }[] = [
    {
      name: 'ALARM and a tick in one batch',
      signals: [anAlarmSignal({ eventId: 'alarm' }), aTickSignal({ eventId: 'tick' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'ALARM' },
      actions: ['set-strategy fallback [alarm,tick]'],
    },
    {
      name: 'ALARM on one fallback alarm and OK on the other',
      signals: [anAlarmSignal({ eventId: 'alarm' }), anAlarmSignal({ alarm: OTHER_ALARM, state: 'OK', eventId: 'ok' })],
      since: DUE,
      alarms: { [FALLBACK_ALARM]: 'ALARM', [OTHER_ALARM]: 'ALARM' },
      policy: twoAlarms,
      actions: ['set-strategy fallback [alarm,ok]'],
      skipped: [{ eventId: 'ok', reason: 'restore of web blocked: alarm prod-spot-interruptions is ALARM' }],
    },
    {
      name: 'a placement failure and a tick',
      signals: [aPlacementFailureSignal({ eventId: 'placement' }), aTickSignal({ eventId: 'tick' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'OK' },
      actions: ['set-strategy fallback [placement,tick]'],
    },
    {
      name: 'an OK before the restore is due: an OK never completes a fallback, and the operator is told why',
      signals: [anAlarmSignal({ state: 'OK', eventId: 'ok' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'OK' },
      actions: [],
      skipped: [
        {
          eventId: 'ok',
          reason:
            'the recorded fallback of web in prod did not land and is not completed: no fallback alarm is ALARM (restore of web not due until 2024-05-01T12:05:00.000Z (minSeconds 600))',
        },
        { eventId: 'ok', reason: 'restore of web not due until 2024-05-01T12:05:00.000Z (minSeconds 600)' },
      ],
    },
    {
      name: 'a tick before the restore is due while every fallback alarm is OK: left until the record can be cleared',
      signals: [aTickSignal({ eventId: 'tick' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'OK' },
      actions: [],
    },
    {
      name: 'a tick before the restore is due while a fallback alarm is ALARM: completed',
      signals: [aTickSignal({ eventId: 'tick' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'ALARM' },
      actions: ['set-strategy fallback [tick]'],
    },
    {
      name: 'an ALARM older than the fallback and a tick when the restore is due: the record is cleared, not completed',
      signals: [anAlarmSignal({ eventId: 'old-alarm', stateTimestamp: '2024-05-01T11:49:00Z' }), aTickSignal({ eventId: 'tick' })],
      since: DUE,
      alarms: { [FALLBACK_ALARM]: 'OK' },
      actions: ['clear-record [tick]'],
      skipped: [{ eventId: 'old-alarm', reason: 'fallback of web in prod not completed: its restore is due, so the recorded fallback is cleared instead' }],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = decide(row.signals, [aCluster({ services: [pending(row.since)], alarms: row.alarms })], row.policy ?? aPolicy(), T0);
      expect(plan.actions.map(summary)).toEqual(row.actions);
      expect(plan.skipped).toEqual(row.skipped ?? []);
    });
  }

  // Finding 8 of issue 9: a restore whose UpdateService landed but whose record clear failed
  // looks like "record says fallback, strategy is the baseline"; read as a pending fallback it
  // redeployed onto on-demand with the old fallbackSince, bypassing minSeconds.
  describe('with the record phase (services[].fallbackPhase)', () => {
    const recorded = (phase: 'falling-back' | 'active' | 'restoring'): ServiceState => ({ ...pending(NOT_DUE), fallbackPhase: phase });
    const rows2: { phase: 'falling-back' | 'active' | 'restoring'; signals: Signal[]; actions: string[] }[] = [
      { phase: 'falling-back', signals: [anAlarmSignal({ eventId: 'alarm' })], actions: ['set-strategy fallback [alarm]'] },
      { phase: 'active', signals: [anAlarmSignal({ eventId: 'alarm' })], actions: [] },
      { phase: 'restoring', signals: [anAlarmSignal({ eventId: 'alarm' })], actions: [] },
      { phase: 'restoring', signals: [aTickSignal({ eventId: 'tick' })], actions: ['clear-record [tick]'] },
      { phase: 'active', signals: [aTickSignal({ eventId: 'tick' })], actions: [] },
    ];
    for (const row of rows2) {
      it(`phase ${row.phase}, strategy is the baseline, ${row.signals[0]!.kind} before the restore is due: ${row.actions.join(', ') || 'nothing'}`, () => {
        const plan = decide(row.signals, [aCluster({ services: [recorded(row.phase)], alarms: { [FALLBACK_ALARM]: 'ALARM' } })], aPolicy(), T0);
        expect(plan.actions.map(summary)).toEqual(row.actions);
      });
    }

    it('an ALARM after a landed restore whose record was not cleared is skipped as already in fallback, not completed with the old fallbackSince', () => {
      const plan = decide([anAlarmSignal({ eventId: 'alarm' })], [aCluster({ services: [recorded('restoring')], alarms: { [FALLBACK_ALARM]: 'ALARM' } })], aPolicy(), T0);
      expect(plan.actions).toEqual([]);
      expect(plan.skipped).toEqual([{ eventId: 'alarm', reason: `service web in prod is already in fallback since ${NOT_DUE}` }]);
    });
  });

  it('keeps the first attempt’s fallbackSince and computes the fallback from the baseline', () => {
    const plan = decide([anAlarmSignal({ eventId: 'alarm' }), aTickSignal({ eventId: 'tick' })], [aCluster({ services: [pending(NOT_DUE)], alarms: { [FALLBACK_ALARM]: 'ALARM' } })], aPolicy(), T0);
    expect(plan.actions).toEqual([
      {
        type: 'set-strategy',
        cluster: 'prod',
        service: 'web',
        strategy: fallback,
        baseline: aStrategy(),
        fallbackSince: NOT_DUE,
        change: 'fallback',
        reason: `fallback: alarm prod-spot-interruptions is ALARM (completing the fallback recorded at ${NOT_DUE}, which did not land)`,
        eventIds: ['alarm', 'tick'],
      },
    ]);
  });
});

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
      name: 'an OK before the restore is due: completed, and the operator told why it did not restore',
      signals: [anAlarmSignal({ state: 'OK', eventId: 'ok' })],
      since: NOT_DUE,
      alarms: { [FALLBACK_ALARM]: 'OK' },
      actions: ['set-strategy fallback [ok]'],
      skipped: [{ eventId: 'ok', reason: 'restore of web not due until 2024-05-01T12:05:00.000Z' }],
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

import type { AlarmStateValue } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { AlarmReader } from '../ports.js';
import { chunk } from '../chunks.js';
import { wireDate, type SignedJsonClient } from './signed-request.js';

// DescribeAlarms takes at most 100 AlarmNames per call and pages with NextToken; without
// AlarmTypes it returns metric alarms only, so composite alarms are asked for explicitly.
const ALARM_NAMES_MAX = 100;
const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** An alarm of DescribeAlarms' answer, as far as it is read (timestamps in epoch seconds). */
interface WireAlarm {
  AlarmName?: string;
  StateValue?: string;
  StateTransitionedTimestamp?: unknown;
}
interface DescribeAlarmsOutput {
  MetricAlarms?: WireAlarm[];
  CompositeAlarms?: WireAlarm[];
  NextToken?: string;
}

/** Reads the state of the named alarms (metric and composite); unknown alarms are absent. */
export class CloudWatchAlarmReader implements AlarmReader {
  constructor(protected readonly cloudWatch: SignedJsonClient) {}

  async states(alarmNames: readonly string[]): Promise<Record<string, AlarmStateValue>> {
    const timed = await this.statesWithTimes(alarmNames);
    return Object.fromEntries(Object.entries(timed).map(([name, { state }]) => [name, state]));
  }

  /** The states with StateTransitionedTimestamp (when the state began; StateUpdatedTimestamp also moves on reason updates). */
  async statesWithTimes(alarmNames: readonly string[]): Promise<Record<string, { state: AlarmStateValue; changedAt?: string }>> {
    const states: Record<string, { state: AlarmStateValue; changedAt?: string }> = {};
    for (const names of chunk([...new Set(alarmNames)], ALARM_NAMES_MAX)) {
      let nextToken: string | undefined;
      do {
        const out = await attempt(`reading the state of alarms ${names.join(', ')}`, () =>
          this.cloudWatch.call<DescribeAlarmsOutput>('DescribeAlarms', { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: ALARM_NAMES_MAX, ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
          if (!alarm.AlarmName || !alarm.StateValue || !STATES.has(alarm.StateValue)) continue;
          const changedAt = wireDate(alarm.StateTransitionedTimestamp);
          states[alarm.AlarmName] = { state: alarm.StateValue as AlarmStateValue, ...(changedAt && { changedAt: changedAt.toISOString() }) };
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return states;
  }
}

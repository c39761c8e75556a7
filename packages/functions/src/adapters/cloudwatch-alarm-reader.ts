import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateValue } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { AlarmReader } from '../ports.js';
import { chunk } from '../chunks.js';

// DescribeAlarms takes at most 100 AlarmNames per call and pages with NextToken; without
// AlarmTypes it returns metric alarms only, so composite alarms are asked for explicitly.
const ALARM_NAMES_MAX = 100;
const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** Reads the state of the named alarms (metric and composite); unknown alarms are absent. */
export class CloudWatchAlarmReader implements AlarmReader {
  constructor(private readonly cloudWatch: CloudWatchClient) {}

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
          this.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: ALARM_NAMES_MAX, NextToken: nextToken })),
        );
        for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
          if (!alarm.AlarmName || !alarm.StateValue || !STATES.has(alarm.StateValue)) continue;
          const changedAt = alarm.StateTransitionedTimestamp;
          states[alarm.AlarmName] = {
            state: alarm.StateValue as AlarmStateValue,
            ...(changedAt instanceof Date && !Number.isNaN(changedAt.getTime()) && { changedAt: changedAt.toISOString() }),
          };
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return states;
  }
}

import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmHistoryItem, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateValue, AlarmTransition } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { RolloutAlarmReader } from '../rollout-ports.js';

// DescribeAlarms takes at most 100 AlarmNames; DescribeAlarmHistory takes one AlarmName (or
// none, for every alarm of the account) and up to 100 records per page. Both return metric
// alarms only unless AlarmTypes asks for composite alarms too.
const MAX = 100;
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const;
const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** The alarm states a bake checks, and the StateUpdate history since the bake began. */
export class CloudWatchRolloutAlarmReader implements RolloutAlarmReader {
  constructor(private readonly cloudWatch: CloudWatchClient) {}

  async states(alarmNames: readonly string[]): Promise<Record<string, AlarmStateValue>> {
    const names = [...new Set(alarmNames)];
    const states: Record<string, AlarmStateValue> = {};
    for (let i = 0; i < names.length; i += MAX) {
      const piece = names.slice(i, i + MAX);
      let nextToken: string | undefined;
      do {
        const out = await attempt(`reading the state of alarms ${piece.join(', ')}`, () =>
          this.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: piece, AlarmTypes: [...ALARM_TYPES], MaxRecords: MAX, NextToken: nextToken })),
        );
        for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
          if (alarm.AlarmName && alarm.StateValue && STATES.has(alarm.StateValue)) states[alarm.AlarmName] = alarm.StateValue as AlarmStateValue;
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return states;
  }

  async history(alarmNames: readonly string[], since: Date, until: Date): Promise<AlarmTransition[]> {
    const transitions: AlarmTransition[] = [];
    for (const name of new Set(alarmNames)) {
      let nextToken: string | undefined;
      do {
        const out = await attempt(`reading the history of alarm ${name}`, () =>
          this.cloudWatch.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name,
              AlarmTypes: [...ALARM_TYPES],
              HistoryItemType: 'StateUpdate',
              StartDate: since,
              EndDate: until,
              ScanBy: 'TimestampAscending',
              MaxRecords: MAX,
              NextToken: nextToken,
            }),
          ),
        );
        for (const item of out.AlarmHistoryItems ?? []) {
          const transition = toTransition(item, name);
          if (transition) transitions.push(transition);
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return transitions;
  }
}

/**
 * A StateUpdate item's new state: HistoryData is JSON with `newState.stateValue`; the summary
 * ("Alarm updated from OK to ALARM") is the fallback when the data cannot be read.
 */
function toTransition(item: AlarmHistoryItem, name: string): AlarmTransition | undefined {
  if (!item.Timestamp) return undefined;
  let newState: string | undefined;
  let oldState: string | undefined;
  try {
    const data = JSON.parse(item.HistoryData ?? '') as { newState?: { stateValue?: string }; oldState?: { stateValue?: string } };
    newState = data.newState?.stateValue;
    oldState = data.oldState?.stateValue;
  } catch {
    const match = /from (\w+) to (\w+)/.exec(item.HistorySummary ?? '');
    oldState = match?.[1];
    newState = match?.[2];
  }
  if (!newState || !STATES.has(newState)) return undefined;
  return {
    alarmName: item.AlarmName ?? name,
    timestamp: item.Timestamp.toISOString(),
    newState: newState as AlarmStateValue,
    ...(oldState && STATES.has(oldState) ? { oldState: oldState as AlarmStateValue } : {}),
  };
}

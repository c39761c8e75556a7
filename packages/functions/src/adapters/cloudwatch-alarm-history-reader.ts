import type { AlarmStateValue, AlarmTransition } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { RolloutAlarmReader } from '../rollout-ports.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';
import { wireDate } from './signed-request.js';

// DescribeAlarmHistory takes one AlarmName (or none, for every alarm of the account) and up
// to 100 records per page; it returns metric alarms only unless AlarmTypes asks for
// composite alarms too.
const MAX_RECORDS = 100;
const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** An item of DescribeAlarmHistory's answer, as far as it is read (Timestamp in epoch seconds). */
interface AlarmHistoryItem {
  AlarmName?: string;
  Timestamp?: unknown;
  HistoryData?: string;
  HistorySummary?: string;
}
interface DescribeAlarmHistoryOutput {
  AlarmHistoryItems?: AlarmHistoryItem[];
  NextToken?: string;
}

/**
 * The CloudWatch alarm reader a rollout bake uses: the react and tick functions' reader
 * (states, one implementation) that also reads the StateUpdate history over a window. It is
 * a file of its own so that only the rollout function's import graph, and so its role,
 * reaches cloudwatch:DescribeAlarmHistory (infra/iam-coverage.test.ts).
 */
export class CloudWatchAlarmHistoryReader extends CloudWatchAlarmReader implements RolloutAlarmReader {
  async history(alarmNames: readonly string[], since: Date, until: Date): Promise<AlarmTransition[]> {
    const transitions: AlarmTransition[] = [];
    for (const name of new Set(alarmNames)) {
      let nextToken: string | undefined;
      do {
        const out = await attempt(`reading the history of alarm ${name}`, () =>
          this.cloudWatch.call<DescribeAlarmHistoryOutput>('DescribeAlarmHistory', {
            AlarmName: name,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            HistoryItemType: 'StateUpdate',
            StartDate: since.getTime() / 1000,
            EndDate: until.getTime() / 1000,
            ScanBy: 'TimestampAscending',
            MaxRecords: MAX_RECORDS,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
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
  const timestamp = wireDate(item.Timestamp);
  if (!timestamp) return undefined;
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
    timestamp: timestamp.toISOString(),
    newState: newState as AlarmStateValue,
    ...(oldState && STATES.has(oldState) ? { oldState: oldState as AlarmStateValue } : {}),
  };
}

import { DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateValue, AlarmTransition } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { RolloutAlarmReader } from '../rollout-ports.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';

// DescribeAlarmHistory takes one AlarmName (or none, for every alarm of the account) and up
// to 100 records per page; it returns metric alarms only unless AlarmTypes asks for
// composite alarms too.
const MAX_RECORDS = 100;
const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/**
 * The CloudWatch alarm reader a rollout bake uses: the react and tick functions' reader
 * (states, one implementation) that also reads the StateUpdate history over a window. It is
 * a file of its own so that only the rollout function's import graph, and so its role,
 * reaches cloudwatch:DescribeAlarmHistory (infra/iam-coverage.test.ts).
 */
export class CloudWatchAlarmHistoryReader extends CloudWatchAlarmReader implements RolloutAlarmReader {
  constructor(private readonly client: ConstructorParameters<typeof CloudWatchAlarmReader>[0]) {
    super(client);
  }

  async history(alarmNames: readonly string[], since: Date, until: Date): Promise<AlarmTransition[]> {
    const transitions: AlarmTransition[] = [];
    for (const name of new Set(alarmNames)) {
      let nextToken: string | undefined;
      do {
        const out = await attempt(`reading the history of alarm ${name}`, () =>
          this.client.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              HistoryItemType: 'StateUpdate',
              StartDate: since,
              EndDate: until,
              ScanBy: 'TimestampAscending',
              MaxRecords: MAX_RECORDS,
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

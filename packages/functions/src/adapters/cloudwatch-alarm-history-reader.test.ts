import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { CloudWatchAlarmHistoryReader } from './cloudwatch-alarm-history-reader.js';

const cw = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1' });
const since = new Date('2025-01-01T00:00:00Z');
const until = new Date('2025-01-01T01:00:00Z');

beforeEach(() => cw.reset());

describe('CloudWatchAlarmHistoryReader', () => {
  it('reads StateUpdate history per alarm over the window, page by page', async () => {
    cw.on(DescribeAlarmHistoryCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? {
            AlarmHistoryItems: [
              { AlarmName: 'web-5xx', Timestamp: new Date('2025-01-01T00:20:00Z'), HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: 'not json' },
            ],
          }
        : {
            AlarmHistoryItems: [
              {
                AlarmName: 'web-5xx',
                Timestamp: new Date('2025-01-01T00:10:00Z'),
                HistoryItemType: 'StateUpdate',
                HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }),
              },
            ],
            NextToken: 'next',
          },
    );

    const history = await new CloudWatchAlarmHistoryReader(client).history(['web-5xx'], since, until);

    expect(history).toEqual([
      { alarmName: 'web-5xx', timestamp: '2025-01-01T00:10:00.000Z', oldState: 'OK', newState: 'ALARM' },
      { alarmName: 'web-5xx', timestamp: '2025-01-01T00:20:00.000Z', oldState: 'ALARM', newState: 'OK' },
    ]);
    expect(cw.commandCalls(DescribeAlarmHistoryCommand)[0]!.args[0].input).toMatchObject({
      AlarmName: 'web-5xx',
      HistoryItemType: 'StateUpdate',
      StartDate: since,
      EndDate: until,
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('throttling is retryable and says which alarm', async () => {
    cw.on(DescribeAlarmHistoryCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));

    const failure = await new CloudWatchAlarmHistoryReader(client).history(['web-5xx'], since, until).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as Error).message).toMatch(/^reading the history of alarm web-5xx: /);
  });
});

it('reads states with the react and tick reader it extends (one DescribeAlarms implementation)', async () => {
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }], CompositeAlarms: [{ AlarmName: 'web-health', StateValue: 'ALARM' }] });

  const states = await new CloudWatchAlarmHistoryReader(client).states(['web-5xx', 'web-health', 'gone']);

  expect(states).toEqual({ 'web-5xx': 'OK', 'web-health': 'ALARM' });
});

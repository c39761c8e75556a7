import { CloudWatchClient, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { capturingHandler, RecordingSignedClient, signedClientOn, TEST_CREDENTIALS, wireOf } from '../test-support/signed-clients.js';
import { CloudWatchAlarmHistoryReader } from './cloudwatch-alarm-history-reader.js';
import { CLOUDWATCH_SERVICE } from './signed-request.js';

const cw = new RecordingSignedClient(CLOUDWATCH_SERVICE);
const client = cw;
const epoch = (iso: string): number => Date.parse(iso) / 1000;
const since = new Date('2025-01-01T00:00:00Z');
const until = new Date('2025-01-01T01:00:00Z');

beforeEach(() => cw.reset());

describe('CloudWatchAlarmHistoryReader', () => {
  it('reads StateUpdate history per alarm over the window, page by page', async () => {
    cw.on('DescribeAlarmHistory', (input: { NextToken?: string }) =>
      input.NextToken
        ? {
            AlarmHistoryItems: [
              { AlarmName: 'web-5xx', Timestamp: epoch('2025-01-01T00:20:00Z'), HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: 'not json' },
            ],
          }
        : {
            AlarmHistoryItems: [
              {
                AlarmName: 'web-5xx',
                Timestamp: epoch('2025-01-01T00:10:00Z'),
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
    expect(cw.inputsOf('DescribeAlarmHistory')[0]).toMatchObject({
      AlarmName: 'web-5xx',
      HistoryItemType: 'StateUpdate',
      StartDate: epoch('2025-01-01T00:00:00Z'),
      EndDate: epoch('2025-01-01T01:00:00Z'),
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('throttling is retryable and says which alarm', async () => {
    cw.on('DescribeAlarmHistory', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));

    const failure = await new CloudWatchAlarmHistoryReader(client).history(['web-5xx'], since, until).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as Error).message).toMatch(/^reading the history of alarm web-5xx: /);
  });

  it('sends what client-cloudwatch sends for the same window', async () => {
    const ours = capturingHandler({ status: 200, body: { AlarmHistoryItems: [] } });
    const oracle = capturingHandler({ status: 200, body: { AlarmHistoryItems: [] } });
    const sdk = new CloudWatchClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: oracle.handler as never });

    await new CloudWatchAlarmHistoryReader(signedClientOn(CLOUDWATCH_SERVICE, ours.handler)).history(['web-5xx'], since, until);
    await sdk.send(new DescribeAlarmHistoryCommand({ AlarmName: 'web-5xx', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], HistoryItemType: 'StateUpdate', StartDate: since, EndDate: until, ScanBy: 'TimestampAscending', MaxRecords: 100 }));

    expect(wireOf(ours.requests[0])).toEqual(wireOf(oracle.requests[0]));
  });
});

it('reads states with the react and tick reader it extends (one DescribeAlarms implementation)', async () => {
  cw.on('DescribeAlarms', { MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }], CompositeAlarms: [{ AlarmName: 'web-health', StateValue: 'ALARM' }] });

  const states = await new CloudWatchAlarmHistoryReader(client).states(['web-5xx', 'web-health', 'gone']);

  expect(states).toEqual({ 'web-5xx': 'OK', 'web-health': 'ALARM' });
});

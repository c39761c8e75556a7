import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';

const cloudWatch = mockClient(CloudWatchClient);
const reader = new CloudWatchAlarmReader(new CloudWatchClient({ region: 'us-east-1' }));

beforeEach(() => cloudWatch.reset());

describe('CloudWatchAlarmReader', () => {
  it('reads metric and composite alarm states across pages; unknown alarms are absent', async () => {
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'spot', StateValue: 'ALARM' }], NextToken: 'n2' })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'capacity', StateValue: 'OK' }] });

    const states = await reader.states(['spot', 'capacity', 'gone']);

    expect(states).toEqual({ spot: 'ALARM', capacity: 'OK' });
    const inputs = cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({ AlarmNames: ['spot', 'capacity', 'gone'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(inputs[1]?.NextToken).toBe('n2');
  });

  it('asks for at most 100 names per call', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({});

    await reader.states(Array.from({ length: 150 }, (_, i) => `alarm-${i}`));

    expect(cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([100, 50]);
  });

  it('classifies throttling as retryable', async () => {
    cloudWatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));

    await expect(reader.states(['spot'])).rejects.toBeInstanceOf(RetryableError);
  });
});

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { capturingHandler, RecordingSignedClient, signedClientOn, TEST_CREDENTIALS, wireOf } from '../test-support/signed-clients.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';
import { CLOUDWATCH_SERVICE } from './signed-request.js';

const cloudWatch = new RecordingSignedClient(CLOUDWATCH_SERVICE);
const reader = new CloudWatchAlarmReader(cloudWatch);

beforeEach(() => cloudWatch.reset());

describe('CloudWatchAlarmReader', () => {
  it('reads metric and composite alarm states across pages; unknown alarms are absent', async () => {
    cloudWatch.on('DescribeAlarms', { MetricAlarms: [{ AlarmName: 'spot', StateValue: 'ALARM' }], NextToken: 'n2' }, { CompositeAlarms: [{ AlarmName: 'capacity', StateValue: 'OK' }] });

    const states = await reader.states(['spot', 'capacity', 'gone']);

    expect(states).toEqual({ spot: 'ALARM', capacity: 'OK' });
    const inputs = cloudWatch.inputsOf('DescribeAlarms');
    expect(inputs[0]).toEqual({ AlarmNames: ['spot', 'capacity', 'gone'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 });
    expect(inputs[1]?.NextToken).toBe('n2');
  });

  it('reads when a state began from StateTransitionedTimestamp, in epoch seconds on the wire', async () => {
    cloudWatch.on('DescribeAlarms', { MetricAlarms: [{ AlarmName: 'spot', StateValue: 'OK', StateTransitionedTimestamp: 1_704_067_200.5 }, { AlarmName: 'other', StateValue: 'OK', StateTransitionedTimestamp: 'never' }] });

    expect(await reader.statesWithTimes(['spot', 'other'])).toEqual({ spot: { state: 'OK', changedAt: '2024-01-01T00:00:00.500Z' }, other: { state: 'OK' } });
  });

  it('asks for at most 100 names per call', async () => {
    cloudWatch.on('DescribeAlarms', {});

    await reader.states(Array.from({ length: 150 }, (_, i) => `alarm-${i}`));

    expect(cloudWatch.inputsOf('DescribeAlarms').map((i) => i.AlarmNames.length)).toEqual([100, 50]);
  });

  it('classifies throttling as retryable', async () => {
    cloudWatch.on('DescribeAlarms', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));

    await expect(reader.states(['spot'])).rejects.toBeInstanceOf(RetryableError);
  });

  it('sends what client-cloudwatch sends, and reads its answer as the SDK does', async () => {
    // Prepare
    const answer = { status: 200, body: { MetricAlarms: [{ AlarmName: 'spot', StateValue: 'ALARM', StateTransitionedTimestamp: 1_704_067_200 }] } };
    const ours = capturingHandler(answer);
    const oracle = capturingHandler(answer);
    const sdk = new CloudWatchClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: oracle.handler as never });

    // Act
    const states = await new CloudWatchAlarmReader(signedClientOn(CLOUDWATCH_SERVICE, ours.handler)).statesWithTimes(['spot']);
    const sdkOut = await sdk.send(new DescribeAlarmsCommand({ AlarmNames: ['spot'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 }));

    // Assess
    expect(wireOf(ours.requests[0])).toEqual(wireOf(oracle.requests[0]));
    expect(wireOf(ours.requests[0])).toMatchObject({ host: 'monitoring.us-east-1.amazonaws.com', target: 'GraniteServiceVersion20100801.DescribeAlarms', type: 'application/x-amz-json-1.0', scope: 'us-east-1/monitoring/aws4_request' });
    expect(states['spot']?.changedAt).toBe(sdkOut.MetricAlarms?.[0]?.StateTransitionedTimestamp?.toISOString());
  });
});

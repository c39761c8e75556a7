import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../model/simulation.js';
import { aCluster } from '../test-support/builders.js';
import { startSimServer, type SimServer } from './server.js';

let server: SimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(alarms: Record<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'> = { 'prod-spot-interruptions': 'OK' }): Promise<{ sim: Simulation; cw: CloudWatchClient }> {
  const sim = createSimulation({ clusters: [aCluster({ alarms })] });
  server = await startSimServer(sim);
  const cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return { sim, cw };
}

describe('CloudWatch over the wire (JSON 1.0, query-compatible)', () => {
  it('describes alarms by name with their current state', async () => {
    const { sim, cw } = await start({ 'prod-spot-interruptions': 'OK', other: 'INSUFFICIENT_DATA' });
    sim.advance(60);
    sim.setAlarm('prod-spot-interruptions', 'ALARM', 'Threshold Crossed');
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['prod-spot-interruptions', 'missing'] }));
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'prod-spot-interruptions',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:prod-spot-interruptions',
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed',
      StateUpdatedTimestamp: new Date('2025-01-01T00:01:00Z'),
    });
  });

  it('paginates DescribeAlarms and rejects a bad token with InvalidNextToken', async () => {
    const { cw } = await start(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`alarm-${i}`, 'OK' as const])));
    const names: string[] = [];
    for await (const page of paginateDescribeAlarms({ client: cw, pageSize: 3 }, {})) names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ''));
    expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `alarm-${i}`));
    const error = await cw.send(new DescribeAlarmsCommand({ NextToken: 'bogus' })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidNextToken' });
  });

  it('returns StateUpdate history inside the date window, newest first', async () => {
    // Prepare
    const { sim, cw } = await start();
    sim.advance(60);
    sim.setAlarm('prod-spot-interruptions', 'ALARM');
    sim.advance(600);
    sim.setAlarm('prod-spot-interruptions', 'OK');
    sim.advance(600);
    sim.setAlarm('prod-spot-interruptions', 'ALARM');

    // Act
    const out = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'prod-spot-interruptions',
        HistoryItemType: 'StateUpdate',
        StartDate: new Date('2025-01-01T00:05:00Z'),
        EndDate: new Date('2025-01-01T01:00:00Z'),
      }),
    );
    const config = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'prod-spot-interruptions', HistoryItemType: 'ConfigurationUpdate' }));

    // Assess
    expect(out.AlarmHistoryItems?.map((h) => [h.Timestamp?.toISOString(), h.HistorySummary])).toEqual([
      ['2025-01-01T00:21:00.000Z', 'Alarm updated from OK to ALARM'],
      ['2025-01-01T00:11:00.000Z', 'Alarm updated from ALARM to OK'],
    ]);
    expect(JSON.parse(out.AlarmHistoryItems?.[0]?.HistoryData ?? '{}')).toMatchObject({ newState: { stateValue: 'ALARM' }, oldState: { stateValue: 'OK' } });
    expect(config.AlarmHistoryItems).toEqual([]);
  });
});

// The live path end to end: events travel through fauxqs to the real react handler, whose
// real adapters call the ECS simulator over the AWS JSON 1.1 wire protocol.
import { describe, expect, it } from 'vitest';
import { loadEvent, run, sampleWorld } from './support/scenarios.js';

const at = (seconds: number, event: unknown) => ({ at: seconds, event });

// The alarm sample as the world would send it: its state changed at the moment it is sent (the
// sample's own 2019 timestamp predates the world's OK, read from CloudWatch, so it is stale).
const alarmSample = (seconds: number) => {
  const event = loadEvent('cloudwatch-alarm-state-change');
  const when = new Date(Date.parse('2026-01-05T09:00:00Z') + seconds * 1000).toISOString();
  event.time = when;
  (event.detail as { state: { timestamp: string } }).state.timestamp = when.replace('Z', '+0000');
  return at(seconds, event);
};

describe('each sample event leads to the right ECS calls', () => {
  it.each([
    ['ec2-spot-instance-interruption-warning', 'i-0b662ef9931388ba0'],
    ['ec2-instance-rebalance-recommendation', 'i-0b662ef9931388ba0'],
    ['ec2-instance-state-change-stopping', 'i-abcd1111'],
    ['aws-health-ec2-scheduled-change', 'i-12345678'],
  ])('%s drains %s and nothing else', async (name, instance) => {
    // Act
    const result = await run(sampleWorld({ timeline: [at(5, loadEvent(name))] }));
    // Assess
    expect(result.report.drains.map((d) => d.ec2InstanceId)).toEqual([instance]);
    expect(result.report.apiCalls.UpdateContainerInstancesState).toBe(1);
    expect(result.report.apiCalls.UpdateService).toBeUndefined();
    expect(result.queue).toMatchObject({ remaining: 0, dlq: 0 });
  });

  it('the alarm sample falls back every managed service of the cluster that uses Spot', async () => {
    const result = await run(sampleWorld({ timeline: [alarmSample(5)] }));
    expect(result.report.strategyChanges.map((c) => `${c.cluster}/${c.service}`)).toEqual(['prod/web']);
    expect(result.report.strategies['prod/web']).toEqual([
      { capacityProvider: 'spot-arm64', base: 0, weight: 0 },
      { capacityProvider: 'od-arm64', base: 2, weight: 4 },
    ]);
    expect(result.report.drains).toEqual([]);
  });

  it('the placement-failure sample falls back the Fargate Spot service it names onto FARGATE', async () => {
    const result = await run(sampleWorld({ timeline: [at(5, loadEvent('ecs-service-action-placement-failure'))] }));
    expect(result.report.strategies['default/servicetest']).toEqual([
      { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 0 },
      { capacityProvider: 'FARGATE', base: 1, weight: 5 },
    ]);
  });

  it('the task state change sample (RUNNING) changes nothing and is acknowledged', async () => {
    const result = await run(sampleWorld({ timeline: [at(5, loadEvent('ecs-task-state-change'))] }));
    expect(result.report.drains).toEqual([]);
    expect(result.report.strategyChanges).toEqual([]);
    expect(result.queue).toMatchObject({ remaining: 0, dlq: 0, retried: 0 });
  });
});

describe('at-least-once delivery', () => {
  it('a duplicate Spot warning drains once', async () => {
    const warning = loadEvent('ec2-spot-instance-interruption-warning');
    const result = await run(sampleWorld({ timeline: [at(5, warning), at(5, structuredClone(warning)), at(20, structuredClone(warning))] }));
    expect(result.report.drains).toHaveLength(1);
    expect(result.report.apiCalls.UpdateContainerInstancesState).toBe(1);
  });

  it('a duplicate alarm changes the strategy once', async () => {
    const alarm = alarmSample(5);
    const result = await run(sampleWorld({ timeline: [alarm, at(30, structuredClone(alarm.event))] }));
    expect(result.report.strategyChanges).toHaveLength(1);
    expect(result.report.apiCalls.UpdateService).toBe(1);
  });
});

describe('bad input loses nothing', () => {
  it('a poison record is quarantined in the DLQ with its error while the rest of its batch succeeds', async () => {
    // Prepare
    const poison = loadEvent('ec2-spot-instance-interruption-warning');
    poison.id = 'poison-1';
    delete (poison.detail as Record<string, unknown>)['instance-id'];
    const good = loadEvent('ec2-instance-rebalance-recommendation');
    // Act
    const result = await run(sampleWorld({ timeline: [at(5, poison), at(5, good)] }));
    // Assess
    expect(result.report.drains.map((d) => d.ec2InstanceId)).toEqual(['i-0b662ef9931388ba0']);
    expect(result.queue).toMatchObject({ remaining: 0, dlq: 1 });
    const [quarantined] = result.dlqMessages;
    expect(JSON.parse(quarantined!.body)).toMatchObject({ id: 'poison-1' });
    expect(Object.values(quarantined!.attributes).join(' ')).toMatch(/detail\.instance-id/);
  });

  it('a record that failed for a passing reason (throttling) is retried until it succeeds', async () => {
    // Prepare: one service-write token, refilled every 5 s: the writer needs three (tag, untag, update).
    const scenario = sampleWorld({ timeline: [alarmSample(5)], durationSeconds: 400 });
    const throttled = { ...scenario, throttling: { 'service-write': { burst: 1, perSecond: 0.2 } } };
    // Act
    const result = await run(throttled);
    // Assess
    expect(result.report.throttled).toBeGreaterThan(0);
    expect(result.report.strategies['prod/web']?.find((s) => s.capacityProvider === 'od-arm64')?.weight).toBe(4);
    expect(result.queue).toMatchObject({ remaining: 0, dlq: 0 });
  });
});

describe('dryRun', () => {
  it('decides and reports everything, changes nothing', async () => {
    const scenario = sampleWorld({
      timeline: [at(5, loadEvent('ec2-spot-instance-interruption-warning')), at(5, loadEvent('cloudwatch-alarm-state-change'))],
    });
    const result = await run({ ...scenario, policy: { ...scenario.policy, dryRun: true } });
    expect(result.report.drains).toEqual([]);
    expect(result.report.strategyChanges).toEqual([]);
    expect(result.report.apiCalls.UpdateContainerInstancesState).toBeUndefined();
    expect(result.report.apiCalls.UpdateService).toBeUndefined();
    expect(result.report.decisionEvents).toBeGreaterThan(0);
  });
});

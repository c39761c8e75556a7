// AWS Health scheduled changes stop EC2 instances at their startTime (EC2 User Guide,
// "Scheduled events for your instances", "Instance retirement"; sources: packages/sim/README.md).
import { describe, expect, it } from 'vitest';
import { aCluster, aService, fixtureEvent, instances } from '../test-support/builders.js';
import type { EventBridgeEvent } from './events.js';
import { createSimulation } from './simulation.js';

function setup() {
  const sim = createSimulation({
    clusters: [aCluster({ services: [aService({ desiredCount: 4, runningCount: 4, strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }] })], containerInstances: instances('prod', 'od', 2) })],
  });
  const [first] = [...sim.cluster('prod').instances.values()].filter((i) => sim.instanceCounts(i).running > 0);
  return { sim, inst: first! };
}

function healthEvent(ec2InstanceId: string, eventTypeCode: string, startsInSeconds: number, now: string): EventBridgeEvent {
  const sample = fixtureEvent('aws-health-ec2-scheduled-change') as unknown as EventBridgeEvent<Record<string, unknown>>;
  const startTime = new Date(Date.parse(now) + startsInSeconds * 1000).toUTCString();
  return { ...sample, resources: [ec2InstanceId], detail: { ...sample.detail, eventTypeCode, startTime, affectedEntities: [{ entityValue: ec2InstanceId }] } };
}

describe('AWS Health scheduled changes', () => {
  it('stops a retiring instance at its startTime: RUNNING tasks on it are lost, EC2 says stopping then stopped, the group replaces it', () => {
    const { sim, inst } = setup();
    const running = sim.instanceCounts(inst).running;
    expect(sim.putAwsEvent(healthEvent(inst.ec2InstanceId, 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', 3600, sim.now()))).toEqual([inst.ec2InstanceId]);
    sim.advance(3590);
    expect(inst.status).toBe('ACTIVE');
    expect(sim.report().tasksLost.total).toBe(0);
    sim.advance(60);
    expect(inst.status).toBe('INACTIVE');
    expect(sim.report().tasksLost.total).toBe(running);
    const states = sim.events.items
      .filter((e) => e['detail-type'] === 'EC2 Instance State-change Notification' && e.detail['instance-id'] === inst.ec2InstanceId)
      .map((e) => e.detail.state);
    expect(states).toEqual(['stopping', 'stopped']);
    sim.advance(600);
    const active = [...sim.cluster('prod').instances.values()].filter((i) => i.status === 'ACTIVE');
    expect(active).toHaveLength(2);
  });

  it('loses nothing when the instance was drained and emptied before the startTime', () => {
    const { sim, inst } = setup();
    sim.putAwsEvent(healthEvent(inst.ec2InstanceId, 'AWS_EC2_INSTANCE_STOP_SCHEDULED', 3600, sim.now()));
    sim.updateContainerInstancesState('prod', [inst.arn], 'DRAINING');
    sim.advance(3700);
    expect(inst.status).toBe('INACTIVE');
    expect(sim.report().tasksLost.total).toBe(0);
  });

  it('does not stop an instance for a change that stops nothing (network maintenance) or for an unknown instance', () => {
    const { sim, inst } = setup();
    expect(sim.putAwsEvent(healthEvent(inst.ec2InstanceId, 'AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED', 60, sim.now()))).toEqual([]);
    expect(sim.putAwsEvent(healthEvent('i-0000000000000000f', 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', 60, sim.now()))).toEqual([]);
    sim.advance(600);
    expect(inst.status).toBe('ACTIVE');
    expect(sim.events.items.filter((e) => e.source === 'aws.health')).toHaveLength(2);
  });

  it('refuses a stopping change whose startTime is not a date, naming the event', () => {
    const { sim, inst } = setup();
    const event = healthEvent(inst.ec2InstanceId, 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', 60, sim.now());
    expect(() => sim.putAwsEvent({ ...event, detail: { ...event.detail, startTime: 'soon' } })).toThrow(/detail\.startTime is not a date: soon/);
  });
});

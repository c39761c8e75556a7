import { describe, expect, it } from 'vitest';
import { eventRegistry, findEventParser } from './registry.js';

describe('eventRegistry', () => {
  it('has one entry per (source, detail-type)', () => {
    const keys = eventRegistry.map((e) => `${e.source} / ${e.detailType}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists every event kind the rebalancer reads', () => {
    expect(eventRegistry.map((e) => [e.source, e.detailType])).toEqual([
      ['aws.ec2', 'EC2 Spot Instance Interruption Warning'],
      ['aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
      ['aws.ec2', 'EC2 Interruptible Capacity Reservation Instance Interruption Warning'],
      ['aws.ec2', 'EC2 Instance Rebalance Recommendation'],
      ['aws.ec2', 'EC2 Instance State-change Notification'],
      ['aws.health', 'AWS Health Event'],
      ['aws.cloudwatch', 'CloudWatch Alarm State Change'],
      ['aws.ecs', 'ECS Task State Change'],
      ['aws.ecs', 'ECS Service Action'],
      ['aws.events', 'Scheduled Event'],
      ['aws.autoscaling', 'EC2 Instance Launch Unsuccessful'],
    ]);
  });

  it('finds a parser by the exact pair and nothing otherwise', () => {
    for (const entry of eventRegistry) expect(findEventParser(entry.source, entry.detailType)).toBe(entry.parse);
    expect(findEventParser('aws.ec2', 'EC2 Spot Instance Interruption Warning ')).toBeUndefined();
    expect(findEventParser('aws.ecs', 'EC2 Spot Instance Interruption Warning')).toBeUndefined();
  });
});

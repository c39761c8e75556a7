import { describe, expect, it } from 'vitest';
import { NO_SPOT_CAPACITY, aCapacityReservationWarning, aLaunchFailure, anInstanceStateChange, malformedPath } from '../test-support/events.js';
import { isSpotShortageMessage } from './instance-launch-unsuccessful.js';
import { parseEvent } from './parse.js';

describe('EC2 Instance Launch Unsuccessful', () => {
  it('reads a Spot shortage into a spot-capacity-shortage signal with the group, message and zone', () => {
    // Prepare
    const event = aLaunchFailure({ group: 'spot-arm64-asg', message: NO_SPOT_CAPACITY });
    // Act
    const signals = parseEvent(event);
    // Assess
    expect(signals).toEqual([
      {
        kind: 'spot-capacity-shortage',
        eventId: '12345678-1234-1234-1234-123456789012',
        time: '1970-01-01T00:00:00Z',
        region: 'us-west-2',
        account: '123456789012',
        autoScalingGroup: 'spot-arm64-asg',
        statusMessage: NO_SPOT_CAPACITY,
        availabilityZone: 'us-west-2b',
      },
    ]);
  });

  it.each([
    ['no Spot capacity', NO_SPOT_CAPACITY],
    ['insufficient capacity', 'We currently do not have sufficient m7g.large capacity in the Availability Zone you requested (us-east-1b). Our system will be working on provisioning additional capacity.'],
    ['InsufficientInstanceCapacity', 'InsufficientInstanceCapacity: Insufficient capacity. Launching EC2 instance failed.'],
    ['a Spot price too low', 'Your Spot request price of 0.001 is lower than the minimum required Spot request fulfillment price of 0.0035.'],
    ['the Spot instance count limit', 'Max spot instance count exceeded. Launching EC2 instance failed.'],
  ])('takes %s for a Spot shortage', (_name, message) => {
    expect(isSpotShortageMessage(message)).toBe(true);
    expect(parseEvent(aLaunchFailure({ message }))[0]).toMatchObject({ kind: 'spot-capacity-shortage' });
  });

  it.each([
    ['the sample placeholder', 'message-text'],
    ['a launch template problem', 'The specified launch template, with template ID lt-0123, does not exist. Launching EC2 instance failed.'],
    ['a vCPU quota', 'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.'],
  ])('ignores %s with its message', (_name, message) => {
    const [signal] = parseEvent(aLaunchFailure({ message }));
    expect(signal).toMatchObject({ kind: 'ignored', reason: `launch failure in Auto Scaling group my-auto-scaling-group is not a Spot capacity shortage: ${message}` });
  });

  it.each([
    ['AutoScalingGroupName missing', (e: Record<string, any>) => delete e['detail']['AutoScalingGroupName'], 'detail.AutoScalingGroupName'],
    ['StatusMessage missing', (e: Record<string, any>) => delete e['detail']['StatusMessage'], 'detail.StatusMessage'],
    ['StatusMessage not a string', (e: Record<string, any>) => (e['detail']['StatusMessage'] = 7), 'detail.StatusMessage'],
  ])('rejects an event with %s at its path', (_name, change, path) => {
    const event = aLaunchFailure({ message: NO_SPOT_CAPACITY });
    change(event);
    expect(malformedPath(() => parseEvent(event))).toBe(path);
  });
});

describe('events AWS documents in more than one form', () => {
  it('reads the interruptible Capacity Reservation warning under both detail-types', () => {
    const older = aCapacityReservationWarning();
    const newer = aCapacityReservationWarning();
    newer['detail-type'] = 'EC2 Interruptible Capacity Reservation Instance Interruption Warning';
    expect(parseEvent(newer)).toEqual(parseEvent(older));
    expect(parseEvent(newer)[0]).toMatchObject({ kind: 'capacity-reservation-interruption', ec2InstanceId: 'i-0b662ef9931388ba0' });
  });

  it('reads an event without `version` (the EC2 state-change sample of the EC2 guide has none)', () => {
    const event = anInstanceStateChange({ state: 'terminated' });
    delete event['version'];
    expect(parseEvent(event)).toMatchObject([{ kind: 'instance-state', state: 'terminated' }]);
  });
});

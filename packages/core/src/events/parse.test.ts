import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../errors.js';
import type { Signal } from '../model/index.js';
import { aRebalanceRecommendation, aSpotWarning, anAlarmAction, malformedPath } from '../test-support/events.js';
import { eventFixtureNames, loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent, parseEvents } from './parse.js';

describe('parseEvent on every sample in fixtures/events', () => {
  const expected: Record<string, Signal[]> = {
    // The AWS sample's StatusMessage is a placeholder: not a Spot shortage (the Spot variants are in instance-launch-unsuccessful.test.ts).
    'autoscaling-ec2-instance-launch-unsuccessful': [
      {
        kind: 'ignored',
        eventId: '12345678-1234-1234-1234-123456789012',
        time: '1970-01-01T00:00:00Z',
        region: 'us-west-2',
        account: '123456789012',
        source: 'aws.autoscaling',
        detailType: 'EC2 Instance Launch Unsuccessful',
        reason: 'launch failure in Auto Scaling group my-auto-scaling-group is not a Spot capacity shortage: message-text',
      },
    ],
    'aws-health-ec2-scheduled-change': [
      {
        kind: 'scheduled-change',
        eventId: '7fb65329-1628-4cf3-a740-95fg457h1402',
        time: '2016-06-05T06:27:57Z',
        region: 'us-east-1',
        account: 'account id',
        ec2InstanceId: 'i-12345678',
        eventTypeCode: 'AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED',
        startTime: '2016-06-05T15:10:09.000Z',
      },
    ],
    'cloudwatch-alarm-state-change': [
      {
        kind: 'alarm',
        eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
        time: '2019-10-02T17:04:40Z',
        region: 'us-east-1',
        account: '123456789012',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
        alarmName: 'ServerCpuTooHigh',
        state: 'ALARM',
        previousState: 'OK',
        stateTimestamp: '2019-10-02T17:04:40.989Z',
        alarmKind: 'metric',
      },
    ],
    'ec2-instance-rebalance-recommendation': [
      {
        kind: 'rebalance-recommendation',
        eventId: '5d5555d5-dd55-5555-5555-5555dd55d55d',
        time: '2020-10-26T14:14:14Z',
        region: 'us-east-1',
        account: '123456789012',
        ec2InstanceId: 'i-0b662ef9931388ba0',
      },
    ],
    'ec2-instance-state-change-stopping': [
      {
        kind: 'instance-state',
        eventId: '7bf73129-1428-4cd3-a780-95db273d1602',
        time: '2015-11-11T21:29:54Z',
        region: 'us-east-1',
        account: '123456789012',
        ec2InstanceId: 'i-abcd1111',
        state: 'stopping',
      },
    ],
    'ec2-spot-instance-interruption-warning': [
      {
        kind: 'spot-interruption',
        eventId: '1e5527d7-bb36-4607-3370-4164db56a40e',
        time: '1970-01-01T00:00:00Z',
        region: 'us-east-1',
        account: '123456789012',
        ec2InstanceId: 'i-0b662ef9931388ba0',
        instanceAction: 'terminate',
      },
    ],
    'ecs-service-action-placement-failure': [
      {
        kind: 'placement-failure',
        eventId: 'ddca6449-b258-46c0-8653-e0e3a6d0468b',
        time: '2019-11-19T19:55:38Z',
        region: 'us-west-2',
        account: '111122223333',
        cluster: 'default',
        service: 'servicetest',
        capacityProviders: ['FARGATE_SPOT'],
        reason: 'RESOURCE:FARGATE',
      },
    ],
    'ecs-task-state-change': [
      {
        kind: 'ignored',
        eventId: '3317b2af-7005-947d-b652-f55e762e571a',
        time: '2020-01-23T17:57:58Z',
        region: 'us-west-2',
        account: '111122223333',
        source: 'aws.ecs',
        detailType: 'ECS Task State Change',
        reason: 'task state change has no stopCode: not a Fargate Spot interruption',
      },
    ],
  };

  it('has an expectation for every sample file, and a sample for every expectation', () => {
    expect(eventFixtureNames()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, signals] of Object.entries(expected)) {
    it(`${name} parses to its signals`, () => {
      expect(parseEvent(loadEvent(name))).toEqual(signals);
    });
  }
});

describe('parseEvent on the envelope', () => {
  it('ignores an event of a source and detail-type it has no parser for', () => {
    const event = loadEvent('ec2-spot-instance-interruption-warning');
    event['source'] = 'aws.s3';
    event['detail-type'] = 'Object Created';
    event['detail'] = { bucket: { name: 'b' } };

    expect(parseEvent(event)).toEqual([
      {
        kind: 'ignored',
        eventId: '1e5527d7-bb36-4607-3370-4164db56a40e',
        time: '1970-01-01T00:00:00Z',
        region: 'us-east-1',
        account: '123456789012',
        source: 'aws.s3',
        detailType: 'Object Created',
        reason: 'no parser for source aws.s3, detail-type Object Created',
      },
    ]);
  });

  it('ignores a known detail-type from another source', () => {
    const event = aSpotWarning();
    event['source'] = 'com.example.chaos';
    expect(parseEvent(event).map((s) => s.kind)).toEqual(['ignored']);
  });

  it('keeps fields it does not know (AWS adds fields)', () => {
    const event = aSpotWarning();
    event['replay-name'] = 'replay_archive';
    event['detail']['instance-termination-time'] = '1970-01-01T00:02:00Z';
    expect(parseEvent(event).map((s) => s.kind)).toEqual(['spot-interruption']);
  });

  it('carries no region or account when the event has none', () => {
    const event = aSpotWarning();
    delete event['region'];
    delete event['account'];
    const [signal] = parseEvent(event);
    expect(signal).not.toHaveProperty('region');
    expect(signal).not.toHaveProperty('account');
  });

  it('normalises a +0000 event time to Z', () => {
    const event = aSpotWarning({ time: '2024-05-01T10:00:00.000+0000' });
    expect(parseEvent(event)[0]?.time).toBe('2024-05-01T10:00:00.000Z');
  });

  const malformed: { name: string; change: (e: Record<string, unknown>) => void; path: string }[] = [
    { name: 'version not a string', change: (e) => (e['version'] = 0), path: 'version' },
    { name: 'id missing', change: (e) => delete e['id'], path: 'id' },
    { name: 'id empty', change: (e) => (e['id'] = ''), path: 'id' },
    { name: 'detail-type missing', change: (e) => delete e['detail-type'], path: 'detail-type' },
    { name: 'source missing', change: (e) => delete e['source'], path: 'source' },
    { name: 'account not a string', change: (e) => (e['account'] = 123456789012), path: 'account' },
    { name: 'time missing', change: (e) => delete e['time'], path: 'time' },
    { name: 'time not ISO', change: (e) => (e['time'] = 'yesterday'), path: 'time' },
    { name: 'region empty', change: (e) => (e['region'] = ''), path: 'region' },
    { name: 'resources neither a list nor a string', change: (e) => (e['resources'] = { arn: 'arn:aws:ec2:…' }), path: 'resources' },
    { name: 'a resource not a string', change: (e) => (e['resources'] = [7]), path: 'resources[0]' },
    { name: 'detail missing', change: (e) => delete e['detail'], path: 'detail' },
    { name: 'detail an array', change: (e) => (e['detail'] = []), path: 'detail' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects an event with ${name} at path "${path}"`, () => {
      const event = aSpotWarning();
      change(event);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }

  it('rejects a value that is not an object, with an empty path and a MalformedEventError', () => {
    for (const raw of [null, 42, 'event', [aSpotWarning()]]) {
      expect(() => parseEvent(raw)).toThrow(MalformedEventError);
      expect(malformedPath(() => parseEvent(raw))).toBe('');
    }
  });

  it('names the path in the message, for the one line the user sees', () => {
    const event = aSpotWarning();
    delete event['detail']['instance-id'];
    expect(() => parseEvent(event)).toThrow('detail.instance-id: required: expected a string');
  });
});

describe('parseEvents', () => {
  it('accepts one event as well as an array', () => {
    expect(parseEvents(aSpotWarning())).toEqual(parseEvent(aSpotWarning()));
  });

  it('returns the signals of every event in order', () => {
    const signals = parseEvents([
      aSpotWarning({ id: 'a', instanceId: 'i-0000000000000000a' }),
      loadEvent('ecs-task-state-change'),
      aRebalanceRecommendation({ id: 'c', instanceId: 'i-0000000000000000c' }),
      anAlarmAction(),
    ]);
    expect(signals.map((s) => [s.kind, s.eventId])).toEqual([
      ['spot-interruption', 'a'],
      ['ignored', '3317b2af-7005-947d-b652-f55e762e571a'],
      ['rebalance-recommendation', 'c'],
      ['alarm', 'arn:aws:cloudwatch:us-east-1:444455556666:alarm:lambda-demo-metric-alarm@2023-08-04T12:36:15.490+0000'],
    ]);
  });

  it('returns nothing for an empty array', () => {
    expect(parseEvents([])).toEqual([]);
  });

  it('names the index of the malformed event in the path and the message', () => {
    const events = [aSpotWarning(), aSpotWarning(), aSpotWarning(), aSpotWarning()];
    delete events[3]!['detail']['instance-id'];

    expect(malformedPath(() => parseEvents(events))).toBe('[3].detail.instance-id');
    expect(() => parseEvents(events)).toThrow('[3].detail.instance-id: required: expected a string');
  });

  it('names the index alone when the element is not an object, and keeps the cause', () => {
    let thrown: unknown;
    try {
      parseEvents([aSpotWarning(), 'not an event']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MalformedEventError);
    expect((thrown as MalformedEventError).path).toBe('[1]');
    expect((thrown as MalformedEventError).cause).toBeInstanceOf(MalformedEventError);
  });

  it('keeps an array index inside the event after the event index', () => {
    const event = aSpotWarning();
    event['resources'] = [7];
    expect(malformedPath(() => parseEvents([event]))).toBe('[0].resources[0]');
  });
});

describe('parseEvent envelope leniency', () => {
  it('accepts `resources` as a bare string (as one AWS sample shows it) and reads it as a list', () => {
    // Prepare
    const event = { ...(loadEvent('ec2-spot-instance-interruption-warning') as Record<string, unknown>), 'detail-type': 'EC2 Capacity Reservation Instance Interruption Warning', resources: 'arn:aws:ec2:us-east-1b:instance/i-0b662ef9931388ba0' };
    // Act
    const signals = parseEvent(event);
    // Assess
    expect(signals.map((s) => s.kind)).toEqual(['capacity-reservation-interruption']);
  });
});

import { describe, expect, it } from 'vitest';
import { aHealthScheduledChange, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('AWS Health Event', () => {
  it('parses the real sample, placeholder account and non-hex id included', () => {
    expect(parseEvent(loadEvent('aws-health-ec2-scheduled-change'))).toEqual([
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
    ]);
  });

  it('gives one signal per affected instance, all with the event id', () => {
    // Prepare
    const event = aHealthScheduledChange({
      id: 'health-1',
      instanceIds: ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb', 'i-0cccccccccccccccc'],
      eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
    });

    // Act
    const signals = parseEvent(event);

    // Assess
    expect(signals.map((s) => ('ec2InstanceId' in s ? s.ec2InstanceId : undefined))).toEqual([
      'i-0aaaaaaaaaaaaaaaa',
      'i-0bbbbbbbbbbbbbbbb',
      'i-0cccccccccccccccc',
    ]);
    for (const signal of signals) {
      expect(signal).toMatchObject({
        kind: 'scheduled-change',
        eventId: 'health-1',
        eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
        startTime: '2016-06-05T15:10:09.000Z',
      });
    }
  });

  it('skips entities that are not EC2 instance ids, and lists an instance once', () => {
    const event = aHealthScheduledChange({ instanceIds: ['h-0123456789abcdef0', 'i-12345678', 'vol-12345678', 'i-12345678'] });
    expect(parseEvent(event).map((s) => ('ec2InstanceId' in s ? s.ec2InstanceId : s.kind))).toEqual(['i-12345678']);
  });

  it('ignores an EC2 scheduled change that names no instance', () => {
    const event = aHealthScheduledChange({ instanceIds: ['h-0123456789abcdef0'] });
    expect(parseEvent(event)).toMatchObject([
      { kind: 'ignored', reason: 'EC2 scheduled change that names no EC2 instance among its affected entities' },
    ]);
    delete event['detail']['affectedEntities'];
    expect(parseEvent(event)).toMatchObject([{ kind: 'ignored' }]);
  });

  const ignoredRows = [
    { name: 'another service', service: 'RDS', category: 'scheduledChange' },
    { name: 'another category', service: 'EC2', category: 'issue' },
    { name: 'an account notification', service: 'EC2', category: 'accountNotification' },
  ];
  for (const { name, service, category } of ignoredRows) {
    it(`ignores ${name} (${service} ${category})`, () => {
      expect(parseEvent(aHealthScheduledChange({ service, category }))).toEqual([
        {
          kind: 'ignored',
          eventId: '7fb65329-1628-4cf3-a740-95fg457h1402',
          time: '2016-06-05T06:27:57Z',
          region: 'us-east-1',
          account: 'account id',
          source: 'aws.health',
          detailType: 'AWS Health Event',
          reason: `Health event for service ${service}, category ${category}: only EC2 scheduledChange calls for a drain`,
        },
      ]);
    });
  }

  // Health sends one event per status change of the scheduled change; the sample has no statusCode.
  const statusRows: { statusCode: string | undefined; drains: boolean }[] = [
    { statusCode: undefined, drains: true },
    { statusCode: 'upcoming', drains: true },
    { statusCode: 'open', drains: true },
    { statusCode: 'closed', drains: false },
  ];
  for (const { statusCode, drains } of statusRows) {
    it(`${drains ? 'reads' : 'ignores'} an EC2 scheduled change with statusCode ${statusCode ?? '(none)'}`, () => {
      const event = aHealthScheduledChange({ instanceIds: ['i-12345678', 'i-0aaaaaaaaaaaaaaaa'], ...(statusCode !== undefined && { statusCode }) });
      const signals = parseEvent(event);
      if (drains) expect(signals.map((s) => s.kind)).toEqual(['scheduled-change', 'scheduled-change']);
      else {
        expect(signals).toMatchObject([
          { kind: 'ignored', reason: 'EC2 scheduled change AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED is closed: the maintenance is over, nothing to drain' },
        ]);
      }
    });
  }

  it('carries an ISO startTime as ISO', () => {
    const iso = aHealthScheduledChange();
    iso['detail']['startTime'] = '2024-06-05T15:10:09+0000';
    expect(parseEvent(iso)[0]).toMatchObject({ startTime: '2024-06-05T15:10:09Z' });
  });

  // The drain waits for startTime: a time that cannot be read is an error with its path, not a guess.
  it.each([
    ['words', 'next Tuesday'],
    ['31 February (RFC 7231)', 'Tue, 31 Feb 2016 15:10:09 GMT'],
    ['hour 24', '2024-06-05T24:00:00Z'],
    ['an offset out of range', '2024-06-05T15:10:09+25:00'],
  ])('rejects a startTime of %s at detail.startTime', (_name, value) => {
    const event = aHealthScheduledChange();
    event['detail']['startTime'] = value;
    expect(malformedPath(() => parseEvent(event))).toBe('detail.startTime');
  });

  it.each([
    ['aws', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0b662ef9931388ba0'],
    ['aws-cn', 'arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0b662ef9931388ba0'],
    ['aws-us-gov', 'arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0b662ef9931388ba0'],
  ])('reads an entityValue given as an instance ARN in partition %s (AWS retirement sample, no resources)', (_partition, arn) => {
    const event = aHealthScheduledChange();
    event['detail']['affectedEntities'] = [{ entityValue: arn }];
    event['resources'] = [];
    expect(parseEvent(event)).toMatchObject([{ kind: 'scheduled-change', ec2InstanceId: 'i-0b662ef9931388ba0' }]);
  });

  it('does not take an ARN of another resource type for an instance', () => {
    const event = aHealthScheduledChange();
    event['detail']['affectedEntities'] = [{ entityValue: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0b662ef9931388ba0' }];
    expect(parseEvent(event)).toMatchObject([{ kind: 'ignored' }]);
  });

  it('does without eventTypeCode and startTime', () => {
    const event = aHealthScheduledChange();
    delete event['detail']['eventTypeCode'];
    delete event['detail']['startTime'];
    const [signal] = parseEvent(event);
    expect(signal).toMatchObject({ kind: 'scheduled-change', ec2InstanceId: 'i-12345678' });
    expect(signal).not.toHaveProperty('startTime');
    expect(signal).not.toHaveProperty('eventTypeCode');
  });

  const malformed: { name: string; change: (detail: Record<string, any>) => void; path: string }[] = [
    { name: 'service missing', change: (d) => delete d['service'], path: 'detail.service' },
    { name: 'eventTypeCategory missing', change: (d) => delete d['eventTypeCategory'], path: 'detail.eventTypeCategory' },
    { name: 'affectedEntities not an array', change: (d) => (d['affectedEntities'] = 'i-12345678'), path: 'detail.affectedEntities' },
    { name: 'statusCode not a string', change: (d) => (d['statusCode'] = 1), path: 'detail.statusCode' },
    {
      name: 'an entity without entityValue',
      change: (d) => d['affectedEntities'].push({ tags: {} }),
      path: 'detail.affectedEntities[1].entityValue',
    },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = aHealthScheduledChange();
      change(event['detail']);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { aCapacityReservationWarning, aSpotWarning, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('EC2 Spot Instance Interruption Warning', () => {
  it('parses the real sample into a spot-interruption for its instance', () => {
    const [signal, ...rest] = parseEvent(loadEvent('ec2-spot-instance-interruption-warning'));
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ kind: 'spot-interruption', ec2InstanceId: 'i-0b662ef9931388ba0', instanceAction: 'terminate' });
  });

  for (const action of ['terminate', 'stop', 'hibernate'] as const) {
    it(`parses instance-action ${action}`, () => {
      expect(parseEvent(aSpotWarning({ action }))[0]).toMatchObject({ kind: 'spot-interruption', instanceAction: action });
    });
  }

  it('accepts an 8-digit (older) instance id', () => {
    expect(parseEvent(aSpotWarning({ instanceId: 'i-abcd1111' }))[0]).toMatchObject({ ec2InstanceId: 'i-abcd1111' });
  });

  const malformed: { name: string; change: (detail: Record<string, unknown>) => void; path: string }[] = [
    { name: 'instance-id missing', change: (d) => delete d['instance-id'], path: 'detail.instance-id' },
    { name: 'instance-id not an instance id', change: (d) => (d['instance-id'] = 'sir-12345678'), path: 'detail.instance-id' },
    { name: 'instance-action missing', change: (d) => delete d['instance-action'], path: 'detail.instance-action' },
    { name: 'instance-action unknown', change: (d) => (d['instance-action'] = 'reboot'), path: 'detail.instance-action' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = aSpotWarning();
      change(event['detail']);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});

describe('EC2 Capacity Reservation Instance Interruption Warning', () => {
  it('parses into a capacity-reservation-interruption for its instance', () => {
    const event = aCapacityReservationWarning({ instanceId: 'i-0123456789abcdef0', id: 'cr-1' });
    expect(parseEvent(event)).toEqual([
      {
        kind: 'capacity-reservation-interruption',
        eventId: 'cr-1',
        time: '1970-01-01T00:00:00Z',
        region: 'us-east-1',
        account: '123456789012',
        ec2InstanceId: 'i-0123456789abcdef0',
        instanceAction: 'terminate',
      },
    ]);
  });

  it('rejects a missing instance-id at detail.instance-id', () => {
    const event = aCapacityReservationWarning();
    delete event['detail']['instance-id'];
    expect(malformedPath(() => parseEvent(event))).toBe('detail.instance-id');
  });
});

import { describe, expect, it } from 'vitest';
import { aRebalanceRecommendation, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('EC2 Instance Rebalance Recommendation', () => {
  it('parses the real sample into a rebalance-recommendation', () => {
    expect(parseEvent(loadEvent('ec2-instance-rebalance-recommendation'))).toEqual([
      {
        kind: 'rebalance-recommendation',
        eventId: '5d5555d5-dd55-5555-5555-5555dd55d55d',
        time: '2020-10-26T14:14:14Z',
        region: 'us-east-1',
        account: '123456789012',
        ec2InstanceId: 'i-0b662ef9931388ba0',
      },
    ]);
  });

  it('rejects a missing instance-id at detail.instance-id', () => {
    const event = aRebalanceRecommendation();
    delete event['detail']['instance-id'];
    expect(malformedPath(() => parseEvent(event))).toBe('detail.instance-id');
  });

  it('rejects an instance-id that is not a string', () => {
    const event = aRebalanceRecommendation();
    event['detail']['instance-id'] = ['i-0b662ef9931388ba0'];
    expect(malformedPath(() => parseEvent(event))).toBe('detail.instance-id');
  });
});

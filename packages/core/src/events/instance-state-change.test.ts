import { describe, expect, it } from 'vitest';
import { anInstanceStateChange, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('EC2 Instance State-change Notification', () => {
  it('parses the real sample (stopping) into an instance-state signal', () => {
    expect(parseEvent(loadEvent('ec2-instance-state-change-stopping'))[0]).toMatchObject({
      kind: 'instance-state',
      ec2InstanceId: 'i-abcd1111',
      state: 'stopping',
    });
  });

  for (const state of ['stopping', 'stopped', 'shutting-down', 'terminated']) {
    it(`state ${state} calls for a drain`, () => {
      expect(parseEvent(anInstanceStateChange({ state }))).toEqual([
        {
          kind: 'instance-state',
          eventId: '7bf73129-1428-4cd3-a780-95db273d1602',
          time: '2015-11-11T21:29:54Z',
          region: 'us-east-1',
          account: '123456789012',
          ec2InstanceId: 'i-abcd1111',
          state,
        },
      ]);
    });
  }

  for (const state of ['pending', 'running', 'a-state-ec2-adds-later']) {
    it(`state ${state} is ignored with the reason`, () => {
      expect(parseEvent(anInstanceStateChange({ state }))).toEqual([
        {
          kind: 'ignored',
          eventId: '7bf73129-1428-4cd3-a780-95db273d1602',
          time: '2015-11-11T21:29:54Z',
          region: 'us-east-1',
          account: '123456789012',
          source: 'aws.ec2',
          detailType: 'EC2 Instance State-change Notification',
          reason: `instance i-abcd1111 entered state ${state}, which calls for no drain`,
        },
      ]);
    });
  }

  const malformed: { name: string; change: (detail: Record<string, unknown>) => void; path: string }[] = [
    { name: 'instance-id missing', change: (d) => delete d['instance-id'], path: 'detail.instance-id' },
    { name: 'state missing', change: (d) => delete d['state'], path: 'detail.state' },
    { name: 'state empty', change: (d) => (d['state'] = ''), path: 'detail.state' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = anInstanceStateChange();
      change(event['detail']);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});

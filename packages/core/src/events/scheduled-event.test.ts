import { describe, expect, it } from 'vitest';
import { aScheduledEvent, malformedPath } from '../test-support/events.js';
import { parseEvent } from './parse.js';

describe('Scheduled Event (tick)', () => {
  it('parses into a tick at the event time', () => {
    expect(parseEvent(aScheduledEvent({ id: 'tick-1', time: '2024-03-01T12:10:00Z' }))).toEqual([
      { kind: 'tick', eventId: 'tick-1', time: '2024-03-01T12:10:00Z', region: 'us-east-1', account: '123456789012' },
    ]);
  });

  it('rejects a tick without a time, at path time', () => {
    const event = aScheduledEvent();
    delete event['time'];
    expect(malformedPath(() => parseEvent(event))).toBe('time');
  });

  it('ignores a Scheduled Event from a source other than aws.events', () => {
    const event = aScheduledEvent();
    event['source'] = 'aws.scheduler';
    expect(parseEvent(event)).toMatchObject([{ kind: 'ignored', source: 'aws.scheduler', detailType: 'Scheduled Event' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { anAlarmAction, anAlarmStateChange, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('CloudWatch Alarm State Change (EventBridge)', () => {
  it('parses the real sample into an alarm signal with an ISO state timestamp', () => {
    expect(parseEvent(loadEvent('cloudwatch-alarm-state-change'))).toEqual([
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
    ]);
  });

  const kinds = [
    { name: 'a single-metric alarm', alarmKind: 'metric' },
    { name: 'a metric-math alarm', alarmKind: 'metric-math' },
    { name: 'a composite alarm', alarmKind: 'composite' },
  ] as const;
  for (const { name, alarmKind } of kinds) {
    it(`recognises ${name}`, () => {
      expect(parseEvent(anAlarmStateChange({ alarmKind }))[0]).toMatchObject({ kind: 'alarm', alarmKind });
    });
  }

  it('treats an alarm without configuration as a metric alarm', () => {
    const event = anAlarmStateChange();
    delete event['detail']['configuration'];
    expect(parseEvent(event)[0]).toMatchObject({ alarmKind: 'metric' });
  });

  for (const state of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
    it(`parses state ${state}`, () => {
      expect(parseEvent(anAlarmStateChange({ state, previousState: 'ALARM' }))[0]).toMatchObject({ state, previousState: 'ALARM' });
    });
  }

  it('does not need reasonData, previousState or resources', () => {
    const event = anAlarmStateChange({ alarmName: 'prod-spot-interruptions' });
    delete event['detail']['state']['reasonData'];
    delete event['detail']['previousState'];
    event['resources'] = [];
    const [signal] = parseEvent(event);
    expect(signal).toMatchObject({ kind: 'alarm', alarmName: 'prod-spot-interruptions', state: 'ALARM' });
    expect(signal).not.toHaveProperty('previousState');
    expect(signal).not.toHaveProperty('alarmArn');
  });

  it('converts a non-UTC state timestamp to UTC', () => {
    const event = anAlarmStateChange({ timestamp: '2019-10-02T19:04:40.989+0200' });
    expect(parseEvent(event)[0]).toMatchObject({ stateTimestamp: '2019-10-02T17:04:40.989Z' });
  });

  const malformed: { name: string; change: (detail: Record<string, any>) => void; path: string }[] = [
    { name: 'alarmName missing', change: (d) => delete d['alarmName'], path: 'detail.alarmName' },
    { name: 'state missing', change: (d) => delete d['state'], path: 'detail.state' },
    { name: 'state.value missing', change: (d) => delete d['state']['value'], path: 'detail.state.value' },
    { name: 'state.value unknown', change: (d) => (d['state']['value'] = 'FIRING'), path: 'detail.state.value' },
    { name: 'state.timestamp missing', change: (d) => delete d['state']['timestamp'], path: 'detail.state.timestamp' },
    { name: 'state.timestamp not a time', change: (d) => (d['state']['timestamp'] = 'now'), path: 'detail.state.timestamp' },
    { name: 'previousState.value unknown', change: (d) => (d['previousState']['value'] = 'x'), path: 'detail.previousState.value' },
    { name: 'metrics not an array', change: (d) => (d['configuration']['metrics'] = {}), path: 'detail.configuration.metrics' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = anAlarmStateChange();
      change(event['detail']);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});

describe('CloudWatch alarm action payload (direct Lambda invocation)', () => {
  it('parses into an alarm signal whose id is the alarm ARN and the state timestamp as given', () => {
    expect(parseEvent(anAlarmAction())).toEqual([
      {
        kind: 'alarm',
        eventId: 'arn:aws:cloudwatch:us-east-1:444455556666:alarm:lambda-demo-metric-alarm@2023-08-04T12:36:15.490+0000',
        time: '2023-08-04T12:36:15.490Z',
        region: 'us-east-1',
        account: '444455556666',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:444455556666:alarm:lambda-demo-metric-alarm',
        alarmName: 'lambda-demo-metric-alarm',
        state: 'ALARM',
        previousState: 'INSUFFICIENT_DATA',
        stateTimestamp: '2023-08-04T12:36:15.490Z',
        alarmKind: 'metric',
      },
    ]);
  });

  it('gives the same id to the same transition delivered twice, and another to the next transition', () => {
    const first = parseEvent(anAlarmAction({ state: 'ALARM', timestamp: '2024-01-01T00:00:00.000+0000' }));
    const again = parseEvent(anAlarmAction({ state: 'ALARM', timestamp: '2024-01-01T00:00:00.000+0000' }));
    const next = parseEvent(anAlarmAction({ state: 'OK', timestamp: '2024-01-01T00:10:00.000+0000' }));
    expect(again[0]?.eventId).toBe(first[0]?.eventId);
    expect(next[0]?.eventId).not.toBe(first[0]?.eventId);
  });

  it('recognises a composite alarm action', () => {
    const payload = anAlarmAction({ state: 'OK' });
    payload['alarmData']['configuration'] = { alarmRule: 'ALARM(a) OR ALARM(b)' };
    expect(parseEvent(payload)[0]).toMatchObject({ alarmKind: 'composite', state: 'OK' });
  });

  const malformed: { name: string; change: (p: Record<string, any>) => void; path: string }[] = [
    { name: 'alarmArn missing', change: (p) => delete p['alarmArn'], path: 'alarmArn' },
    { name: 'time missing', change: (p) => delete p['time'], path: 'time' },
    { name: 'alarmData not an object', change: (p) => (p['alarmData'] = 'x'), path: 'alarmData' },
    { name: 'alarmName missing', change: (p) => delete p['alarmData']['alarmName'], path: 'alarmData.alarmName' },
    { name: 'state.value missing', change: (p) => delete p['alarmData']['state']['value'], path: 'alarmData.state.value' },
    { name: 'state.timestamp missing', change: (p) => delete p['alarmData']['state']['timestamp'], path: 'alarmData.state.timestamp' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const payload = anAlarmAction();
      change(payload);
      expect(malformedPath(() => parseEvent(payload))).toBe(path);
    });
  }

  it('is not mistaken for an EventBridge event when it lacks alarmData', () => {
    const payload = anAlarmAction();
    delete payload['alarmData'];
    // Without alarmData it is read as an EventBridge event (version is optional there), and it has no version (nor id, detail-type, detail).
    expect(malformedPath(() => parseEvent(payload))).toBe('id');
  });
});

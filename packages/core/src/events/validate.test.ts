import { describe, expect, it } from 'vitest';
import { clusterNameFromArn, capacityProviderNameFromArn, serviceNameFromArn } from './arn.js';
import { anyTimeToIso, isEc2InstanceId, isTimestamp, isoTimestamp } from './validate.js';

describe('isoTimestamp', () => {
  const rows = [
    { name: 'CloudWatch +0000', input: '2019-10-02T17:04:40.989+0000', output: '2019-10-02T17:04:40.989Z' },
    { name: '+00:00', input: '2019-10-02T17:04:40+00:00', output: '2019-10-02T17:04:40Z' },
    { name: 'already Z', input: '2019-10-02T17:04:40Z', output: '2019-10-02T17:04:40Z' },
    { name: 'a positive offset', input: '2019-10-02T19:04:40.5+0200', output: '2019-10-02T17:04:40.500Z' },
    { name: 'a negative offset with colon', input: '2019-10-02T12:04:40-05:00', output: '2019-10-02T17:04:40.000Z' },
    { name: 'not a timestamp', input: 'soon', output: 'soon' },
  ];
  for (const { name, input, output } of rows) {
    it(`normalises ${name}`, () => expect(isoTimestamp(input)).toBe(output));
  }
});

describe('isTimestamp', () => {
  it('accepts ISO times with Z or offsets and refuses the rest', () => {
    expect(['2019-10-02T17:04:40Z', '2019-10-02T17:04:40.989+0000', '2019-10-02T17:04:40+02:00'].every(isTimestamp)).toBe(true);
    expect(['2019-10-02', '2019-10-02T17:04:40', '2019-13-02T17:04:40Z', 'Sat, 05 Jun 2016 15:10:09 GMT'].some(isTimestamp)).toBe(false);
  });
});

describe('strict timestamps', () => {
  // Each of these once threw RangeError further on (offsets) or passed as another day (calendar).
  it.each([
    ['an offset past 23 hours', '2019-10-02T17:04:40+25:00'],
    ['an offset of -99:99', '2019-10-02T17:04:40-99:99'],
    ['offset minutes past 59', '2019-10-02T17:04:40+0160'],
    ['30 February', '2019-02-30T00:00:00Z'],
    ['29 February of a common year', '2019-02-29T00:00:00Z'],
    ['hour 24', '2019-10-02T24:00:00Z'],
    ['minute 60', '2019-10-02T17:60:00Z'],
    ['second 60', '2019-10-02T17:04:60Z'],
    ['day 0', '2019-10-00T17:04:40Z'],
  ])('refuses %s, and isoTimestamp leaves it as given without throwing', (_name, value) => {
    expect(isTimestamp(value)).toBe(false);
    expect(isoTimestamp(value)).toBe(value);
  });

  it('accepts 29 February of a leap year and the widest real offsets', () => {
    expect(['2024-02-29T00:00:00Z', '2000-02-29T12:00:00Z', '2019-10-02T17:04:40+14:00', '2019-10-02T17:04:40-12:00'].every(isTimestamp)).toBe(true);
    expect(isTimestamp('1900-02-29T00:00:00Z')).toBe(false);
  });

  it('names the path of a bad event time instead of throwing RangeError', async () => {
    const { parseEvent } = await import('./parse.js');
    const { aSpotWarning, malformedPath } = await import('../test-support/events.js');
    for (const time of ['2019-10-02T17:04:40+25:00', '2019-10-02T17:04:40-99:99', '2019-02-30T00:00:00Z', '2019-10-02T24:00:00Z']) {
      expect(malformedPath(() => parseEvent(aSpotWarning({ time })))).toBe('time');
    }
  });
});

describe('anyTimeToIso', () => {
  it('refuses an RFC 7231 date that does not exist', () => {
    expect(anyTimeToIso('Sat, 30 Feb 2016 15:10:09 GMT')).toBeUndefined();
    expect(anyTimeToIso('next Tuesday')).toBeUndefined();
  });

  it('reads the RFC 7231 dates of Health events', () => {
    expect(anyTimeToIso('Sat, 05 Jun 2016 15:10:09 GMT')).toBe('2016-06-05T15:10:09.000Z');
  });
});

describe('isEc2InstanceId', () => {
  it('accepts 8 and 17 hex digits only', () => {
    expect(['i-12345678', 'i-0b662ef9931388ba0'].every(isEc2InstanceId)).toBe(true);
    expect(['i-1234567', 'i-0B662EF9931388BA0', 'i-123456789', 'sir-12345678', 'h-0123456789abcdef0'].some(isEc2InstanceId)).toBe(false);
  });
});

describe('ECS ARNs', () => {
  it('reads cluster, service and capacity provider names', () => {
    expect(clusterNameFromArn('arn:aws:ecs:us-west-2:111122223333:cluster/prod')).toBe('prod');
    expect(clusterNameFromArn('arn:aws-cn:ecs:cn-north-1:111122223333:cluster/prod')).toBe('prod');
    expect(clusterNameFromArn('arn:aws-us-gov:ecs:us-gov-west-1:111122223333:cluster/prod')).toBe('prod');
    expect(serviceNameFromArn('arn:aws:ecs:us-west-2:111122223333:service/prod/web')).toBe('web');
    expect(serviceNameFromArn('arn:aws:ecs:us-west-2:111122223333:service/web')).toBe('web');
    expect(capacityProviderNameFromArn('arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE_SPOT')).toBe('FARGATE_SPOT');
  });

  it('refuses other resources and other services', () => {
    expect(clusterNameFromArn('arn:aws:ecs:us-west-2:111122223333:service/prod/web')).toBeUndefined();
    expect(clusterNameFromArn('arn:aws:eks:us-west-2:111122223333:cluster/prod')).toBeUndefined();
    expect(serviceNameFromArn('arn:aws:ecs:us-west-2:111122223333:service/a/b/c')).toBeUndefined();
    expect(capacityProviderNameFromArn('FARGATE_SPOT')).toBeUndefined();
  });
});

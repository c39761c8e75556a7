import { describe, expect, it } from 'vitest';
import { parseClusterQuery, QuerySyntaxError, type Subject } from './query-language.js';

const instance: Subject = (name) =>
  ({
    ec2InstanceId: 'i-0b662ef9931388ba0',
    runningTasksCount: 3,
    agentConnected: true,
    'attribute:ecs.instance-type': 'm7g.large',
    'attribute:ecs.availability-zone': 'us-east-1b',
  })[name];

describe('parseClusterQuery', () => {
  const rows = [
    { name: 'in list, with spaces', filter: 'ec2InstanceId in [i-aaa, i-0b662ef9931388ba0]', matches: true },
    { name: 'in list, no spaces', filter: 'ec2InstanceId in [i-aaa,i-bbb]', matches: false },
    { name: 'equality', filter: 'ec2InstanceId == i-0b662ef9931388ba0', matches: true },
    { name: 'quoted value', filter: "ec2InstanceId == 'i-0b662ef9931388ba0'", matches: true },
    { name: 'inequality', filter: 'ec2InstanceId != i-0b662ef9931388ba0', matches: false },
    { name: 'not_in', filter: 'ec2InstanceId not_in [i-aaa]', matches: true },
    { name: 'attribute and number', filter: 'attribute:ecs.instance-type == m7g.large and runningTasksCount > 2', matches: true },
    { name: 'or with parentheses', filter: '(runningTasksCount == 0 or agentConnected == true) && attribute:ecs.availability-zone =~ us-east-1.*', matches: true },
    { name: 'exists', filter: 'attribute:ecs.gpu exists', matches: false },
    { name: '!exists', filter: 'attribute:ecs.gpu !exists', matches: true },
  ];
  it.each(rows)('$name', ({ filter, matches }) => {
    expect(parseClusterQuery(filter)(instance)).toBe(matches);
  });

  it.each([
    ['unknown subject', 'hostname == x'],
    ['missing value', 'ec2InstanceId =='],
    ['unclosed list', 'ec2InstanceId in [i-a, i-b'],
    ['trailing token', 'ec2InstanceId == i-a i-b'],
  ])('rejects %s', (_name, filter) => {
    expect(() => parseClusterQuery(filter)).toThrow(QuerySyntaxError);
  });
});

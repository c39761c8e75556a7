import { describe, expect, it } from 'vitest';
import { parseClusterQuery, QuerySyntaxError, type Subject } from './query-language.js';

const instance: Subject = (name) =>
  ({
    ec2InstanceId: 'i-0b662ef9931388ba0',
    runningTasksCount: 3,
    agentConnected: true,
    agentVersion: '1.89.0',
    registeredAt: '2025-01-01T00:00:00.000Z',
    'task:group': ['service:api', 'service:web'],
    'attribute:ecs.instance-type': 'm7g.large',
    'attribute:ecs.availability-zone': 'us-east-1b',
  })[name];

describe('parseClusterQuery', () => {
  const rows = [
    { name: 'in list, with spaces', filter: 'ec2InstanceId in [i-aaa, i-0b662ef9931388ba0]', matches: true },
    { name: 'in list, no spaces', filter: 'ec2InstanceId in [i-aaa,i-bbb]', matches: false },
    { name: 'in list, quoted (the guide\'s example)', filter: "ec2InstanceId in ['i-abcd1234', 'i-0b662ef9931388ba0']", matches: true },
    { name: 'equality', filter: 'ec2InstanceId == i-0b662ef9931388ba0', matches: true },
    { name: 'equals', filter: 'ec2InstanceId equals i-0b662ef9931388ba0', matches: true },
    { name: 'quoted value', filter: "ec2InstanceId == 'i-0b662ef9931388ba0'", matches: true },
    { name: '!= on the same id', filter: 'ec2InstanceId != i-0b662ef9931388ba0', matches: false },
    { name: '!= on another id', filter: 'ec2InstanceId != i-aaa', matches: true },
    { name: 'not_equals', filter: 'ec2InstanceId not_equals i-aaa', matches: true },
    { name: '!= on a missing attribute', filter: 'attribute:ecs.gpu != x', matches: true },
    { name: '!in without the id', filter: 'ec2InstanceId !in [i-aaa, i-bbb]', matches: true },
    { name: '!in with the id', filter: 'ec2InstanceId !in [i-aaa, i-0b662ef9931388ba0]', matches: false },
    { name: '!in with no space before the list', filter: 'ec2InstanceId !in[i-aaa]', matches: true },
    { name: 'not_in', filter: 'ec2InstanceId not_in [i-aaa]', matches: true },
    { name: 'not_in with the id', filter: 'ec2InstanceId not_in [i-0b662ef9931388ba0]', matches: false },
    { name: 'attribute and number', filter: 'attribute:ecs.instance-type == m7g.large and runningTasksCount > 2', matches: true },
    { name: 'greater_than_equal', filter: 'runningTasksCount greater_than_equal 3', matches: true },
    { name: 'less_than', filter: 'runningTasksCount less_than 3', matches: false },
    { name: 'less_than_equal', filter: 'runningTasksCount <= 3', matches: true },
    { name: 'or with parentheses', filter: '(runningTasksCount == 0 or agentConnected == true) && attribute:ecs.availability-zone =~ us-east-1.*', matches: true },
    { name: '=~ matches the whole value', filter: 'attribute:ecs.availability-zone =~ east', matches: false },
    { name: 'matches', filter: 'attribute:ecs.instance-type matches m7g\\..*', matches: true },
    { name: '!~', filter: 'attribute:ecs.instance-type !~ g2.*', matches: true },
    { name: 'not_matches on a match', filter: 'attribute:ecs.instance-type not_matches m7g.*', matches: false },
    { name: 'the guide\'s compound example', filter: 'attribute:ecs.instance-type =~ m7g.* and attribute:ecs.availability-zone != us-east-1d', matches: true },
    { name: 'exists', filter: 'attribute:ecs.gpu exists', matches: false },
    { name: '!exists', filter: 'attribute:ecs.gpu !exists', matches: true },
    { name: 'not_exists on a present attribute', filter: 'attribute:ecs.instance-type not_exists', matches: false },
    { name: 'not(…)', filter: 'not(ec2InstanceId == i-0b662ef9931388ba0)', matches: false },
    { name: '! before parentheses', filter: '!(runningTasksCount == 0) && agentConnected == true', matches: true },
    { name: 'not binds tighter than and', filter: 'not runningTasksCount == 0 and runningTasksCount == 3', matches: true },
    { name: 'and binds tighter than or', filter: 'runningTasksCount == 3 or runningTasksCount == 0 and agentConnected == false', matches: true },
    { name: 'agentVersion compares as a version', filter: 'agentVersion < 1.100.0', matches: true },
    { name: 'agentVersion equality', filter: 'agentVersion == 1.89.0', matches: true },
    { name: 'registeredAt before a date', filter: 'registeredAt < 2025-01-02', matches: true },
    { name: 'registeredAt after a time with an offset', filter: 'registeredAt > 2024-12-31T23:00:00+00:00', matches: true },
    { name: 'registeredAt at a time without a zone (UTC)', filter: 'registeredAt == 2025-01-01T00:00:00', matches: true },
    { name: 'task:group affinity', filter: 'task:group == service:web', matches: true },
    { name: 'task:group anti-affinity (the guide\'s not(...))', filter: 'not(task:group == service:database)', matches: true },
    { name: 'task:group != is the negation of ==', filter: 'task:group != service:web', matches: false },
    { name: 'task:group in', filter: 'task:group in [service:batch, service:api]', matches: true },
  ];
  it.each(rows)('$name', ({ filter, matches }) => {
    expect(parseClusterQuery(filter)(instance)).toBe(matches);
  });

  it('treats an instance with no tasks as hosting no group', () => {
    const empty: Subject = (name) => (name === 'task:group' ? [] : undefined);
    expect([parseClusterQuery('task:group exists')(empty), parseClusterQuery('task:group !in [service:web]')(empty)]).toEqual([false, true]);
  });

  it.each([
    ['unknown subject', 'hostname == x'],
    ['unknown operator', 'ec2InstanceId like i-a'],
    ['missing value', 'ec2InstanceId =='],
    ['unclosed list', 'ec2InstanceId in [i-a, i-b'],
    ['!in without a list', 'ec2InstanceId !in i-a'],
    ['trailing token', 'ec2InstanceId == i-a i-b'],
    ['empty', '   '],
    ['an operator the guide does not list for ec2InstanceId', 'ec2InstanceId > i-a'],
    ['an operator the guide does not list for runningTasksCount', 'runningTasksCount in [1, 2]'],
    ['exists on agentConnected', 'agentConnected exists'],
    ['a registeredAt that is not a date', 'registeredAt < yesterday'],
    ['a runningTasksCount that is not a whole number', 'runningTasksCount > few'],
    ['an invalid pattern', "attribute:ecs.instance-type =~ '(m7g'"],
  ])('rejects %s', (_name, filter) => {
    expect(() => parseClusterQuery(filter)).toThrow(QuerySyntaxError);
  });
});

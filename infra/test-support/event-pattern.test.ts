import { describe, expect, it } from 'vitest';
import { matchesPattern, patternSyntaxProblems } from './event-pattern.js';

// Rows follow the examples of the EventBridge User Guide (event patterns, content filtering).
const event = {
  source: 'aws.ec2',
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1', 'arn:aws:ec2:us-east-1:123456789012:instance/i-2'],
  detail: { state: 'terminated', count: 5, 'source-ip': '10.0.0.7', nested: { flag: true, nothing: null }, name: 'Image.PNG' },
};

describe('matchesPattern', () => {
  it.each([
    ['an exact value', { source: ['aws.ec2'] }, true],
    ['one of several values', { source: ['aws.s3', 'aws.ec2'] }, true],
    ['a value that differs', { source: ['aws.s3'] }, false],
    ['case-sensitive strings', { source: ['AWS.EC2'] }, false],
    ['every field (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, false],
    ['a nested field', { detail: { state: ['terminated'] } }, true],
    ['deeper nesting', { detail: { nested: { flag: [true] } } }, true],
    ['null as a value', { detail: { nested: { nothing: [null] } } }, true],
    ['a field missing from the event', { detail: { reason: ['x'] } }, false],
    ['an object pattern on a scalar field', { source: { x: ['y'] } }, false],
    ['any element of an event array', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-2'] }, true],
    ['no element of an event array', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-3'] }, false],
    ['prefix', { 'detail-type': [{ prefix: 'EC2 Instance' }] }, true],
    ['prefix that does not fit', { 'detail-type': [{ prefix: 'EC2 Spot' }] }, false],
    ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 instance' } }] }, true],
    ['suffix', { detail: { name: [{ suffix: '.PNG' }] } }, true],
    ['suffix ignoring case', { detail: { name: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, true],
    ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/i-1' }] }, true],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'running' }] } }, true],
    ['anything-but the value present', { detail: { state: [{ 'anything-but': ['terminated', 'stopped'] }] } }, false],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
    ['anything-but on a missing field', { detail: { reason: [{ 'anything-but': 'x' }] } }, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists false on a missing field', { detail: { reason: [{ exists: false }] } }, true],
    // event-ruler compiles each element of a leaf on its own: exact values and exists may mix.
    ['exact values or exists false, on a missing field', { detail: { reason: ['x', { exists: false }] } }, true],
    ['exact values or exists false, on a listed value', { detail: { state: ['terminated', { exists: false }] } }, true],
    ['exact values or exists false, on another value', { detail: { state: ['running', { exists: false }] } }, false],
    ['numeric range', { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['numeric range missed', { detail: { count: [{ numeric: ['>', 5] }] } }, false],
    ['numeric on a string', { source: [{ numeric: ['>', 0] }] }, false],
    ['a number as exact value', { detail: { count: [5] } }, true],
    ['a number does not equal its string', { detail: { count: ['5'] } }, false],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['$or with one branch true', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['terminated'] } }] }, true],
    ['$or with no branch true', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('patternSyntaxProblems', () => {
  it.each([
    ['an empty match list', { source: [] }, 'source: an empty match list matches nothing (EventBridge rejects it)'],
    ['an unknown operator', { source: [{ startsWith: 'aws.' }] }, 'source: unknown matcher {"startsWith":"aws."}'],
    ['a scalar instead of a list', { source: 'aws.ec2' }, 'source: must be an array of matchers or an object'],
  ])('reports %s', (_name, pattern, expected) => {
    expect(patternSyntaxProblems(pattern)).toEqual([expected]);
  });

  it('accepts a well-formed pattern', () => {
    expect(patternSyntaxProblems({ source: ['aws.ec2'], detail: { state: [{ 'anything-but': 'running' }] } })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { deadLetterQueuePolicy, eventQueuePolicy } from './queue-policy.js';
import { evaluate } from './test-support/iam-eval.js';
import type { Request } from './test-support/iam-eval.js';

const queueArn = 'arn:aws:sqs:us-east-1:123456789012:ecs-rebalancer-prod-EventQueue';
const dlqArn = 'arn:aws:sqs:us-east-1:123456789012:ecs-rebalancer-prod-DeadLetterQueue';
const ourRules = [
  'arn:aws:events:us-east-1:123456789012:rule/SpotInterruptionRule-1a2b',
  'arn:aws:events:us-east-1:123456789012:rule/PlacementFailureRule-3c4d',
];
const policy = eventQueuePolicy({ queueArn, ruleArns: ourRules });

function send(overrides: Partial<Request> & { context?: Request['context'] }): Request {
  return {
    principal: 'service:events.amazonaws.com',
    action: 'sqs:SendMessage',
    resource: queueArn,
    ...overrides,
    context: { 'aws:SecureTransport': 'true', 'aws:SourceArn': ourRules[0], ...overrides.context },
  };
}

describe('eventQueuePolicy', () => {
  it.each([
    ['allows a rule of this app over TLS', send({}), 'allow'],
    ['allows each rule of this app', send({ context: { 'aws:SourceArn': ourRules[1] } }), 'allow'],
    ['denies a rule of another app in the account', send({ context: { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/other-app' } }), 'deny'],
    ['denies a rule of another account', send({ context: { 'aws:SourceArn': 'arn:aws:events:us-east-1:999999999999:rule/SpotInterruptionRule-1a2b' } }), 'deny'],
    ['denies EventBridge without a source ARN', send({ context: { 'aws:SourceArn': undefined } }), 'deny'],
    [
      'denies an IAM principal of the account, whatever its own policy says',
      send({ principal: 'arn:aws:iam::123456789012:role/admin', context: { 'aws:SourceArn': undefined } }),
      'deny',
    ],
    ['denies a rule of this app over plain HTTP', send({ context: { 'aws:SecureTransport': 'false' } }), 'deny'],
    [
      'denies any other call over plain HTTP',
      send({ principal: 'arn:aws:iam::123456789012:role/react', action: 'sqs:ReceiveMessage', context: { 'aws:SecureTransport': 'false', 'aws:SourceArn': undefined } }),
      'deny',
    ],
    [
      'leaves receiving over TLS to the consumer role',
      send({ principal: 'arn:aws:iam::123456789012:role/react', action: 'sqs:ReceiveMessage', context: { 'aws:SourceArn': undefined } }),
      'no-decision',
    ],
  ] as const)('%s', (_name, request, verdict) => {
    expect(evaluate(policy, request)).toBe(verdict);
  });

  it('refuses to build a policy that admits no rule', () => {
    expect(() => eventQueuePolicy({ queueArn, ruleArns: [] })).toThrow('at least one rule ARN');
  });
});

describe('deadLetterQueuePolicy', () => {
  const dlq = deadLetterQueuePolicy({ queueArn: dlqArn });
  const quarantine: Request = {
    principal: 'arn:aws:iam::123456789012:role/react',
    action: 'sqs:SendMessage',
    resource: dlqArn,
    context: { 'aws:SecureTransport': 'true' },
  };

  it('denies plain HTTP', () => {
    expect(evaluate(dlq, { ...quarantine, context: { 'aws:SecureTransport': 'false' } })).toBe('deny');
  });

  it('leaves the quarantine send over TLS to the react role', () => {
    expect(evaluate(dlq, quarantine)).toBe('no-decision');
  });
});

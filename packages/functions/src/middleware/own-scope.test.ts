import { aPolicy } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { scopeOfFunctionArn, withOwnScope } from './own-scope.js';

describe('scopeOfFunctionArn', () => {
  it.each([
    ['a function', 'arn:aws:lambda:eu-west-1:123456789012:function:react', { region: 'eu-west-1', account: '123456789012' }],
    ['an alias', 'arn:aws:lambda:us-gov-west-1:210987654321:function:react:live', { region: 'us-gov-west-1', account: '210987654321' }],
    ['another partition', 'arn:aws-cn:lambda:cn-north-1:123456789012:function:react', { region: 'cn-north-1', account: '123456789012' }],
    ['no ARN', undefined, {}],
    ['not a function ARN', 'arn:aws:sqs:eu-west-1:123456789012:queue', {}],
  ])('%s', (_name, arn, scope) => {
    expect(scopeOfFunctionArn(arn)).toEqual(scope);
  });
});

describe('withOwnScope', () => {
  it('fills accounts and regions the policy does not name', () => {
    const policy = withOwnScope(aPolicy(), { account: '123456789012', region: 'eu-west-1' });
    expect([policy.accounts, policy.regions]).toEqual([['123456789012'], ['eu-west-1']]);
  });

  it("keeps the policy's own lists", () => {
    const policy = withOwnScope(aPolicy({ accounts: ['111122223333', '444455556666'], regions: ['us-west-2'] }), { account: '123456789012', region: 'eu-west-1' });
    expect([policy.accounts, policy.regions]).toEqual([['111122223333', '444455556666'], ['us-west-2']]);
  });

  it('leaves a part unknown as it is', () => {
    const policy = withOwnScope(aPolicy(), { region: 'eu-west-1' });
    expect([policy.accounts, policy.regions]).toEqual([undefined, ['eu-west-1']]);
  });
});

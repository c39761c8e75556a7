import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@ecs-rebalancer/core';
import type { AccountScope } from './arns.js';
import {
  ALARM_ACTION_PRINCIPAL,
  DECISION_EVENT,
  alarmActionPermission,
  assumeRolePolicy,
  fallbackAlarmNames,
  reactStatements,
  rolloutStatements,
  stateMachineStatements,
  tickStatements,
} from './iam-statements.js';
import type { PolicyStatement } from './iam-types.js';
import type { InvokePermission } from './iam-statements.js';
import { evaluate } from './test-support/iam-eval.js';
import { toFunctionPermissions } from './iam-types.js';
import { allowedActions, iamProblems } from './test-support/checks.js';

const scope: AccountScope = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const policy = parsePolicy({
  clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['prod-spot-interruptions'] } }, staging: {} },
});
const clusters = ['prod', 'staging'];
const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:EventQueue';
const deadLetterQueueArn = 'arn:aws:sqs:eu-west-1:123456789012:DeadLetterQueue';
const functionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:Rollout';
const stateMachineName = 'ecs-rebalancer-prod-rollout';
const instanceIndexTableArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/ecs-rebalancer-prod-InstanceIndexTable-abcdef';

const roles: [string, PolicyStatement[]][] = [
  ['react', reactStatements(scope, policy, { queueArn, deadLetterQueueArn, instanceIndexTableArn })],
  ['tick', tickStatements(scope, policy, { instanceIndexTableArn })],
  ['rollout', rolloutStatements(scope, policy, { stateMachineName })],
  ['state machine', stateMachineStatements({ functionArn })],
];

describe('each role gets exactly the actions its code calls', () => {
  const ecsReads = [
    'ecs:DescribeCapacityProviders',
    'ecs:DescribeClusters',
    'ecs:DescribeContainerInstances',
    'ecs:DescribeServices',
    'ecs:ListContainerInstances',
    'ecs:ListServices',
    // The tasks' architectures, read only when a fallback may be decided.
    'ecs:ListTasks',
    'ecs:DescribeTasks',
  ];
  const strategyWrites = ['ecs:TagResource', 'ecs:UntagResource', 'ecs:UpdateService'];
  it.each([
    [
      'react',
      [
        ...ecsReads,
        ...strategyWrites,
        'ecs:UpdateContainerInstancesState',
        'cloudwatch:DescribeAlarms',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'events:PutEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
    ],
    ['tick', [...ecsReads, ...strategyWrites, 'cloudwatch:DescribeAlarms', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'events:PutEvents']],
    [
      'rollout',
      [
        ...ecsReads,
        ...strategyWrites,
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmHistory',
        'states:ListExecutions',
        'states:DescribeExecution',
      ],
    ],
    ['state machine', ['lambda:InvokeFunction']],
  ])('%s', (role, expected) => {
    const statements = roles.find(([name]) => name === role)?.[1] ?? [];
    expect(allowedActions(statements)).toEqual([...expected].sort());
  });
});

describe('no role is broader than it needs', () => {
  it.each(roles)('%s: no wildcard action, every resource scoped', (_role, statements) => {
    expect(iamProblems(statements, scope, clusters)).toEqual([]);
  });

  it('scopes ECS writes to the managed clusters by ARN', () => {
    const drain = roles[0]![1].find((s) => s.Sid === 'DrainContainerInstances');
    expect(drain?.Resource).toEqual([
      'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/*',
      'arn:aws:ecs:eu-west-1:123456789012:container-instance/staging/*',
    ]);
  });

  it('reads and publishes the instance index on its own table only, from react and tick', () => {
    for (const [role, statements] of roles.slice(0, 2)) {
      const index = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
      expect({ role, index }).toEqual({
        role,
        index: [{ Sid: 'ReadAndPublishInstanceIndex', Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], Resource: instanceIndexTableArn }],
      });
    }
    expect(reactStatements(scope, policy, { queueArn, deadLetterQueueArn }).some((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')))).toBe(false);
  });

  it('reads only the executions of its own state machine, by its explicit name', () => {
    const rollout = roles[2]![1];
    expect(rollout.find((s) => s.Sid === 'ListRunningRollouts')?.Resource).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:ecs-rebalancer-prod-rollout');
    expect(rollout.find((s) => s.Sid === 'ReadRolloutExecutions')?.Resource).toBe('arn:aws:states:eu-west-1:123456789012:execution:ecs-rebalancer-prod-rollout:*');
  });

  it('publishes decisions only with the rebalancer source and detail-type, on the default bus', () => {
    const publish = roles[0]![1].find((s) => s.Sid === 'PublishDecisions');
    expect(publish?.Resource).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/default');
    expect(publish?.Condition).toEqual({
      StringEquals: { 'events:source': DECISION_EVENT.source, 'events:detail-type': DECISION_EVENT.detailType },
    });
  });
});

describe('the IAM check catches an over-broad grant', () => {
  const react = roles[0]![1];
  it.each([
    ['a wildcard action', [...react, { Sid: 'Wild', Effect: 'Allow', Action: 'ecs:*', Resource: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' }], 'Wild: action ecs:* has a wildcard'],
    ['"*" as the action', [...react, { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }], 'Everything: action * has a wildcard'],
    [
      'UpdateService on every resource',
      [...react, { Sid: 'Broad', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: '*' }],
      'Broad: ecs:UpdateService is granted on "*" but supports resource-level permissions',
    ],
    [
      'ListServices on "*" without the cluster condition',
      [...react, { Sid: 'List', Effect: 'Allow', Action: ['ecs:ListServices'], Resource: '*' }],
      'List: ecs:ListServices on "*" must carry ecs:cluster = the managed clusters',
    ],
    [
      'services of every cluster',
      [...react, { Sid: 'AllServices', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: 'arn:aws:ecs:eu-west-1:123456789012:service/*' }],
      'AllServices: ECS resource arn:aws:ecs:eu-west-1:123456789012:service/* is outside the managed clusters',
    ],
    [
      'an unmanaged cluster',
      [...react, { Sid: 'Other', Effect: 'Allow', Action: ['ecs:DescribeClusters'], Resource: 'arn:aws:ecs:eu-west-1:123456789012:cluster/other' }],
      'Other: ECS resource arn:aws:ecs:eu-west-1:123456789012:cluster/other is outside the managed clusters',
    ],
  ] as [string, PolicyStatement[], string][])('%s', (_name, statements, expected) => {
    expect(iamProblems(statements, scope, clusters)).toContain(expected);
  });
});

describe('toFunctionPermissions', () => {
  it('keeps actions, resources and every condition', () => {
    const [list] = toFunctionPermissions(rolloutStatements(scope, policy, { stateMachineName }).filter((s) => s.Sid === 'ListServiceTasks'));
    expect(list).toEqual({
      effect: 'allow',
      actions: ['ecs:ListTasks'],
      resources: ['*'],
      conditions: [
        {
          test: 'ArnEquals',
          variable: 'ecs:cluster',
          values: ['arn:aws:ecs:eu-west-1:123456789012:cluster/prod', 'arn:aws:ecs:eu-west-1:123456789012:cluster/staging'],
        },
      ],
    });
  });
});

describe('assumeRolePolicy', () => {
  it('trusts the service on behalf of this account only, with no Resource element', () => {
    const trust = assumeRolePolicy('states.amazonaws.com', '123456789012');
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
  });
});

describe('alarm actions may invoke the react function', () => {
  const reactArn = 'arn:aws:lambda:eu-west-1:123456789012:function:React';
  /** The statement Lambda's AddPermission writes into the function's resource policy. */
  const asStatement = (p: InvokePermission): PolicyStatement => ({
    Effect: 'Allow',
    Principal: { Service: p.principal },
    Action: p.action,
    Resource: reactArn,
    Condition: { StringEquals: { 'AWS:SourceAccount': p.sourceAccount }, ArnLike: { 'AWS:SourceArn': p.sourceArn } },
  });
  const invoke = (alarmArn: string, account = '123456789012') => ({
    principal: `service:${ALARM_ACTION_PRINCIPAL}`,
    action: 'lambda:InvokeFunction',
    resource: reactArn,
    context: { 'AWS:SourceAccount': account, 'AWS:SourceArn': alarmArn },
  });

  it('one permission per fallback alarm the policy names, for this account and that alarm', () => {
    expect(fallbackAlarmNames(policy)).toEqual(['prod-spot-interruptions']);
    expect(alarmActionPermission(scope, 'prod-spot-interruptions')).toEqual({
      action: 'lambda:InvokeFunction',
      principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      sourceAccount: '123456789012',
      sourceArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:prod-spot-interruptions',
    });
  });

  it('names each alarm once, even when clusters share one', () => {
    const shared = parsePolicy({
      clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['prod-spot', 'spot-market'] } }, staging: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['staging-spot', 'spot-market'] } } },
    });

    expect(fallbackAlarmNames(shared)).toEqual(['prod-spot', 'spot-market', 'staging-spot']);
  });

  it.each([
    ['the fallback alarm of this account', 'allow', invoke('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:prod-spot-interruptions')],
    ['another alarm of this account', 'no-decision', invoke('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:some-other-alarm')],
    ['an alarm of that name in another account', 'no-decision', invoke('arn:aws:cloudwatch:eu-west-1:999999999999:alarm:prod-spot-interruptions', '999999999999')],
  ] as const)('%s: %s', (_name, verdict, request) => {
    const statements = fallbackAlarmNames(policy).map((name) => asStatement(alarmActionPermission(scope, name)));

    expect(evaluate({ Version: '2012-10-17', Statement: statements }, request)).toBe(verdict);
  });
});

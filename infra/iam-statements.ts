// What each role may do: exactly the calls its code makes, on the managed clusters.
// Resource types per action: Service Authorization Reference, Amazon ECS
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
import type { Policy } from '@ecs-rebalancer/core';
import {
  alarmsArn,
  capacityProvidersArn,
  clusterArn,
  containerInstancesArn,
  defaultBusArn,
  executionsArn,
  servicesArn,
  stateMachineArn,
  tasksArn,
} from './arns.js';
import type { AccountScope } from './arns.js';
import type { PolicyStatement, TrustPolicyDocument } from './iam-types.js';
import { fallbackAlarmsByCluster, managedClusters } from './policy-file.js';

/** The decision events the react and tick functions publish on the default bus. */
export const DECISION_EVENT = { source: 'ecs-rebalancer', detailType: 'Rebalancer Decision' } as const;

/**
 * Actions that AWS documents with no resource type: IAM evaluates them against "*" only, so
 * an ARN in `Resource` would never match. Each is granted on "*" with a condition that
 * narrows it, and only here.
 */
export const UNSCOPABLE_ACTIONS: Readonly<Record<string, { conditionKey: string; why: string }>> = {
  'ecs:ListServices': {
    conditionKey: 'ecs:cluster',
    why: 'ListServices has no resource type; the ecs:cluster condition key names the cluster listed',
  },
  'ecs:ListTasks': {
    conditionKey: 'ecs:cluster',
    why: 'ListTasks by service names no container instance (its only resource type); the ecs:cluster condition key names the cluster',
  },
};

function clusterCondition(scope: AccountScope, clusters: readonly string[]): PolicyStatement['Condition'] {
  return { ArnEquals: { 'ecs:cluster': clusters.map((c) => clusterArn(scope, c)) } };
}

function perCluster(clusters: readonly string[], arn: (cluster: string) => string): string[] {
  return clusters.map(arn);
}

/** Reading a cluster into ClusterState: the clusters, their instances, services and providers. */
function readClusterStatements(scope: AccountScope, clusters: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: 'ReadManagedClusters',
      Effect: 'Allow',
      Action: ['ecs:DescribeClusters', 'ecs:ListContainerInstances'],
      Resource: perCluster(clusters, (c) => clusterArn(scope, c)),
    },
    {
      Sid: 'ReadContainerInstances',
      Effect: 'Allow',
      Action: ['ecs:DescribeContainerInstances'],
      Resource: perCluster(clusters, (c) => containerInstancesArn(scope, c)),
    },
    {
      Sid: 'ListServicesOfManagedClusters',
      Effect: 'Allow',
      Action: ['ecs:ListServices'],
      Resource: '*',
      Condition: clusterCondition(scope, clusters),
    },
    {
      Sid: 'ReadAndChangeServices',
      Effect: 'Allow',
      // Tags on the service hold the baseline strategy and when the fallback began.
      // The tags are read with DescribeServices (include TAGS): no ListTagsForResource call.
      Action: ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:TagResource', 'ecs:UntagResource'],
      Resource: perCluster(clusters, (c) => servicesArn(scope, c)),
    },
    {
      Sid: 'ReadCapacityProviders',
      Effect: 'Allow',
      // Providers are account-level (their ARN names no cluster) and a cluster may use
      // providers the policy does not list (FARGATE, FARGATE_SPOT): every provider of the
      // account and region, read only.
      Action: ['ecs:DescribeCapacityProviders'],
      Resource: capacityProvidersArn(scope),
    },
  ];
}

function alarmsAndEventsStatements(scope: AccountScope): PolicyStatement[] {
  return [
    {
      Sid: 'ReadAlarmStates',
      Effect: 'Allow',
      // The alarms are named in the policy and at rollout start; all of this account and region.
      Action: ['cloudwatch:DescribeAlarms'],
      Resource: alarmsArn(scope),
    },
    {
      Sid: 'PublishDecisions',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: defaultBusArn(scope),
      Condition: {
        StringEquals: { 'events:source': DECISION_EVENT.source, 'events:detail-type': DECISION_EVENT.detailType },
      },
    },
  ];
}

/** The react function: drains, strategy changes, alarm reads, decision events, quarantine. */
export function reactStatements(scope: AccountScope, policy: Policy, opts: { queueArn: string; deadLetterQueueArn: string }): PolicyStatement[] {
  const clusters = managedClusters(policy);
  return [
    ...readClusterStatements(scope, clusters),
    {
      Sid: 'DrainContainerInstances',
      Effect: 'Allow',
      Action: ['ecs:UpdateContainerInstancesState'],
      Resource: perCluster(clusters, (c) => containerInstancesArn(scope, c)),
    },
    ...alarmsAndEventsStatements(scope),
    {
      Sid: 'ConsumeEventQueue',
      Effect: 'Allow',
      // What the Lambda event source mapping needs to poll the queue for the function.
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      Resource: opts.queueArn,
    },
    {
      Sid: 'QuarantineUnparseableRecords',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: opts.deadLetterQueueArn,
    },
  ];
}

/** The tick function: restores that are due and drift; it never drains. */
export function tickStatements(scope: AccountScope, policy: Policy): PolicyStatement[] {
  return [...readClusterStatements(scope, managedClusters(policy)), ...alarmsAndEventsStatements(scope)];
}

/**
 * The rollout function: one service's strategy (and the `applied` tag, so the tick does not
 * report the rollout as drift), its cluster's providers, its deployment, its tasks and its
 * alarms, and the running executions of its own state machine (one rollout per service).
 * The state machine is named by `stateMachineName` (see rolloutStateMachineName): its ARN is
 * not known when the function's role is built.
 */
export function rolloutStatements(scope: AccountScope, policy: Policy, opts: { stateMachineName: string }): PolicyStatement[] {
  const clusters = managedClusters(policy);
  return [
    {
      Sid: 'ReadClusterProviders',
      Effect: 'Allow',
      Action: ['ecs:DescribeClusters'],
      Resource: perCluster(clusters, (c) => clusterArn(scope, c)),
    },
    {
      Sid: 'StepServiceStrategy',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:TagResource', 'ecs:UntagResource'],
      Resource: perCluster(clusters, (c) => servicesArn(scope, c)),
    },
    {
      Sid: 'ListServiceTasks',
      Effect: 'Allow',
      Action: ['ecs:ListTasks'],
      Resource: '*',
      Condition: clusterCondition(scope, clusters),
    },
    {
      Sid: 'DescribeServiceTasks',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks'],
      Resource: perCluster(clusters, (c) => tasksArn(scope, c)),
    },
    {
      Sid: 'CheckRolloutAlarms',
      Effect: 'Allow',
      // DescribeAlarmHistory: did an alarm enter ALARM during the bake, even if it is OK now.
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: alarmsArn(scope),
    },
    {
      Sid: 'ListRunningRollouts',
      Effect: 'Allow',
      // ListExecutions' resource type is the state machine.
      Action: ['states:ListExecutions'],
      Resource: stateMachineArn(scope, opts.stateMachineName),
    },
    {
      Sid: 'ReadRolloutExecutions',
      Effect: 'Allow',
      // DescribeExecution's resource type is the execution: which service a running
      // execution not named by the CLI rolls out is in its input.
      Action: ['states:DescribeExecution'],
      Resource: executionsArn(scope, opts.stateMachineName),
    },
  ];
}

/** The service principal with which CloudWatch invokes a Lambda function named in an alarm action. */
export const ALARM_ACTION_PRINCIPAL = 'lambda.alarms.cloudwatch.amazonaws.com';

/** One statement of a function's resource policy, in the terms of Lambda's AddPermission (`aws.lambda.Permission`). */
export interface InvokePermission {
  action: 'lambda:InvokeFunction';
  principal: string;
  /** Lambda writes it as the condition `StringEquals AWS:SourceAccount`. */
  sourceAccount: string;
  /** Lambda writes it as the condition `ArnLike AWS:SourceArn`. */
  sourceArn: string;
}

/** The fallback alarms the policy names, each once, by cluster. */
export function fallbackAlarmNames(policy: Policy): string[] {
  return [...new Set(fallbackAlarmsByCluster(policy).flatMap((c) => c.alarms))];
}

/**
 * Lets one fallback alarm invoke the react function as its alarm action (the direct payload,
 * without EventBridge and the queue). CloudWatch invokes with the service principal
 * lambda.alarms.cloudwatch.amazonaws.com; the source account and the alarm's ARN keep any
 * other alarm, and every alarm of another account, out.
 */
export function alarmActionPermission(scope: AccountScope, alarmName: string): InvokePermission {
  return {
    action: 'lambda:InvokeFunction',
    principal: ALARM_ACTION_PRINCIPAL,
    sourceAccount: scope.account,
    sourceArn: `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:${alarmName}`,
  };
}

/** The state machine's role: invoke the rollout function (any version or alias of it). */
export function stateMachineStatements(opts: { functionArn: string }): PolicyStatement[] {
  return [
    {
      Sid: 'InvokeRolloutFunction',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: [opts.functionArn, `${opts.functionArn}:*`],
    },
  ];
}

/** The trust policy of a role that a service of this account assumes (no Resource: IAM forbids it there). */
export function assumeRolePolicy(service: string, account: string): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        // Only on behalf of this account: the confused-deputy guard for service roles.
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

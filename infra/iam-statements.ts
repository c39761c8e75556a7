// What each role may do: exactly the calls its code makes, on the managed clusters.
// Resource types per action: Service Authorization Reference, Amazon ECS
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
import type { Policy } from '@ecs-rebalancer/core';
import {
  alarmArn,
  alarmsArn,
  capacityProvidersArn,
  clusterArn,
  containerInstancesArn,
  defaultBusArn,
  executionsArn,
  serviceArn,
  servicesArn,
  ssmParameterArn,
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

/**
 * The services the rebalancer may change: each listed service of a cluster whose policy names
 * them, every service of a cluster managed with `["*"]`.
 */
function managedServiceArns(scope: AccountScope, policy: Policy): string[] {
  return managedClusters(policy).flatMap((c) => {
    const services = Object.hasOwn(policy.clusters, c) ? policy.clusters[c]!.services : ['*'];
    return services.includes('*') ? [servicesArn(scope, c)] : services.map((name) => serviceArn(scope, c, name));
  });
}

/**
 * Changing a managed service's strategy and keeping the record in its tags. Tag writes may
 * only name the rebalancer's own keys (`ecs-rebalancer:*`, aws:TagKeys with ForAllValues: every
 * key of the request must match), so the role can neither change nor remove anyone else's tags.
 */
function changeServiceStatements(scope: AccountScope, policy: Policy): PolicyStatement[] {
  const resources = managedServiceArns(scope, policy);
  return [
    { Sid: 'ChangeManagedServices', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: resources },
    {
      Sid: 'KeepRecordInOwnTags',
      Effect: 'Allow',
      Action: ['ecs:TagResource', 'ecs:UntagResource'],
      Resource: resources,
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': [`${REBALANCER_TAG_PREFIX}*`] } },
    },
  ];
}

/** The prefix of every tag key the rebalancer writes (the functions' ecs-service-tags.ts uses the same literal). */
export const REBALANCER_TAG_PREFIX = 'ecs-rebalancer:';

/** Reading the kill switch (every function reads it before it acts). */
function killSwitchStatements(scope: AccountScope, parameter: string | undefined): PolicyStatement[] {
  if (parameter === undefined) return [];
  return [{ Sid: 'ReadKillSwitch', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: ssmParameterArn(scope, parameter) }];
}

/**
 * Reading and publishing the instance index (infra/settings.ts INSTANCE_INDEX_TABLE): one
 * BatchGetItem for every managed cluster's item, a conditional PutItem per whole listing, and
 * the guardrail's shared DRAINING sets (GetItem and PutItem of CLUSTER#DRAINING, PutItem of its
 * claim CLUSTER#DRAINING-LEASE). The three
 * actions take the table as their resource type (Service Authorization Reference, Amazon
 * DynamoDB: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 */
function instanceIndexStatements(tableArn: string | undefined): PolicyStatement[] {
  if (tableArn === undefined) return [];
  return [{ Sid: 'ReadAndPublishInstanceIndex', Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn }];
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
      Sid: 'ReadServices',
      Effect: 'Allow',
      // Tags on the service hold the rebalancer's record; they are read with DescribeServices
      // (include TAGS): no ListTagsForResource call.
      Action: ['ecs:DescribeServices'],
      Resource: perCluster(clusters, (c) => servicesArn(scope, c)),
    },
    // Only when a fallback may be decided: which architectures each service's tasks run on.
    ...readTasksStatements(scope, clusters),
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

/** Listing and describing the tasks of the managed clusters (read only). */
function readTasksStatements(scope: AccountScope, clusters: readonly string[]): PolicyStatement[] {
  return [
    { Sid: 'ListServiceTasks', Effect: 'Allow', Action: ['ecs:ListTasks'], Resource: '*', Condition: clusterCondition(scope, clusters) },
    { Sid: 'DescribeServiceTasks', Effect: 'Allow', Action: ['ecs:DescribeTasks'], Resource: perCluster(clusters, (c) => tasksArn(scope, c)) },
  ];
}

function alarmsAndEventsStatements(scope: AccountScope, policy: Policy): PolicyStatement[] {
  const alarms = fallbackAlarmNames(policy);
  return [
    ...(alarms.length === 0
      ? []
      : [
          {
            Sid: 'ReadAlarmStates',
            Effect: 'Allow' as const,
            // Only the fallback alarms the policy names are read.
            Action: ['cloudwatch:DescribeAlarms'],
            Resource: alarms.map((name) => alarmArn(scope, name)),
          },
        ]),
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
export function reactStatements(
  scope: AccountScope,
  policy: Policy,
  opts: { queueArn: string; deadLetterQueueArn: string; killSwitchParameter?: string; instanceIndexTableArn?: string },
): PolicyStatement[] {
  const clusters = managedClusters(policy);
  return [
    ...readClusterStatements(scope, clusters),
    ...changeServiceStatements(scope, policy),
    ...killSwitchStatements(scope, opts.killSwitchParameter),
    ...instanceIndexStatements(opts.instanceIndexTableArn),
    {
      Sid: 'DrainContainerInstances',
      Effect: 'Allow',
      Action: ['ecs:UpdateContainerInstancesState'],
      Resource: perCluster(clusters, (c) => containerInstancesArn(scope, c)),
    },
    ...alarmsAndEventsStatements(scope, policy),
    {
      Sid: 'ConsumeEventQueue',
      Effect: 'Allow',
      // What the Lambda event source mapping needs to poll the queue for the function.
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      Resource: opts.queueArn,
    },
    {
      Sid: 'QuarantineAndRequeueRecords',
      Effect: 'Allow',
      // The DLQ takes poison records; the event queue a fresh copy of a drain deferred past
      // what a visibility change can reach (its queue policy admits this role by aws:PrincipalArn).
      Action: ['sqs:SendMessage'],
      Resource: [opts.deadLetterQueueArn, opts.queueArn],
    },
  ];
}

/** The tick function: restores that are due and drift; it never drains. */
export function tickStatements(scope: AccountScope, policy: Policy, opts: { killSwitchParameter?: string; instanceIndexTableArn?: string } = {}): PolicyStatement[] {
  return [
    ...readClusterStatements(scope, managedClusters(policy)),
    ...changeServiceStatements(scope, policy),
    ...killSwitchStatements(scope, opts.killSwitchParameter),
    ...instanceIndexStatements(opts.instanceIndexTableArn),
    ...alarmsAndEventsStatements(scope, policy),
  ];
}

/**
 * The rollout function: one service's strategy (and the `applied` tag, so the tick does not
 * report the rollout as drift), its cluster's providers, its deployment, its tasks and its
 * alarms, and the running executions of its own state machine (one rollout per service).
 * The state machine is named by `stateMachineName` (see rolloutStateMachineName): its ARN is
 * not known when the function's role is built.
 */
export function rolloutStatements(scope: AccountScope, policy: Policy, opts: { stateMachineName: string; killSwitchParameter?: string }): PolicyStatement[] {
  const clusters = managedClusters(policy);
  return [
    ...killSwitchStatements(scope, opts.killSwitchParameter),
    // The rollout reads its service with the cluster reader (one mapping of a service, one
    // provider reading): the same read-only statements as the react and tick functions.
    ...readClusterStatements(scope, clusters),
    {
      Sid: 'StepServiceStrategy',
      Effect: 'Allow',
      Action: ['ecs:UpdateService', 'ecs:TagResource', 'ecs:UntagResource'],
      Resource: perCluster(clusters, (c) => servicesArn(scope, c)),
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

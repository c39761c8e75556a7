// One EventBridge rule per event kind, on the default bus, each sending to the queue. The
// patterns are data: the tests run them against the sample events with a matcher of
// EventBridge's pattern semantics. AWS service events reach the default bus at no charge.
// Pattern syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
import type { Policy } from '@ecs-rebalancer/core';
import { clusterArn } from './arns.js';
import type { AccountScope } from './arns.js';
import { fallbackAlarmsByCluster, managedClusters } from './policy-file.js';

/** An EventBridge event pattern, as JSON. */
export type EventPattern = { [field: string]: EventPattern | readonly unknown[] };

export const RuleKind = {
  SpotInterruption: 'spot-interruption',
  RebalanceRecommendation: 'rebalance-recommendation',
  InstanceState: 'instance-state',
  CapacityReservationInterruption: 'capacity-reservation-interruption',
  ScheduledChange: 'scheduled-change',
  FargateSpotInterruption: 'fargate-spot-interruption',
  PlacementFailure: 'placement-failure',
  SpotCapacityShortage: 'spot-capacity-shortage',
  Alarm: 'alarm',
} as const;
export type RuleKind = (typeof RuleKind)[keyof typeof RuleKind];

export interface RuleSpec {
  kind: RuleKind;
  /** Resource name of the rule in the SST app (PascalCase, unique). */
  name: string;
  description: string;
  pattern: EventPattern;
}

/** The EC2 states that take an instance away: anything else (pending, running) is not news. */
export const LEAVING_STATES = ['stopping', 'stopped', 'shutting-down', 'terminated'] as const;

/** AWS documents the interruptible Capacity Reservation warning under both detail-types. */
export const CAPACITY_RESERVATION_WARNINGS = [
  'EC2 Capacity Reservation Instance Interruption Warning',
  'EC2 Interruptible Capacity Reservation Instance Interruption Warning',
] as const;

/** The stop codes of a Fargate Spot interruption (ECS Task State Change). */
export const FARGATE_SPOT_STOP_CODES = ['TerminationNotice', 'SpotInterruption'] as const;

/**
 * The Health statuses that announce a scheduled change. `closed` says the maintenance is over:
 * draining then takes healthy instances away. An event without a statusCode (the public
 * sample has none) is let through as the parser reads it as open; in EventBridge a missing
 * field matches no value and no anything-but, only `exists: false`, which may sit in the same
 * list as exact values (event-ruler compiles each element of the list on its own).
 */
export const SCHEDULED_CHANGE_STATUSES = ['open', 'upcoming', { exists: false }] as const;

/**
 * The rules for a validated policy in one account and region. Every pattern names the
 * accounts and regions the policy manages (`accounts` / `regions`, default: the deployment's
 * own): events forwarded from another account's or region's bus reach the default bus with
 * their own `account` and `region`, and must not fall back this account's services (the core
 * skips them too, with the reason). EC2 and Health events do not
 * say which cluster an instance belongs to, so those rules take every instance's event and
 * the handler looks it up; the ECS rules match only the managed clusters' ARNs, and the
 * alarm rule only the fallback alarms the policy names. A rule with nothing to match (no
 * fallback alarm anywhere) is left out: EventBridge rejects an empty match list.
 */
export function eventRules(scope: AccountScope, policy: Policy): RuleSpec[] {
  const clusterArns = managedClusters(policy).map((c) => clusterArn(scope, c));
  const alarms = [...new Set(fallbackAlarmsByCluster(policy).flatMap((c) => c.alarms))].sort();
  const own = { account: [...(policy.accounts ?? [scope.account])], region: [...(policy.regions ?? [scope.region])] };
  const rules: RuleSpec[] = [
    {
      kind: RuleKind.SpotInterruption,
      name: 'SpotInterruptionRule',
      description: 'EC2 Spot Instance Interruption Warning: two minutes before the instance goes',
      pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
    },
    {
      kind: RuleKind.RebalanceRecommendation,
      name: 'RebalanceRecommendationRule',
      description: 'EC2 Instance Rebalance Recommendation: the Spot instance is at elevated risk',
      pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
    },
    {
      kind: RuleKind.InstanceState,
      name: 'InstanceStateRule',
      description: 'EC2 Instance State-change Notification for instances that are leaving',
      pattern: {
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
        detail: { state: [...LEAVING_STATES] },
      },
    },
    {
      kind: RuleKind.CapacityReservationInterruption,
      name: 'CapacityReservationInterruptionRule',
      description: 'EC2 (Interruptible) Capacity Reservation Instance Interruption Warning: AWS documents both detail-types',
      pattern: { source: ['aws.ec2'], 'detail-type': [...CAPACITY_RESERVATION_WARNINGS] },
    },
    {
      kind: RuleKind.ScheduledChange,
      name: 'ScheduledChangeRule',
      description: 'AWS Health scheduled changes (maintenance, retirement) for EC2',
      pattern: {
        source: ['aws.health'],
        'detail-type': ['AWS Health Event'],
        detail: { service: ['EC2'], eventTypeCategory: ['scheduledChange'], statusCode: [...SCHEDULED_CHANGE_STATUSES] },
      },
    },
    {
      kind: RuleKind.FargateSpotInterruption,
      name: 'FargateSpotInterruptionRule',
      description: 'Fargate Spot task interruptions in the managed clusters (the first notice only)',
      // ECS sends a Task State Change for every transition of the stopping task, each with the
      // stopCode; the first notice is the one with desiredStatus STOPPED while still RUNNING.
      pattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: clusterArns, stopCode: [...FARGATE_SPOT_STOP_CODES], lastStatus: ['RUNNING'], desiredStatus: ['STOPPED'] },
      },
    },
    {
      kind: RuleKind.PlacementFailure,
      name: 'PlacementFailureRule',
      description: 'Tasks that cannot be placed in the managed clusters',
      pattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Service Action'],
        detail: { clusterArn: clusterArns, eventName: ['SERVICE_TASK_PLACEMENT_FAILURE'] },
      },
    },
    {
      kind: RuleKind.SpotCapacityShortage,
      name: 'SpotCapacityShortageRule',
      description: 'EC2 Auto Scaling launch failures: the first word that a Spot group has no capacity',
      // Which group is behind a managed Spot provider is in the cluster state, not here; the
      // core skips the others with their message. Best-effort delivery, so alarms still count.
      pattern: { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Unsuccessful'] },
    },
  ];
  if (alarms.length > 0) {
    rules.push({
      kind: RuleKind.Alarm,
      name: 'FallbackAlarmRule',
      description: 'State changes of the fallback alarms the policy names',
      pattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: alarms },
      },
    });
  }
  return rules.map((rule) => ({ ...rule, pattern: { ...rule.pattern, ...own } }));
}

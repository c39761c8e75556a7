// The alarms, as data: three on the pipeline (is it keeping up, is it failing) and one per
// cluster that drives the Spot fallback. Standard-resolution alarms cost $0.10 a month each.
import type { Policy } from '@ecs-rebalancer/core';
import {
  CLUSTER_DIMENSION,
  DEFAULT_FALLBACK_THRESHOLD,
  FALLBACK_PERIOD_SECONDS,
  METRIC_NAMESPACE,
  DRAIN_DEADLINE_DIMENSIONS,
  DRAIN_DEADLINE_MISSED_METRIC,
  SPOT_INTERRUPTIONS_METRIC,
} from './metrics.js';
import { fallbackAlarmsByCluster } from './policy-file.js';
import { PIPELINE_ALARMS } from './settings.js';

/** A single-metric CloudWatch alarm, in the argument names of PutMetricAlarm (camelCase). */
export interface AlarmSpec<Name = string> {
  /** Resource name in the SST app. */
  id: string;
  /** The alarm's name in CloudWatch; unset lets the deploy name it after the app and stage. */
  name?: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, Name | string>;
  statistic: 'Sum' | 'Maximum';
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  treatMissingData: 'notBreaching' | 'breaching' | 'missing' | 'ignore';
}

/** A count alarm that fires on any occurrence within one period. */
const ANY_IN_A_MINUTE = {
  statistic: 'Sum',
  periodSeconds: PIPELINE_ALARMS.periodSeconds,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
} as const;

/**
 * The pipeline's own alarms, for the given queue and function names. The names are known
 * only once deployed, so they may be any type (strings in tests, Outputs in the wiring).
 */
export function pipelineAlarms<Name>(opts: { deadLetterQueueName: Name; queueName: Name; reactFunctionName: Name }): AlarmSpec<Name>[] {
  return [
    {
      id: 'DeadLetterQueueDepthAlarm',
      description: 'Messages in the rebalancer DLQ: quarantined events or events that failed every retry',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: opts.deadLetterQueueName },
      statistic: 'Maximum',
      periodSeconds: PIPELINE_ALARMS.periodSeconds,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    },
    {
      id: 'OldestMessageAgeAlarm',
      description: 'The oldest event waited longer than a Spot warning lasts: the react function is not keeping up',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: opts.queueName },
      statistic: 'Maximum',
      periodSeconds: PIPELINE_ALARMS.periodSeconds,
      evaluationPeriods: 1,
      threshold: PIPELINE_ALARMS.oldestMessageAgeSeconds,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    },
    {
      id: 'DrainDeadlineMissedAlarm',
      description: 'An interruption drain still failed when its instance had no time left: tasks may have been lost',
      namespace: METRIC_NAMESPACE,
      metricName: DRAIN_DEADLINE_MISSED_METRIC,
      dimensions: { ...DRAIN_DEADLINE_DIMENSIONS },
      ...ANY_IN_A_MINUTE,
    },
    {
      id: 'ReactErrorsAlarm',
      description: 'The react function failed whole invocations (not single records, which it reports as batch item failures)',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: opts.reactFunctionName },
      ...ANY_IN_A_MINUTE,
    },
  ];
}

/**
 * The alarm that drives each cluster's Spot fallback: Spot interruptions in the cluster,
 * summed over five minutes, at or above the threshold. It is named exactly as the first
 * alarm in the cluster's `fallback.alarms`, so the rule, the handler and the policy agree;
 * any further alarms a cluster lists are the operator's own, and the app does not create
 * them. No interruptions means no data points, which is the OK case (`notBreaching`).
 */
export function fallbackAlarms(policy: Policy, threshold: number = DEFAULT_FALLBACK_THRESHOLD): AlarmSpec[] {
  return fallbackAlarmsByCluster(policy).map(({ cluster, alarms }) => ({
    // Cluster names are unique and Pulumi resource names may hold - and _.
    id: `FallbackAlarm-${cluster}`,
    name: alarms[0] as string,
    description: `Spot interruptions in ECS cluster ${cluster}: the rebalancer falls back to on-demand while this is ALARM`,
    namespace: METRIC_NAMESPACE,
    metricName: SPOT_INTERRUPTIONS_METRIC,
    dimensions: { [CLUSTER_DIMENSION]: cluster },
    statistic: 'Sum',
    periodSeconds: FALLBACK_PERIOD_SECONDS,
    evaluationPeriods: 1,
    threshold,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  }));
}

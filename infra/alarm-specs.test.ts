import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@ecs-rebalancer/core';
import { fallbackAlarms, pipelineAlarms } from './alarm-specs.js';
import { CLUSTER_DIMENSION, DEFAULT_FALLBACK_THRESHOLD, METRIC_NAMESPACE, SPOT_INTERRUPTIONS_METRIC } from './metrics.js';

describe('fallbackAlarms', () => {
  const policy = parsePolicy({
    clusters: {
      prod: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['prod-spot-interruptions', 'prod-operator-alarm'] } },
      staging: { providers: { od: 'on-demand' }, fallback: { to: 'od' } },
      batch: {},
    },
  });

  it('creates one alarm per cluster with fallback alarms, named as the policy names it', () => {
    expect(fallbackAlarms(policy).map((a) => a.name)).toEqual(['prod-spot-interruptions']);
  });

  it('sums the handler\'s SpotInterruptions metric of that cluster over five minutes', () => {
    const [alarm] = fallbackAlarms(policy);
    expect(alarm).toMatchObject({
      namespace: METRIC_NAMESPACE,
      metricName: SPOT_INTERRUPTIONS_METRIC,
      dimensions: { [CLUSTER_DIMENSION]: 'prod' },
      statistic: 'Sum',
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: DEFAULT_FALLBACK_THRESHOLD,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No interruptions, no data points: that is the OK case.
      treatMissingData: 'notBreaching',
    });
  });

  it('uses the names the functions package emits', () => {
    expect([METRIC_NAMESPACE, SPOT_INTERRUPTIONS_METRIC, CLUSTER_DIMENSION]).toEqual(['EcsRebalancer', 'SpotInterruptions', 'Cluster']);
  });

  it('takes another threshold', () => {
    expect(fallbackAlarms(policy, 10)[0]?.threshold).toBe(10);
  });
});

describe('pipelineAlarms', () => {
  const alarms = pipelineAlarms({ queueName: 'q', deadLetterQueueName: 'dlq', reactFunctionName: 'react' });

  it.each([
    ['DeadLetterQueueDepthAlarm', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'dlq' }, 0],
    ['OldestMessageAgeAlarm', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: 'q' }, 120],
    ['ReactErrorsAlarm', 'AWS/Lambda', 'Errors', { FunctionName: 'react' }, 0],
    ['DrainDeadlineMissedAlarm', 'EcsRebalancer', 'DrainDeadlineMissed', { Function: 'react' }, 0],
  ])('%s watches %s %s', (id, namespace, metricName, dimensions, threshold) => {
    expect(alarms.find((a) => a.id === id)).toMatchObject({ namespace, metricName, dimensions, threshold, comparisonOperator: 'GreaterThanThreshold' });
  });
});

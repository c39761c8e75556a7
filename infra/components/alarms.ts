// The pipeline alarms and the per-cluster fallback alarms of ../alarm-specs.ts.
import type { Policy } from '@ecs-rebalancer/core';
import { fallbackAlarms, pipelineAlarms } from '../alarm-specs.js';
import type { AlarmSpec } from '../alarm-specs.js';

function metricAlarm(spec: AlarmSpec<$util.Input<string>>) {
  return new aws.cloudwatch.MetricAlarm(spec.id, {
    ...(spec.name === undefined ? {} : { name: spec.name }),
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    statistic: spec.statistic,
    period: spec.periodSeconds,
    evaluationPeriods: spec.evaluationPeriods,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator,
    treatMissingData: spec.treatMissingData,
  });
}

export function createAlarms(opts: {
  policy: Policy;
  queue: sst.aws.Queue;
  deadLetterQueue: sst.aws.Queue;
  react: sst.aws.Function;
}) {
  const pipeline = pipelineAlarms<$util.Input<string>>({
    queueName: opts.queue.nodes.queue.name,
    deadLetterQueueName: opts.deadLetterQueue.nodes.queue.name,
    reactFunctionName: opts.react.name,
  }).map(metricAlarm);
  const fallback = fallbackAlarms(opts.policy).map(metricAlarm);
  return { pipeline, fallback };
}

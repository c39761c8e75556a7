// The names the react handler emits its metrics under (CloudWatch embedded metric format,
// written to the function's log: no PutMetricData call, no extra IAM) and the names the
// fallback alarms read. The functions package must emit exactly these.

/** CloudWatch namespace of every metric the rebalancer emits. */
export const METRIC_NAMESPACE = 'EcsRebalancer';

/** Count of Spot interruptions (EC2 warnings and Fargate Spot stops), one per interrupted instance or task. */
export const SPOT_INTERRUPTIONS_METRIC = 'SpotInterruptions';

/** The single dimension of SPOT_INTERRUPTIONS_METRIC: the managed cluster's name (not its ARN). */
export const CLUSTER_DIMENSION = 'Cluster';

/** Count of interruption drains that were still failing when their instance's two minutes ran out. */
export const DRAIN_DEADLINE_MISSED_METRIC = 'DrainDeadlineMissed';
/** Its single dimension and value (the react function emits it). */
export const DRAIN_DEADLINE_DIMENSIONS = { Function: 'react' } as const;

/** The fallback alarm sums interruptions per cluster over this window. */
export const FALLBACK_PERIOD_SECONDS = 300;

/**
 * Interruptions per cluster per window at which the fallback alarm fires. The policy schema
 * has no field for it, so this default applies to every cluster.
 */
export const DEFAULT_FALLBACK_THRESHOLD = 3;

import type { MetricAction } from '../model/plan.js';
import type { DecideContext, Decision } from './context.js';
import { clusterName, compareStrings, emptyDecision, uniqueSorted } from './context.js';

type MetricName = MetricAction['name'];

const METRIC_ORDER: readonly MetricName[] = ['SpotInterruptions', 'CapacityReservationInterruptions', 'FargateSpotInterruptions'];

/**
 * Counts the interruptions of a batch per managed cluster; the counts feed the CloudWatch
 * alarms that drive fallback.
 *
 * | condition | outcome |
 * |---|---|
 * | spot-interruption for an instance ACTIVE in a managed cluster (any policy action) | counted in `SpotInterruptions` of that cluster |
 * | capacity-reservation-interruption found likewise | counted in `CapacityReservationInterruptions` |
 * | either, for an instance DRAINING or in any other status, or in no managed cluster | not counted (decideDrains reports it) |
 * | fargate-spot-interruption in a managed cluster | counted in `FargateSpotInterruptions` |
 * | fargate-spot-interruption in any other cluster | skipped `cluster X is not managed` |
 *
 * Each instance (or task) counts once however many duplicate events of the batch named it.
 * Only an ACTIVE instance counts so that a warning redelivered in a later batch (EventBridge
 * and SQS both deliver at least once) is not counted again: the first delivery drains the
 * instance, later ones find it DRAINING. The trade-off: an instance drained earlier for
 * another reason (a rebalance recommendation, a scheduled change) is not counted when its
 * Spot warning arrives, so the metric undercounts when rebalance drains run ahead of the
 * warnings. With policy action `none` the instance stays ACTIVE and a redelivered warning
 * counts again. One metric action per (cluster, name), carrying the event ids counted.
 */
export function planMetrics(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const counts = new Map<string, { cluster: string; name: MetricName; subjects: Set<string>; eventIds: Set<string> }>();
  const count = (cluster: string, name: MetricName, subject: string, eventId: string): void => {
    const key = `${cluster}\u0000${name}`;
    const entry = counts.get(key) ?? { cluster, name, subjects: new Set(), eventIds: new Set() };
    entry.subjects.add(subject);
    entry.eventIds.add(eventId);
    counts.set(key, entry);
  };

  for (const signal of ctx.signals) {
    if (signal.kind === 'spot-interruption' || signal.kind === 'capacity-reservation-interruption') {
      const name: MetricName = signal.kind === 'spot-interruption' ? 'SpotInterruptions' : 'CapacityReservationInterruptions';
      const clusters = new Set(ctx.findInstances(signal.ec2InstanceId).filter((m) => m.instance.status === 'ACTIVE').map((m) => m.cluster.name));
      for (const cluster of clusters) count(cluster, name, signal.ec2InstanceId, signal.eventId);
    } else if (signal.kind === 'fargate-spot-interruption') {
      const cluster = ctx.cluster(signal.cluster);
      if (cluster) count(cluster.name, 'FargateSpotInterruptions', signal.taskArn, signal.eventId);
      else decision.skipped.push({ eventId: signal.eventId, reason: `cluster ${clusterName(signal.cluster)} is not managed` });
    }
  }

  decision.actions.push(
    ...[...counts.values()]
      .sort((a, b) => compareStrings(a.cluster, b.cluster) || METRIC_ORDER.indexOf(a.name) - METRIC_ORDER.indexOf(b.name))
      .map((e): MetricAction => ({ type: 'metric', name: e.name, cluster: e.cluster, value: e.subjects.size, eventIds: uniqueSorted(e.eventIds) })),
  );
  return decision;
}

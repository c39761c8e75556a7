import type { AlarmStateValue, LoadRequest, Signal } from '@ecs-rebalancer/core';
import type { AlarmReader, ClusterReader, ClusterSnapshot } from '../ports.js';

/**
 * Reads what decide needs: the clusters from ECS and the alarm states from CloudWatch, side by
 * side, each cluster given the states of the alarms its request names.
 */
export async function loadSnapshot(requests: readonly LoadRequest[], ports: { clusters: ClusterReader; alarms: AlarmReader }): Promise<ClusterSnapshot[]> {
  if (requests.length === 0) return [];
  const alarmNames = [...new Set(requests.flatMap((r) => r.alarms))];
  const [snapshots, alarms] = await Promise.all([
    ports.clusters.load(requests),
    alarmNames.length > 0 ? ports.alarms.states(alarmNames) : Promise.resolve<Record<string, AlarmStateValue>>({}),
  ]);
  const wanted = new Map(requests.map((r) => [r.cluster, r.alarms]));
  return snapshots.map((snapshot) => {
    const names = wanted.get(snapshot.state.cluster) ?? [];
    const states = Object.fromEntries(names.flatMap((name) => (alarms[name] === undefined ? [] : [[name, alarms[name]]])));
    return { ...snapshot, state: { ...snapshot.state, alarms: states } };
  });
}

/**
 * The draining guardrail counts every ACTIVE and DRAINING instance of a provider, which only a
 * full read of the cluster gives; only rebalance-recommendation drains are subject to it, so
 * only a batch holding one pays for that read (a storm of Spot warnings reads just its own
 * instances).
 */
export function withGuardrailReads(requests: readonly LoadRequest[], signals: readonly Signal[]): LoadRequest[] {
  const guarded = signals.some((s) => s.kind === 'rebalance-recommendation');
  return requests.map((r) => (guarded && r.ec2InstanceIds.length > 0 ? { ...r, full: true } : r));
}

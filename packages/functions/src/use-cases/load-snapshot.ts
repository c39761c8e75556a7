import type { AlarmStateValue, LoadRequest } from '@ecs-rebalancer/core';
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

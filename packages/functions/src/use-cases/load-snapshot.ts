import type { AlarmStateValue, LoadRequest } from '@ecs-rebalancer/core';
import type { AlarmReader, ClusterReader, ClusterSnapshot } from '../ports.js';

/**
 * Reads what decide needs: the clusters from ECS and the alarm states from CloudWatch, side by
 * side, each cluster given the states of the alarms its request names and, when the reader
 * knows them, when those states began (`alarmsChangedAt`, which the core's okSeconds needs).
 */
export async function loadSnapshot(requests: readonly LoadRequest[], ports: { clusters: ClusterReader; alarms: AlarmReader }): Promise<ClusterSnapshot[]> {
  if (requests.length === 0) return [];
  const alarmNames = [...new Set(requests.flatMap((r) => r.alarms))];
  const [snapshots, alarms] = await Promise.all([ports.clusters.load(requests), alarmNames.length > 0 ? readAlarms(ports.alarms, alarmNames) : Promise.resolve({})]);
  const wanted = new Map(requests.map((r) => [r.cluster, r.alarms]));
  return snapshots.map((snapshot) => {
    const names = (wanted.get(snapshot.state.cluster) ?? []).filter((name) => Object.hasOwn(alarms, name));
    const states = Object.fromEntries(names.map((name) => [name, (alarms as Timed)[name]!.state]));
    const known = snapshot.state.alarmsChangedAt ?? {};
    const changedAt = Object.fromEntries(
      names.flatMap((name) => {
        const at = (alarms as Timed)[name]?.changedAt ?? (Object.hasOwn(known, name) ? known[name] : undefined);
        return at === undefined ? [] : [[name, at]];
      }),
    );
    return { ...snapshot, state: { ...snapshot.state, alarms: states, ...(Object.keys(changedAt).length > 0 && { alarmsChangedAt: changedAt }) } };
  });
}

type Timed = Record<string, { state: AlarmStateValue; changedAt?: string }>;

async function readAlarms(reader: AlarmReader, names: string[]): Promise<Timed> {
  if (reader.statesWithTimes) return reader.statesWithTimes(names);
  const states = await reader.states(names);
  return Object.fromEntries(Object.entries(states).map(([name, state]) => [name, { state }]));
}

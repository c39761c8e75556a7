import type * as z from 'zod';
import { zodProblems } from '@ecs-rebalancer/core';
import type { ClusterState, Problem, Strategy } from '@ecs-rebalancer/core';
import { canonical, startingStrategy } from './summary.js';

/**
 * Checks each timeline entry against the schema of its own kind, picked by its key, so a
 * mistake is named where it is (`timeline[1].alarm.state: Invalid option: expected one of
 * "OK"|"ALARM"|"INSUFFICIENT_DATA"`) instead of a union's bare "Invalid input".
 */
export function timelineProblems(timeline: unknown, kinds: Readonly<Record<string, z.ZodType>>): Problem[] {
  if (!Array.isArray(timeline)) return [];
  return timeline.flatMap((entry, i): Problem[] => {
    const path = `timeline[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [{ path, message: 'expected an object' }];
    const kind = Object.keys(entry).find((k) => k in kinds);
    if (kind === undefined) return [{ path, message: `expected one of the keys ${Object.keys(kinds).join(', ')} (with "at")` }];
    const result = kinds[kind]!.safeParse(entry);
    return result.success ? [] : zodProblems(result.error).map((p) => ({ path: p.path ? `${path}.${p.path}` : path, message: p.message }));
  });
}

type Entry = { at: number } & ({ interrupt: { cluster: string; capacityProvider: string; count: number } } | { capacity: { cluster: string; capacityProvider: string } } | object);

/**
 * Timeline entries checked against the clusters before anything runs: a provider the cluster
 * does not have, and more Spot warnings than the provider has ACTIVE instances at the start
 * (the simulator would warn fewer and say nothing).
 */
export function clusterProblems(timeline: readonly Entry[], clusters: readonly ClusterState[]): Problem[] {
  const byName = new Map(clusters.map((c) => [c.cluster, c]));
  return timeline.flatMap((entry, i): Problem[] => {
    const target = 'interrupt' in entry ? entry.interrupt : 'capacity' in entry ? entry.capacity : undefined;
    if (!target) return [];
    const kind = 'interrupt' in entry ? 'interrupt' : 'capacity';
    const cluster = byName.get(target.cluster);
    if (!cluster) return [{ path: `timeline[${i}]`, message: `cluster ${target.cluster} is not in clusters` }];
    const providers = cluster.capacityProviders.map((p) => p.name);
    if (!providers.includes(target.capacityProvider)) {
      return [{ path: `timeline[${i}].${kind}.capacityProvider`, message: `"${target.capacityProvider}" is not a capacity provider of ${cluster.cluster} (it has ${providers.join(', ') || 'none'})` }];
    }
    if (!('interrupt' in entry)) return [];
    const type = cluster.capacityProviders.find((p) => p.name === target.capacityProvider)?.type;
    if (type === 'FARGATE_SPOT' || type === 'FARGATE') return [];
    const active = cluster.containerInstances.filter((c) => c.capacityProvider === target.capacityProvider && c.status === 'ACTIVE').length;
    // Later waves may hit instances launched meanwhile; only a single wave larger than the start is surely wrong.
    if (entry.interrupt.count > active) {
      return [{ path: `timeline[${i}].interrupt.count`, message: `${entry.interrupt.count} is more than the ${active} ACTIVE instance(s) of ${target.capacityProvider} in ${cluster.cluster}` }];
    }
    return [];
  });
}

/**
 * Expectations that hold whatever the rebalancer does, so passing them proves nothing: a
 * strategy expected to be the one the service starts with, limits on losses or drains in a
 * scenario without a single interruption.
 */
export function vacuousExpectations(scenario: {
  clusters: readonly ClusterState[];
  timeline: readonly Entry[];
  expect: { strategies?: Record<string, Strategy>; strategiesAt?: { atSeconds: number; strategies: Record<string, Strategy> }[]; tasksLostAtMost?: number; drainedAtLeastSecondsBeforeTermination?: number; fewerTasksLostThanWithout?: boolean };
}): string[] {
  const notes: string[] = [];
  const interrupts = scenario.timeline.some((e) => 'interrupt' in e || ('event' in e && /Interruption|State-change/.test(JSON.stringify((e as { event: unknown }).event))));
  const starts = (key: string, wanted: Strategy) => {
    const initial = startingStrategy(scenario, key);
    return initial !== undefined && canonical(initial) === canonical(wanted);
  };
  const changes = (scenario.expect.strategiesAt ?? []).flatMap((point) => Object.entries(point.strategies).filter(([key, wanted]) => !starts(key, wanted)));
  for (const [key, wanted] of Object.entries(scenario.expect.strategies ?? {})) {
    // A final strategy equal to the starting one is a restore's check when another expectation asks for a change first.
    if (starts(key, wanted) && !changes.some(([k]) => k === key)) notes.push(`expect.strategies["${key}"] is the strategy ${key} starts with: it passes even if nothing reacts (expect a change, e.g. expect.strategiesAt during the fallback)`);
  }
  for (const [i, point] of (scenario.expect.strategiesAt ?? []).entries()) {
    for (const [key, wanted] of Object.entries(point.strategies)) {
      if (starts(key, wanted)) notes.push(`expect.strategiesAt[${i}].strategies["${key}"] is the strategy ${key} starts with: it passes even if nothing reacts`);
    }
  }
  if (!interrupts) {
    if (scenario.expect.tasksLostAtMost !== undefined) notes.push('expect.tasksLostAtMost: the timeline interrupts nothing, so no task can be lost');
    if (scenario.expect.drainedAtLeastSecondsBeforeTermination !== undefined) notes.push('expect.drainedAtLeastSecondsBeforeTermination: the timeline interrupts nothing, so there is no drain to time');
  }
  return notes;
}

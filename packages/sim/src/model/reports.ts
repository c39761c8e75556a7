import type { ClusterState, Strategy } from '@ecs-rebalancer/core';
import { findCluster } from './lookups.js';
import { instanceCounts, serviceCounts } from './tasks.js';
import { TaskStatus, type SimReport } from './types.js';
import type { SimWorld } from './world.js';

/** Records RUNNING tasks per provider of every cluster when they changed (or always, with `force`). */
export function sampleRunning(w: SimWorld, force: boolean): void {
  const t = w.clock.elapsedSeconds();
  for (const cluster of w.clusters.values()) {
    const byProvider: Record<string, number> = {};
    for (const name of cluster.providers) byProvider[name] = 0;
    for (const [name, n] of cluster.running) if (n > 0 || name in byProvider) byProvider[name] = n;
    const samples = w.samples.get(cluster.name) ?? [];
    w.samples.set(cluster.name, samples);
    const last = samples[samples.length - 1];
    const same = last && JSON.stringify(last.byProvider) === JSON.stringify(byProvider);
    if (last && last.t === t) last.byProvider = byProvider;
    else if (!same || force) samples.push({ t, time: w.now(), byProvider });
  }
}

/** Counts one API call; `throttled` when it was refused for lack of a token. */
export function recordApiCall(w: SimWorld, action: string, throttled: boolean): void {
  w.apiCalls.set(action, (w.apiCalls.get(action) ?? 0) + 1);
  if (throttled) w.throttledByAction.set(action, (w.throttledByAction.get(action) ?? 0) + 1);
}

/** A cluster as the ClusterState contract shows it (baseline / fallbackSince are left null: they live in tags). */
export function clusterStateOf(w: SimWorld, name: string): ClusterState {
  const cluster = findCluster(w, name);
  return {
    cluster: cluster.name,
    capacityProviders: cluster.providers.map((p) => ({ name: p, type: cluster.providerState.get(p)?.type ?? 'EC2_AUTOSCALING' })),
    services: [...cluster.services.values()].map((s) => ({
      name: s.name,
      desiredCount: s.desiredCount,
      runningCount: serviceCounts(w, s).running,
      strategy: s.strategy.map((i) => ({ ...i })),
      minimumHealthyPercent: s.minimumHealthyPercent,
      maximumPercent: s.maximumPercent,
      deploymentController: s.deploymentController,
      baseline: null,
      fallbackSince: null,
    })),
    containerInstances: [...cluster.instances.values()]
      .filter((i) => i.status !== 'INACTIVE')
      .map((i) => ({
        arn: i.arn,
        ec2InstanceId: i.ec2InstanceId,
        capacityProvider: i.provider,
        status: i.status,
        runningTasks: instanceCounts(w, i).running,
        availabilityZone: i.availabilityZone,
        instanceType: i.instanceType,
      })),
    alarms: Object.fromEntries([...w.alarms.alarms.values()].map((a) => [a.name, a.state])),
  };
}

/** RUNNING tasks per capacity provider in a cluster, now. */
export function runningByProvider(w: SimWorld, clusterName: string): Record<string, number> {
  const cluster = findCluster(w, clusterName);
  const out: Record<string, number> = Object.fromEntries(cluster.providers.map((p) => [p, 0]));
  for (const [name, n] of cluster.running) if (n > 0 || name in out) out[name] = n;
  return out;
}

/** Everything observed so far (copies; safe to serialise). */
export function reportOf(w: SimWorld): SimReport {
  const strategies: Record<string, Strategy> = {};
  for (const cluster of w.clusters.values()) {
    for (const svc of cluster.services.values()) strategies[`${cluster.name}/${svc.name}`] = svc.strategy.map((i) => ({ ...i }));
  }
  const lost = Object.fromEntries(w.lostByService);
  return structuredClone({
    start: new Date(w.clock.start).toISOString(),
    end: w.now(),
    elapsedSeconds: w.clock.elapsedSeconds(),
    tasksLost: { total: Object.values(lost).reduce((a, b) => a + b, 0), byService: lost },
    interruptions: w.interruptionLog,
    fargateSpotInterruptions: w.fargateInterruptions,
    drains: w.drains,
    strategyChanges: w.strategyChanges,
    strategies,
    deployments: w.deployments,
    placementFailures: w.placementFailures,
    scaleOuts: w.scaleOuts,
    launchFailures: w.launchFailures,
    tasksFailedToStart: {
      total: w.failedToStart.length,
      byService: Object.fromEntries(w.failedToStartBy),
      tasks: w.failedToStart,
    },
    alarmChanges: w.alarmChanges,
    apiCalls: Object.fromEntries(w.apiCalls),
    throttled: [...w.throttledByAction.values()].reduce((a, b) => a + b, 0),
    throttledByAction: Object.fromEntries(w.throttledByAction),
    running: Object.fromEntries(w.samples),
    emittedEvents: w.events.items.length,
    decisionEvents: w.decisionEvents.items.length,
  });
}

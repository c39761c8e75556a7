import type { Strategy } from '@ecs-rebalancer/core';
import { RolloutState, TaskStatus, type SimCluster, type SimDeployment, type SimService } from './types.js';
import type { SimWorld } from './world.js';

/** A new PRIMARY deployment with an ECS-shaped id (`ecs-svc/` and 19 digits). */
export function newDeployment(w: SimWorld, strategy: Strategy, rolloutState: RolloutState, reason: string): SimDeployment {
  const now = w.clock.now();
  let digits = String(1 + w.rng.int(9));
  while (digits.length < 19) digits += String(w.rng.int(10));
  return {
    id: `ecs-svc/${digits}`,
    status: 'PRIMARY',
    strategy: strategy.map((i) => ({ ...i })),
    rolloutState,
    rolloutStateReason: reason,
    createdAt: now,
    updatedAt: now,
    failedTasks: 0,
  };
}

/**
 * Retires deployments without live tasks (INACTIVE), keeps the others ACTIVE, and completes
 * the PRIMARY rollout once it alone runs desiredCount tasks.
 */
export function updateDeployments(w: SimWorld, cluster: SimCluster, svc: SimService): void {
  const primary = svc.deployments[0];
  if (!primary) return;
  const now = w.clock.now();
  const liveByDeployment = new Map<string, number>();
  let primaryRunning = 0;
  for (const t of svc.live) {
    if (t.desiredStatus !== 'RUNNING' || !t.deploymentId) continue;
    liveByDeployment.set(t.deploymentId, (liveByDeployment.get(t.deploymentId) ?? 0) + 1);
    if (t.deploymentId === primary.id && t.lastStatus === TaskStatus.Running) primaryRunning++;
  }
  const kept: SimDeployment[] = [primary];
  for (const d of svc.deployments.slice(1)) {
    if ((liveByDeployment.get(d.id) ?? 0) > 0) {
      if (d.status !== 'ACTIVE') {
        d.status = 'ACTIVE';
        d.updatedAt = now;
      }
      kept.push(d);
    } else {
      d.status = 'INACTIVE';
      d.updatedAt = now;
    }
  }
  svc.deployments = kept;
  if (primary.rolloutState === RolloutState.InProgress && kept.length === 1 && primaryRunning >= svc.desiredCount) {
    primary.rolloutState = RolloutState.Completed;
    primary.rolloutStateReason = 'ECS deployment completed.';
    primary.updatedAt = now;
    const record = w.deployments.find((r) => r.id === primary.id);
    if (record) {
      record.completedAt = w.now();
      record.rolloutState = RolloutState.Completed;
    }
  }
}

/** Marks a service's PRIMARY deployment FAILED. */
export function failDeployment(w: SimWorld, svc: SimService, reason: string): void {
  const primary = svc.deployments[0];
  if (!primary) throw new RangeError(`no deployment of ${svc.cluster}/${svc.name}`);
  primary.rolloutState = RolloutState.Failed;
  primary.rolloutStateReason = reason;
  svc.dirty = true;
  primary.updatedAt = w.clock.now();
  const record = w.deployments.find((r) => r.id === primary.id);
  if (record) record.rolloutState = RolloutState.Failed;
}

/** Starts a rolling deployment of `strategy` as the new PRIMARY (older deployments ACTIVE until their tasks are gone). */
export function startDeployment(w: SimWorld, cluster: SimCluster, svc: SimService, strategy: Strategy, reason: string): SimDeployment {
  const deployment = newDeployment(w, strategy, RolloutState.InProgress, reason);
  for (const d of svc.deployments) d.status = 'ACTIVE';
  svc.deployments.unshift(deployment);
  svc.strategy = strategy.map((i) => ({ ...i }));
  svc.dirty = true;
  w.deployments.push({
    cluster: cluster.name,
    service: svc.name,
    id: deployment.id,
    strategy: svc.strategy,
    startedAt: w.now(),
    completedAt: null,
    rolloutState: RolloutState.InProgress,
  });
  return deployment;
}

/**
 * The circuit breaker's rollback: a new deployment of the last deployment that COMPLETED
 * (here: its capacity provider strategy), IN_PROGRESS, replacing the failed one's tasks.
 */
export function startRollback(w: SimWorld, cluster: SimCluster, svc: SimService): void {
  const failed = svc.deployments[0];
  const last = [...w.deployments].reverse().find((r) => r.cluster === cluster.name && r.service === svc.name && r.id !== failed?.id && r.completedAt !== null);
  if (last) startDeployment(w, cluster, svc, last.strategy, `ECS deployment circuit breaker: rolling back to deployment ${last.id}.`);
}

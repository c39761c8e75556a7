import type { InstanceStatus } from '@ecs-rebalancer/core';
import {
  TaskStatus,
  taskGroup,
  type DrainRecord,
  type SimCluster,
  type SimDeployment,
  type SimInstance,
  type SimProvider,
  type SimService,
  type SimTask,
} from './types.js';
import type { SimWorld } from './world.js';

// The task lifecycle and the indexes that keep the model linear in tasks and instances:
// tasks per instance (`cluster.onInstance`), per service (`svc.live`, `svc.azCounts`), waiting
// for capacity (`cluster.provisioning`), RUNNING per provider (`cluster.running`) and the
// ACTIVE instances with a free slot (`provider.free`). Every status change goes through here.

/** A new PROVISIONING task of a service's deployment (or standalone), on `provider`, not yet placed. */
export function createTask(
  w: SimWorld,
  cluster: SimCluster,
  svc: SimService | undefined,
  deployment: SimDeployment | undefined,
  provider: string,
): SimTask {
  const id = w.rng.hex(32);
  const task: SimTask = {
    id,
    arn: w.arns.task(cluster.name, id),
    cluster: cluster.name,
    service: svc?.name,
    deploymentId: deployment?.id,
    provider,
    lastStatus: TaskStatus.Provisioning,
    desiredStatus: 'RUNNING',
    createdAt: w.clock.now(),
  };
  cluster.tasks.set(id, task);
  cluster.live.set(id, task);
  cluster.provisioning.add(task);
  let waiting = cluster.provisioningBy.get(provider);
  if (!waiting) cluster.provisioningBy.set(provider, (waiting = new Set()));
  waiting.add(task);
  svc?.live.add(task);
  if (svc) svc.dirty = true;
  return task;
}

/** Sets a task's lastStatus, keeping the RUNNING counters. */
export function setTaskStatus(cluster: SimCluster, task: SimTask, status: TaskStatus): void {
  if (task.lastStatus === status) return;
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  if (svc) {
    svc.dirty = true;
    if (task.desiredStatus === 'RUNNING' && (task.lastStatus === TaskStatus.Running) !== (status === TaskStatus.Running)) svc.running += status === TaskStatus.Running ? 1 : -1;
  }
  if (task.lastStatus === TaskStatus.Running) cluster.running.set(task.provider, (cluster.running.get(task.provider) ?? 0) - 1);
  if (status === TaskStatus.Running) cluster.running.set(task.provider, (cluster.running.get(task.provider) ?? 0) + 1);
  if (task.lastStatus === TaskStatus.Provisioning) {
    cluster.provisioning.delete(task);
    cluster.provisioningBy.get(task.provider)?.delete(task);
  }
  task.lastStatus = status;
}

/** Puts a task on a container instance (or, with `inst` undefined, on Fargate in `az`). */
export function assignTask(w: SimWorld, cluster: SimCluster, task: SimTask, inst: SimInstance | undefined, az: string | undefined): void {
  task.availabilityZone = inst?.availabilityZone ?? az;
  if (inst) {
    task.instanceId = inst.id;
    let set = cluster.onInstance.get(inst.id);
    if (!set) cluster.onInstance.set(inst.id, (set = new Set()));
    set.add(task);
    refreshFree(cluster, inst);
  }
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  if (svc && task.availabilityZone) svc.azCounts.set(task.availabilityZone, (svc.azCounts.get(task.availabilityZone) ?? 0) + 1);
  task.cancelProvisioningTimeout?.();
  task.cancelProvisioningTimeout = undefined;
}

export function stopTask(w: SimWorld, task: SimTask, reason: string, stopCode?: string): void {
  if (task.lastStatus === TaskStatus.Stopped) return;
  const cluster = w.clusters.get(task.cluster);
  task.cancelStart?.();
  task.cancelProvisioningTimeout?.();
  if (cluster) markStopping(cluster, task);
  else task.desiredStatus = 'STOPPED';
  task.stoppedAt = w.clock.now();
  task.stoppedReason = reason;
  if (stopCode) task.stopCode = stopCode;
  if (!cluster) return;
  setTaskStatus(cluster, task, TaskStatus.Stopped);
  cluster.live.delete(task.id);
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  svc?.live.delete(task);
  if (svc && task.availabilityZone) {
    const n = (svc.azCounts.get(task.availabilityZone) ?? 0) - 1;
    if (n > 0) svc.azCounts.set(task.availabilityZone, n);
    else svc.azCounts.delete(task.availabilityZone);
  }
  if (task.instanceId) {
    cluster.onInstance.get(task.instanceId)?.delete(task);
    const inst = cluster.instances.get(task.instanceId);
    if (inst) refreshFree(cluster, inst);
  }
}

/** Sets a task's desiredStatus to STOPPED (it no longer counts as running for its service) and tells the scheduler. */
export function markStopping(cluster: SimCluster, task: SimTask): void {
  if (task.desiredStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  if (!svc) return;
  if (task.lastStatus === TaskStatus.Running) svc.running--;
  svc.dirty = true;
}

/** Tells the service scheduler to look at the task's service again. */
export function markDirty(cluster: SimCluster, task: SimTask): void {
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  if (svc) svc.dirty = true;
}

/** Keeps `provider.free` (ACTIVE instances with a free slot) and `provider.instances` (alive) true for one instance. */
export function refreshFree(cluster: SimCluster, inst: SimInstance): void {
  const provider = inst.provider ? cluster.providerState.get(inst.provider) : undefined;
  if (!provider) return;
  if (inst.status === 'INACTIVE') provider.instances.delete(inst);
  else provider.instances.add(inst);
  const load = cluster.onInstance.get(inst.id)?.size ?? 0;
  if (inst.status === 'ACTIVE' && load < inst.slots) provider.free.add(inst);
  else provider.free.delete(inst);
}

/** Tasks on a container instance that are not STOPPED. */
export function tasksOn(cluster: SimCluster, inst: SimInstance): SimTask[] {
  return [...(cluster.onInstance.get(inst.id) ?? [])];
}

/** How many tasks that are not STOPPED a container instance holds. */
export function loadOf(cluster: SimCluster, inst: SimInstance): number {
  return cluster.onInstance.get(inst.id)?.size ?? 0;
}

/**
 * The instance ECS's default service placement picks: spread across Availability Zones (the
 * zone with the fewest tasks of the service), then across instances (the fewest tasks of the
 * service, then the fewest tasks at all), among ACTIVE instances of the provider with a free
 * slot. Standalone tasks go to the least loaded instance.
 */
export function pickInstance(cluster: SimCluster, provider: SimProvider, svc: SimService | undefined): SimInstance | undefined {
  let best: SimInstance | undefined;
  let bestKey: [number, number, number] | undefined;
  for (const inst of provider.free) {
    const onIt = cluster.onInstance.get(inst.id);
    let mine = 0;
    if (svc && onIt) for (const t of onIt) if (t.service === svc.name) mine++;
    const key: [number, number, number] = [svc ? (svc.azCounts.get(inst.availabilityZone) ?? 0) : 0, mine, onIt?.size ?? 0];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
      best = inst;
      bestKey = key;
    }
  }
  return best;
}

/** RUNNING tasks of a service that are meant to run (its runningCount), from the counter `setTaskStatus` and `markStopping` keep. */
export function serviceRunning(svc: SimService): number {
  return svc.running;
}

/** Running / pending counts of a service (all its deployments, or one). */
export function serviceCounts(w: SimWorld, svc: SimService, deploymentId?: string): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const t of svc.live) {
    if (t.desiredStatus !== 'RUNNING') continue;
    if (deploymentId && t.deploymentId !== deploymentId) continue;
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus !== TaskStatus.Stopped) pending++;
  }
  return { running, pending };
}

/** Running / pending tasks on a container instance. */
export function instanceCounts(w: SimWorld, inst: SimInstance): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const t of w.clusters.get(inst.cluster)?.onInstance.get(inst.id) ?? []) {
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus === TaskStatus.Pending) pending++;
  }
  return { running, pending };
}

/** The task groups (`service:NAME`, `family:…`) of the tasks on a container instance that are not stopped, each once. */
export function instanceTaskGroups(w: SimWorld, inst: SimInstance): string[] {
  const groups = new Set<string>();
  for (const t of w.clusters.get(inst.cluster)?.onInstance.get(inst.id) ?? []) groups.add(taskGroup(t));
  return [...groups].sort();
}

/** Moves an instance between ACTIVE and DRAINING, recording a drain (and its lead on a pending interruption). */
export function setInstanceStatus(w: SimWorld, inst: SimInstance, status: InstanceStatus, by: DrainRecord['by'] = 'api'): void {
  inst.status = status;
  const cluster = w.clusters.get(inst.cluster);
  if (cluster) {
    refreshFree(cluster, inst);
    for (const t of cluster.onInstance.get(inst.id) ?? []) markDirty(cluster, t);
  }
  if (status !== 'DRAINING') return;
  w.drains.push({
    time: w.now(),
    cluster: inst.cluster,
    ec2InstanceId: inst.ec2InstanceId,
    containerInstanceArn: inst.arn,
    capacityProvider: inst.provider,
    interrupted: w.interruptions.has(inst.ec2InstanceId),
    by,
  });
  const pending = w.interruptions.get(inst.ec2InstanceId);
  if (pending && !pending.drainedAt) pending.drainedAt = w.now();
}

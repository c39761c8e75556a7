import { TaskStatus, taskGroup, type SimCluster, type SimDeployment, type SimInstance, type SimService, type SimTask } from './types.js';
import type { SimWorld } from './world.js';

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
  return task;
}

export function stopTask(w: SimWorld, task: SimTask, reason: string, stopCode?: string): void {
  if (task.lastStatus === TaskStatus.Stopped) return;
  task.cancelStart?.();
  task.desiredStatus = 'STOPPED';
  task.lastStatus = TaskStatus.Stopped;
  task.stoppedAt = w.clock.now();
  task.stoppedReason = reason;
  if (stopCode) task.stopCode = stopCode;
  w.clusters.get(task.cluster)?.live.delete(task.id);
}

/** Tasks on a container instance that are not STOPPED. */
export function tasksOn(cluster: SimCluster, inst: SimInstance): SimTask[] {
  return [...cluster.live.values()].filter((t) => t.instanceId === inst.id && t.lastStatus !== TaskStatus.Stopped);
}

/** ACTIVE instances of a provider with a free slot, least loaded first (ECS spread by instance). */
export function freeInstances(cluster: SimCluster, provider: string): SimInstance[] {
  const load = new Map<string, number>();
  for (const t of cluster.live.values()) {
    if (t.instanceId && t.lastStatus !== TaskStatus.Stopped) load.set(t.instanceId, (load.get(t.instanceId) ?? 0) + 1);
  }
  return [...cluster.instances.values()]
    .filter((i) => i.provider === provider && i.status === 'ACTIVE' && (load.get(i.id) ?? 0) < i.slots)
    .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
}

/** Puts a PROVISIONING task on capacity: a free slot of its provider, or Fargate. */
export function placeTask(w: SimWorld, cluster: SimCluster, task: SimTask): boolean {
  const provider = cluster.providerState.get(task.provider);
  if (!provider) return false;
  if (provider.type === 'EC2_AUTOSCALING') {
    const target = freeInstances(cluster, provider.name)[0];
    if (!target) return false;
    task.instanceId = target.id;
    task.availabilityZone = target.availabilityZone;
  } else {
    if (!provider.capacityAvailable) return false;
    task.availabilityZone = provider.availabilityZones[w.rng.int(provider.availabilityZones.length)];
  }
  task.lastStatus = TaskStatus.Pending;
  task.cancelStart = w.clock.schedule(w.taskStartDelay, () => {
    if (task.desiredStatus === 'RUNNING' && task.lastStatus === TaskStatus.Pending) {
      task.lastStatus = TaskStatus.Running;
      task.startedAt = w.clock.now();
    }
  });
  return true;
}

/** Running / pending counts of a service (all its deployments, or one). */
export function serviceCounts(w: SimWorld, svc: SimService, deploymentId?: string): { running: number; pending: number } {
  const cluster = w.clusters.get(svc.cluster);
  let running = 0;
  let pending = 0;
  for (const t of cluster?.live.values() ?? []) {
    if (t.service !== svc.name || t.desiredStatus !== 'RUNNING') continue;
    if (deploymentId && t.deploymentId !== deploymentId) continue;
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus !== TaskStatus.Stopped) pending++;
  }
  return { running, pending };
}

/** Running / pending tasks on a container instance. */
export function instanceCounts(w: SimWorld, inst: SimInstance): { running: number; pending: number } {
  const cluster = w.clusters.get(inst.cluster);
  let running = 0;
  let pending = 0;
  for (const t of cluster?.live.values() ?? []) {
    if (t.instanceId !== inst.id) continue;
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus === TaskStatus.Pending) pending++;
  }
  return { running, pending };
}

/** The task groups (`service:NAME`, `family:…`) of the tasks on a container instance that are not stopped, each once. */
export function instanceTaskGroups(w: SimWorld, inst: SimInstance): string[] {
  const groups = new Set<string>();
  for (const t of w.clusters.get(inst.cluster)?.live.values() ?? []) {
    if (t.instanceId === inst.id) groups.add(taskGroup(t));
  }
  return [...groups].sort();
}

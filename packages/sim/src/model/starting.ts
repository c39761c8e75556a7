import { createTask, pickInstance, assignTask, setTaskStatus, stopTask } from './tasks.js';
import { RolloutState, TaskStatus, type SimCluster, type SimDeployment, type SimService, type SimTask } from './types.js';
import type { SimWorld } from './world.js';
import { failDeployment, startRollback } from './deployments.js';

// From placement to RUNNING, or to a failed start. Figures and sources: packages/sim/README.md.

/** ECS: a task whose image has no variant for the instance's CPU runs its entrypoint and exits at once ("exec format error"). */
export const WRONG_ARCHITECTURE = {
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
} as const;

/** A task that waited for capacity longer than ECS allows. The wording is the simulator's: ECS's is not documented. */
export const PROVISIONING_TIMEOUT = {
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'Task stopped after waiting in PROVISIONING: no capacity became available to place it.',
} as const;

/** A new task (PROVISIONING), stopped by ECS if it is still waiting for capacity after the provisioning timeout. */
export function newTask(w: SimWorld, cluster: SimCluster, svc: SimService | undefined, deployment: SimDeployment | undefined, provider: string): SimTask {
  const task = createTask(w, cluster, svc, deployment, provider);
  task.cancelProvisioningTimeout = w.clock.schedule(w.provisioningTimeout, () => {
    if (task.lastStatus === TaskStatus.Provisioning && task.desiredStatus === 'RUNNING') {
      failToStart(w, cluster, task, PROVISIONING_TIMEOUT.stopCode, PROVISIONING_TIMEOUT.stoppedReason, 'provisioning timeout');
    }
  });
  return task;
}

/**
 * Puts a PROVISIONING task on capacity (an instance by ECS's spread, or Fargate) and starts
 * it: PENDING for the service's start time, then RUNNING, or STOPPED when the image has no
 * variant for the instance's architecture.
 */
export function placeTask(w: SimWorld, cluster: SimCluster, task: SimTask): boolean {
  const provider = cluster.providerState.get(task.provider);
  if (!provider) return false;
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  let wrongArchitecture = false;
  if (provider.type === 'EC2_AUTOSCALING') {
    const target = pickInstance(cluster, provider, svc);
    if (!target) return false;
    assignTask(w, cluster, task, target, undefined);
    wrongArchitecture = svc !== undefined && !svc.architectures.has(target.architecture);
  } else {
    if (!provider.capacityAvailable) return false;
    assignTask(w, cluster, task, undefined, fargateZone(w, provider.availabilityZones, svc));
    // Fargate Spot and Fargate run x86_64 unless the task definition asks for ARM64 (not modelled).
  }
  setTaskStatus(cluster, task, TaskStatus.Pending);
  task.cancelStart = w.clock.schedule(svc?.startSeconds ?? w.taskStartDelay, () => {
    if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== TaskStatus.Pending) return;
    if (wrongArchitecture) {
      failToStart(w, cluster, task, WRONG_ARCHITECTURE.stopCode, WRONG_ARCHITECTURE.stoppedReason, 'exec format error');
      return;
    }
    setTaskStatus(cluster, task, TaskStatus.Running);
    task.startedAt = w.clock.now();
  });
  return true;
}

/** The zone of the fewest tasks of the service (ECS's AZ spread); ties and standalone tasks by the seeded PRNG. */
function fargateZone(w: SimWorld, zones: string[], svc: SimService | undefined): string | undefined {
  if (!svc) return zones[w.rng.int(zones.length)];
  const fewest = Math.min(...zones.map((z) => svc.azCounts.get(z) ?? 0));
  const candidates = zones.filter((z) => (svc.azCounts.get(z) ?? 0) === fewest);
  return candidates[w.rng.int(candidates.length)];
}

/**
 * A task that never became RUNNING: stopped, counted in `tasksFailedToStart`, and fed to its
 * deployment's circuit breaker when the service enables it. ECS's threshold (deployment
 * circuit breaker): half the desired count, rounded up, at least 3 and at most 200 failed
 * tasks; then the deployment is FAILED and, with rollback, the last completed one comes back.
 */
export function failToStart(w: SimWorld, cluster: SimCluster, task: SimTask, stopCode: string, reason: string, detail: string): void {
  stopTask(w, task, reason, stopCode);
  const key = `${cluster.name}/${task.service ?? '(standalone)'}`;
  w.failedToStartBy.set(key, (w.failedToStartBy.get(key) ?? 0) + 1);
  w.failedToStart.push({ time: w.now(), cluster: cluster.name, service: task.service ?? null, taskArn: task.arn, stopCode, stoppedReason: `${reason} (${detail})` });
  const svc = task.service ? cluster.services.get(task.service) : undefined;
  const deployment = svc?.deployments.find((d) => d.id === task.deploymentId);
  if (!svc || !deployment) return;
  deployment.failedTasks++;
  const primary = svc.deployments[0];
  if (!svc.circuitBreaker.enable || deployment !== primary || primary.rolloutState !== RolloutState.InProgress) return;
  const threshold = Math.min(200, Math.max(3, Math.ceil(svc.desiredCount / 2)));
  if (primary.failedTasks < threshold) return;
  failDeployment(w, svc, `ECS deployment circuit breaker: tasks failed to start.`);
  if (svc.circuitBreaker.rollback) startRollback(w, cluster, svc);
}

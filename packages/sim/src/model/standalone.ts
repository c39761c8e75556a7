import { findCluster } from './lookups.js';
import { newTask, placeTask } from './starting.js';
import { setTaskStatus } from './tasks.js';
import { TaskStatus, type SimTask } from './types.js';
import type { SimWorld } from './world.js';

/**
 * Standalone tasks (RunTask) on one capacity provider. No service scheduler looks after them:
 * draining leaves them running (ECS: "standalone tasks are not affected" by DRAINING) and they
 * die with their instance, counted lost under `cluster/(standalone)`. `running`: tasks of the
 * initial state, RUNNING at once where they find a slot.
 */
export function runTasks(w: SimWorld, clusterName: string, capacityProvider: string, count: number, running: boolean): SimTask[] {
  const cluster = findCluster(w, clusterName);
  if (!cluster.providerState.has(capacityProvider)) throw new RangeError(`cluster ${clusterName} has no capacity provider ${capacityProvider}`);
  const tasks: SimTask[] = [];
  for (let i = 0; i < count; i++) {
    const task = newTask(w, cluster, undefined, undefined, capacityProvider);
    tasks.push(task);
    if (!placeTask(w, cluster, task) || !running) continue;
    task.cancelStart?.();
    setTaskStatus(cluster, task, TaskStatus.Running);
    task.startedAt = w.clock.now();
  }
  return tasks;
}

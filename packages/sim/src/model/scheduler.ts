import { METRIC_PERIOD_SECONDS, checkPlacementFailures, keepDesiredCapacity, managedScalingStep } from './capacity.js';
import { updateDeployments } from './deployments.js';
import { chooseProvider } from './placement.js';
import { sampleRunning } from './reports.js';
import { newTask, placeTask } from './starting.js';
import { stopTask } from './tasks.js';
import { TaskStatus, type SimCluster, type SimService, type SimTask } from './types.js';
import type { SimWorld } from './world.js';

const MAX_RECONCILE_ROUNDS = 200;

/** Runs the service scheduler and the capacity providers until nothing changes; then samples. */
export function reconcile(w: SimWorld): void {
  if (w.reconciling) return;
  w.reconciling = true;
  try {
    // Only services something changed for are scheduled again (`dirty`): a storm touches a
    // few services at each instant, not the thousand of a fleet.
    const touched = new Set<SimService>();
    for (let round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
      let changed = false;
      for (const cluster of w.clusters.values()) {
        changed = placePending(w, cluster) || changed;
        for (const svc of cluster.services.values()) {
          if (!svc.dirty) continue;
          svc.dirty = false;
          touched.add(svc);
          changed = scheduleService(w, cluster, svc) || changed;
        }
        for (const provider of cluster.providerState.values()) changed = keepDesiredCapacity(w, cluster, provider) || changed;
      }
      if (!changed) break;
    }
    for (const svc of touched) {
      const cluster = w.clusters.get(svc.cluster);
      if (cluster) updateDeployments(w, cluster, svc);
    }
    for (const cluster of w.clusters.values()) checkPlacementFailures(w, cluster);
    sampleRunning(w, false);
  } finally {
    w.reconciling = false;
  }
}

/** ECS managed scaling evaluates CapacityProviderReservation once per metric period. */
export function startManagedScaling(w: SimWorld): void {
  const tick = () => {
    for (const cluster of w.clusters.values()) for (const p of cluster.providerState.values()) managedScalingStep(w, cluster, p);
    reconcile(w);
    w.clock.schedule(METRIC_PERIOD_SECONDS, tick);
  };
  w.clock.schedule(METRIC_PERIOD_SECONDS, tick);
}

function placePending(w: SimWorld, cluster: SimCluster): boolean {
  // Only providers with a task waiting and a free slot now (an ACTIVE instance with room, or
  // Fargate with capacity) can place anything: tasks waiting for a launch are not tried one
  // by one at every reconcile.
  const open = [...cluster.providerState].filter(
    ([name, p]) => (cluster.provisioningBy.get(name)?.size ?? 0) > 0 && (p.type === 'EC2_AUTOSCALING' ? p.free.size > 0 : p.capacityAvailable),
  );
  if (open.length === 0) return false;
  // One provider: its own queue is the cluster's order restricted to it.
  const waiting = open.length === 1 ? cluster.provisioningBy.get(open[0]![0])! : cluster.provisioning;
  let changed = false;
  // A provider that placed nothing for one task has no slot left for the next ones.
  const left = new Set(open.map(([name]) => name));
  // Placing a task takes it out of `waiting` (a Set: iteration goes on past a deleted entry).
  for (const t of waiting) {
    if (left.size === 0) break;
    if (t.desiredStatus !== 'RUNNING' || !left.has(t.provider)) continue;
    if (placeTask(w, cluster, t)) changed = true;
    else left.delete(t.provider);
  }
  return changed;
}

/**
 * One pass of the ECS service scheduler for a replica service. Tasks of an older deployment
 * and tasks on DRAINING instances are to be replaced. Replacements start while RUNNING +
 * PENDING tasks stay within maximumPercent (rounded down) of desiredCount. RUNNING tasks to
 * replace stop while the service keeps minimumHealthyPercent (rounded up) of desiredCount
 * RUNNING:
 * - a task on a DRAINING instance stops without waiting for its replacement (ECS, container
 *   instance draining: below 100 % "the scheduler can ignore desiredCount temporarily", so
 *   min 50 stops up to half at once and min 100 only once the replacement runs);
 * - a task of an older deployment stops once a replacement runs, or, when maximumPercent
 *   leaves no room to start one, down to minimumHealthyPercent.
 * Replaced tasks that are not running yet stop at once (ECS: PENDING service tasks on a
 * DRAINING instance stop immediately).
 */
function scheduleService(w: SimWorld, cluster: SimCluster, svc: SimService): boolean {
  const primary = svc.deployments[0];
  if (!primary) return false;
  let changed = false;
  const desired = svc.desiredCount;
  const cap = Math.max(Math.floor((desired * svc.maximumPercent) / 100), desired);
  const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100);
  const replaced = (t: SimTask) => {
    if (t.deploymentId !== primary.id) return true;
    const inst = t.instanceId ? cluster.instances.get(t.instanceId) : undefined;
    return inst?.status === 'DRAINING';
  };

  const live = () => [...svc.live].filter((t) => t.desiredStatus === 'RUNNING');

  for (const t of live()) {
    if (replaced(t) && t.lastStatus !== TaskStatus.Running) {
      stopTask(w, t, `Task stopped by the ECS service scheduler (service ${svc.name}: replaced before it ran).`, 'ServiceSchedulerInitiated');
      changed = true;
    }
  }

  let tasks = live();
  let good = tasks.filter((t) => !replaced(t));
  if (good.length > desired) {
    const order: TaskStatus[] = [TaskStatus.Provisioning, TaskStatus.Pending, TaskStatus.Running];
    const extra = [...good].sort((a, b) => order.indexOf(a.lastStatus) - order.indexOf(b.lastStatus)).slice(0, good.length - desired);
    for (const t of extra) stopTask(w, t, `Task stopped by the ECS service scheduler (service ${svc.name}: desired count lowered).`, 'ServiceSchedulerInitiated');
    changed = changed || extra.length > 0;
    tasks = live();
    good = tasks.filter((t) => !replaced(t));
  }

  // Start replacements and missing tasks within maximumPercent.
  const toStart = Math.max(0, Math.min(desired - good.length, cap - tasks.length));
  if (toStart > 0) {
    const counts = new Map<string, number>();
    for (const t of good) counts.set(t.provider, (counts.get(t.provider) ?? 0) + 1);
    for (let i = 0; i < toStart; i++) {
      const provider = chooseProvider(primary.strategy, counts);
      if (!provider) break;
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
      const task = newTask(w, cluster, svc, primary, provider);
      placeTask(w, cluster, task);
      changed = true;
    }
    tasks = live();
    good = tasks.filter((t) => !replaced(t));
  }

  // Stop replaced RUNNING tasks within minimumHealthyPercent: first as many as there are
  // replacements running beyond desiredCount, then every task on a DRAINING instance, then,
  // if maximumPercent blocks starting more, older deployments' tasks.
  const oldRunning = tasks.filter((t) => replaced(t) && t.lastStatus === TaskStatus.Running);
  if (oldRunning.length > 0) {
    const running = tasks.filter((t) => t.lastStatus === TaskStatus.Running).length;
    const mayStop = Math.max(0, running - minHealthy);
    const surplus = Math.max(0, running - desired);
    const onDraining = (t: SimTask) => (t.instanceId ? cluster.instances.get(t.instanceId)?.status === 'DRAINING' : false);
    // Old deployments' tasks go before tasks merely on draining instances; oldest first.
    const ordered = [...oldRunning].sort(
      (a, b) => Number(b.deploymentId !== primary.id) - Number(a.deploymentId !== primary.id) || a.createdAt - b.createdAt,
    );
    const stops = new Set(ordered.slice(0, Math.min(surplus, mayStop)));
    for (const t of ordered) {
      if (stops.size >= mayStop) break;
      if (onDraining(t)) stops.add(t);
    }
    const blocked = good.length < desired && tasks.length - stops.size >= cap;
    for (const t of blocked ? ordered : []) {
      if (stops.size >= mayStop) break;
      stops.add(t);
    }
    for (const t of stops) {
      stopTask(
        w,
        t,
        t.deploymentId === primary.id
          ? `Service ${svc.name}: container instance is in DRAINING state.`
          : `Task stopped by the ECS service scheduler (service ${svc.name}: deployment ${primary.id} replaces it).`,
        'ServiceSchedulerInitiated',
      );
      changed = true;
    }
  }
  return changed;
}

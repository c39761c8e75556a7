import { placementFailure } from './events.js';
import { slotsForInstanceType } from './placement.js';
import { TaskStatus, type SimCluster, type SimProvider, type SimService } from './types.js';
import type { SimWorld } from './world.js';

/**
 * ASG providers under managed scaling: tasks waiting for capacity raise the group's desired
 * count (up to maxSize) by the instances needed to hold them; the group also replaces
 * instances that were terminated. Launches register after `launchDelaySeconds`.
 */
export function scaleProvider(w: SimWorld, cluster: SimCluster, p: SimProvider): boolean {
  if (p.type !== 'EC2_AUTOSCALING') return false;
  const alive = [...cluster.instances.values()].filter((i) => i.provider === p.name && i.status !== 'INACTIVE').length;
  const waiting = [...cluster.live.values()].filter(
    (t) => t.provider === p.name && t.desiredStatus === 'RUNNING' && t.lastStatus === TaskStatus.Provisioning,
  ).length;
  const slots = p.slotsPerInstance ?? slotsForInstanceType(p.instanceType, w.defaultSlots);
  const need = waiting - p.launching * slots;
  if (need > 0) {
    const wanted = Math.min(p.maxSize, alive + p.launching + Math.ceil(need / slots));
    if (wanted > p.desired) p.desired = wanted;
  }
  if (!p.capacityAvailable) return false;
  const missing = p.desired - alive - p.launching;
  if (missing <= 0) return false;
  const replacement = need <= 0;
  for (let i = 0; i < missing; i++) launch(w, cluster, p);
  w.scaleOuts.push({
    time: w.now(),
    cluster: cluster.name,
    capacityProvider: p.name,
    launched: missing,
    reason: replacement ? 'replacement' : 'scale-out',
  });
  return true;
}

function launch(w: SimWorld, cluster: SimCluster, p: SimProvider): void {
  p.launching++;
  const az = p.availabilityZones[p.launchedTotal % p.availabilityZones.length] ?? `${w.region}a`;
  p.launchedTotal++;
  w.clock.schedule(p.launchDelaySeconds, () => {
    p.launching--;
    const id = w.rng.hex(32);
    cluster.instances.set(id, {
      id,
      arn: w.arns.containerInstance(cluster.name, id),
      cluster: cluster.name,
      ec2InstanceId: `i-${w.rng.hex(17)}`,
      provider: p.name,
      status: 'ACTIVE',
      slots: p.slotsPerInstance ?? slotsForInstanceType(p.instanceType, w.defaultSlots),
      instanceType: p.instanceType,
      availabilityZone: az,
      registeredAt: w.clock.now(),
      agentConnected: true,
    });
  });
}

/**
 * ECS reports SERVICE_TASK_PLACEMENT_FAILURE when a service's task finds no capacity and
 * none is coming: the provider has no capacity to give (Spot pools empty, Fargate Spot
 * exhausted) or its ASG is at maxSize. Once per service and provider until a task of that
 * provider is placed again.
 */
export function checkPlacementFailures(w: SimWorld, cluster: SimCluster, svc: SimService): void {
  const waitingBy = new Set<string>();
  for (const t of cluster.live.values()) {
    if (t.service === svc.name && t.desiredStatus === 'RUNNING' && t.lastStatus === TaskStatus.Provisioning) waitingBy.add(t.provider);
  }
  for (const name of [...svc.placementFailing]) if (!waitingBy.has(name)) svc.placementFailing.delete(name);
  for (const name of waitingBy) {
    if (svc.placementFailing.has(name)) continue;
    const p = cluster.providerState.get(name);
    if (!p) continue;
    const stuck = !p.capacityAvailable || (p.type === 'EC2_AUTOSCALING' && p.launching === 0 && p.desired >= p.maxSize);
    if (!stuck) continue;
    svc.placementFailing.add(name);
    const reason = p.type === 'EC2_AUTOSCALING' ? 'RESOURCE:CPU' : 'RESOURCE:FARGATE';
    const event = placementFailure(w.origin(), svc.arn, cluster.arn, [p.arn], reason);
    w.placementFailures.push({
      time: w.now(),
      cluster: cluster.name,
      service: svc.name,
      capacityProvider: name,
      reason,
      eventId: event.id,
    });
    w.events.push(event);
  }
}

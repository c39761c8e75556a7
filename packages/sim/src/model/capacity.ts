import { instanceStateChange, launchUnsuccessful, placementFailure } from './events.js';
import { slotsForInstanceType } from './placement.js';
import { loadOf, refreshFree, setInstanceStatus, stopTask, tasksOn } from './tasks.js';
import { TaskStatus, type SimCluster, type SimInstance, type SimProvider, type SimService } from './types.js';
import type { SimWorld } from './world.js';
import { architectureOf } from './architecture.js';

// EC2 Auto Scaling groups behind ECS capacity providers. Figures and sources: packages/sim/README.md.

/** CloudWatch period of the CapacityProviderReservation metric (ECS publishes it once a minute). */
export const METRIC_PERIOD_SECONDS = 60;
/** Target tracking's low alarm: the metric below target for 15 consecutive one-minute periods before a scale-in. */
export const SCALE_IN_AFTER_SECONDS = 15 * 60;
/** Largest share of the group one managed scale-in step removes (ECS, "Faster Scaling-in", 2022). */
export const SCALE_IN_STEP_SHARE = 0.5;
/** How long the group waits before it tries a failed launch again (simulator's estimate: EC2 Auto Scaling documents no figure). */
export const LAUNCH_RETRY_SECONDS = 60;

export const SPOT_NO_CAPACITY = 'There is no Spot capacity available that matches your request. Launching EC2 instance failed.';

function onDemandNoCapacity(instanceType: string, az: string): string {
  return `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.`;
}

function slotsOf(w: SimWorld, p: SimProvider): number {
  return p.slotsPerInstance ?? slotsForInstanceType(p.instanceType, w.defaultSlots);
}

/**
 * CapacityProviderReservation = M / N × 100 (ECS, "Deep Dive on Amazon ECS Cluster Auto
 * Scaling"): N the instances in the group, M the instances needed to run every task, those
 * waiting in PROVISIONING included: instances running at least one task plus the instances
 * the waiting tasks would fill. 100 with nothing to run and no instance; 200 with tasks
 * waiting and no instance.
 */
export function capacityProviderReservation(w: SimWorld, cluster: SimCluster, p: SimProvider): { m: number; n: number; value: number } {
  let busy = 0;
  for (const inst of p.instances) if (loadOf(cluster, inst) > 0) busy++;
  let waiting = 0;
  for (const t of cluster.provisioning) if (t.provider === p.name && t.desiredStatus === 'RUNNING') waiting++;
  const m = busy + Math.ceil(waiting / slotsOf(w, p));
  const n = p.instances.size;
  const value = n === 0 ? (m === 0 ? 100 : 200) : (m / n) * 100;
  return { m, n, value };
}

/**
 * One evaluation of ECS managed scaling for a provider (each metric period). Above target:
 * the group's desired capacity goes to ceil(M × 100 / targetCapacity), by at least
 * minimumScalingStepSize and at most maximumScalingStepSize instances, up to maxSize — unless
 * an instance is still in its instanceWarmupPeriod. Below target for 15 minutes: scale-in
 * towards the same figure by at most half the group per step, terminating instances that run
 * no task (ECS only lets the group take those), drained first when managed draining is on.
 */
export function managedScalingStep(w: SimWorld, cluster: SimCluster, p: SimProvider): void {
  if (p.type !== 'EC2_AUTOSCALING' || !p.managedScaling.enabled) return;
  const now = w.clock.now();
  const { m, value } = capacityProviderReservation(w, cluster, p);
  const ms = p.managedScaling;
  const wanted = Math.ceil((m * 100) / ms.targetCapacity);
  if (value > ms.targetCapacity) {
    p.lowSince = undefined;
    const warming = [...p.instances].some((i) => i.launchedAt + ms.instanceWarmupPeriod * 1000 > now) || p.launching > 0;
    if (warming || p.desired >= p.maxSize || wanted <= p.desired) return;
    const step = Math.min(ms.maximumScalingStepSize, Math.max(ms.minimumScalingStepSize, wanted - p.desired));
    const next = Math.min(p.maxSize, p.desired + step);
    if (next <= p.desired) return;
    w.scaleOuts.push({ time: w.now(), cluster: cluster.name, capacityProvider: p.name, launched: next - p.desired, reason: 'scale-out', reservation: Math.round(value) });
    p.desired = next;
    return;
  }
  if (value >= ms.targetCapacity) {
    p.lowSince = undefined;
    return;
  }
  p.lowSince ??= now;
  if (now - p.lowSince < SCALE_IN_AFTER_SECONDS * 1000) return;
  const floor = Math.max(p.minSize, wanted, p.desired - Math.max(1, Math.floor(p.desired * SCALE_IN_STEP_SHARE)));
  const empty = [...p.instances].filter((i) => i.status === 'ACTIVE' && loadOf(cluster, i) === 0 && !w.interruptions.has(i.ec2InstanceId));
  const remove = Math.min(p.desired - floor, empty.length);
  if (remove <= 0) return;
  empty.sort((a, b) => a.launchedAt - b.launchedAt || a.ec2InstanceId.localeCompare(b.ec2InstanceId));
  for (const inst of empty.slice(0, remove)) {
    if (p.managedDraining) setInstanceStatus(w, inst, 'DRAINING', 'managed-draining');
    terminateInstance(w, cluster, inst, `Host EC2 (instance ${inst.ec2InstanceId}) terminated by the Auto Scaling group (scale-in).`);
  }
  p.desired -= remove;
  w.scaleOuts.push({ time: w.now(), cluster: cluster.name, capacityProvider: p.name, launched: -remove, reason: 'scale-in', reservation: Math.round(value) });
}

/**
 * The group keeps its desired capacity: it launches what is missing (after a scale-out, or
 * to replace terminated instances). Without capacity every launch activity fails, emitting
 * EC2 Auto Scaling's `EC2 Instance Launch Unsuccessful`, and is retried later.
 */
export function keepDesiredCapacity(w: SimWorld, cluster: SimCluster, p: SimProvider): boolean {
  if (p.type !== 'EC2_AUTOSCALING') return false;
  const missing = p.desired - p.instances.size - p.launching;
  if (missing <= 0) return false;
  const now = w.clock.now();
  if (!p.capacityAvailable) {
    if (p.nextLaunchAttempt !== undefined && now < p.nextLaunchAttempt) return false;
    p.nextLaunchAttempt = now + LAUNCH_RETRY_SECONDS * 1000;
    reportLaunchFailure(w, cluster, p, missing);
    return false;
  }
  p.nextLaunchAttempt = undefined;
  const scaledOut = w.scaleOuts.at(-1);
  const isScaleOut = scaledOut?.time === w.now() && scaledOut.capacityProvider === p.name && scaledOut.cluster === cluster.name && scaledOut.reason === 'scale-out';
  for (let i = 0; i < missing; i++) launch(w, cluster, p);
  if (!isScaleOut) w.scaleOuts.push({ time: w.now(), cluster: cluster.name, capacityProvider: p.name, launched: missing, reason: 'replacement' });
  return true;
}

function reportLaunchFailure(w: SimWorld, cluster: SimCluster, p: SimProvider, missing: number): void {
  const az = p.availabilityZones[p.launchedTotal % p.availabilityZones.length] ?? `${w.region}a`;
  const origin = w.origin();
  const current = p.instances.size + p.launching;
  const statusMessage = p.spot ? SPOT_NO_CAPACITY : onDemandNoCapacity(p.instanceType, az);
  const at = origin.time;
  const event = launchUnsuccessful(origin, {
    autoScalingGroupName: p.autoScalingGroup,
    autoScalingGroupArn: w.arns.autoScalingGroup(p.autoScalingGroup),
    activityId: w.rng.uuid(),
    requestId: w.rng.uuid(),
    availabilityZone: az,
    subnetId: `subnet-${Buffer.from(az).toString('hex').slice(-17)}`,
    statusMessage,
    cause: `At ${at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${current} to ${current + missing}.`,
    startTime: new Date(w.clock.now()).toISOString(),
    endTime: new Date(w.clock.now()).toISOString(),
  });
  w.launchFailures.push({ time: w.now(), cluster: cluster.name, capacityProvider: p.name, autoScalingGroup: p.autoScalingGroup, instances: missing, statusMessage, eventId: event.id });
  w.events.push(event);
}

/** An EC2 launch: running after launchDelaySeconds, its container instance ACTIVE registrationDelaySeconds later. */
function launch(w: SimWorld, cluster: SimCluster, p: SimProvider): void {
  p.launching++;
  const az = p.availabilityZones[p.launchedTotal % p.availabilityZones.length] ?? `${w.region}a`;
  p.launchedTotal++;
  const launchedAt = w.clock.now();
  w.clock.schedule(p.launchDelaySeconds + p.registrationDelaySeconds, () => {
    p.launching--;
    const id = w.rng.hex(32);
    const inst: SimInstance = {
      id,
      arn: w.arns.containerInstance(cluster.name, id),
      cluster: cluster.name,
      ec2InstanceId: `i-${w.rng.hex(17)}`,
      provider: p.name,
      status: 'ACTIVE',
      slots: slotsOf(w, p),
      instanceType: p.instanceType,
      availabilityZone: az,
      architecture: p.architecture ?? architectureOf(p.instanceType),
      registeredAt: w.clock.now(),
      launchedAt,
      agentConnected: true,
    };
    cluster.instances.set(id, inst);
    w.byEc2.set(inst.ec2InstanceId, inst);
    refreshFree(cluster, inst);
  });
}

/**
 * An EC2 instance goes away (Spot reclaim, scale-in; a scheduled stop, with `states`
 * `stopping`/`stopped`): its tasks stop (RUNNING ones are counted lost), the container
 * instance is INACTIVE, and EC2 sends its state changes, `shutting-down` now and `terminated`
 * once it is gone (EC2 User Guide, instance lifecycle). Returns the RUNNING tasks lost.
 */
export function terminateInstance(w: SimWorld, cluster: SimCluster, inst: SimInstance, reason: string, states: readonly [string, string] = ['shutting-down', 'terminated']): number {
  let lost = 0;
  for (const t of tasksOn(cluster, inst)) {
    if (t.lastStatus === TaskStatus.Running) {
      lost++;
      w.countLost(cluster.name, t.service);
    }
    stopTask(w, t, reason, 'TerminationNotice');
  }
  inst.status = 'INACTIVE';
  inst.agentConnected = false;
  refreshFree(cluster, inst);
  const arn = w.arns.ec2Instance(inst.ec2InstanceId);
  w.events.push(instanceStateChange(w.origin(), inst.ec2InstanceId, arn, states[0]));
  w.clock.schedule(TERMINATED_AFTER_SECONDS, () => w.events.push(instanceStateChange(w.origin(), inst.ec2InstanceId, arn, states[1])));
  return lost;
}

/** Seconds from `shutting-down` to `terminated` (simulator's estimate; EC2 documents no figure). */
export const TERMINATED_AFTER_SECONDS = 30;


/**
 * ECS reports SERVICE_TASK_PLACEMENT_FAILURE (ECS Developer Guide, "Amazon ECS service action
 * events") when a service's task cannot be placed and no capacity is coming: a Fargate
 * provider without capacity (reason RESOURCE:FARGATE, as the documented example), or an ASG
 * provider without managed scaling (RESOURCE:CPU). Tasks on a managed-scaling provider wait in
 * PROVISIONING instead (ECS, "Auto Scaling group capacity providers"). Once per service and
 * provider until a task of that provider is placed again.
 */
export function checkPlacementFailures(w: SimWorld, cluster: SimCluster): void {
  for (const svc of [...cluster.failingServices]) {
    for (const name of [...svc.placementFailing]) {
      let waiting = false;
      for (const t of svc.live) if (t.provider === name && t.lastStatus === TaskStatus.Provisioning && t.desiredStatus === 'RUNNING') waiting = true;
      if (!waiting) svc.placementFailing.delete(name);
    }
    if (svc.placementFailing.size === 0) cluster.failingServices.delete(svc);
  }
  const stuck = new Set<SimProvider>();
  for (const p of cluster.providerState.values()) {
    if (p.type === 'EC2_AUTOSCALING' ? !p.managedScaling.enabled && p.launching === 0 : !p.capacityAvailable) stuck.add(p);
  }
  if (stuck.size === 0) return;
  for (const t of cluster.provisioning) {
    const p = cluster.providerState.get(t.provider);
    const svc = t.service ? cluster.services.get(t.service) : undefined;
    if (!p || !stuck.has(p) || !svc || t.desiredStatus !== 'RUNNING' || svc.placementFailing.has(p.name)) continue;
    svc.placementFailing.add(p.name);
    cluster.failingServices.add(svc);
    const reason = p.type === 'EC2_AUTOSCALING' ? 'RESOURCE:CPU' : 'RESOURCE:FARGATE';
    const event = placementFailure(w.origin(), svc.arn, cluster.arn, [p.arn], reason);
    w.placementFailures.push({ time: w.now(), cluster: cluster.name, service: svc.name, capacityProvider: p.name, reason, eventId: event.id });
    w.events.push(event);
  }
}

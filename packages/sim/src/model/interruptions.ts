import { findCluster } from './lookups.js';
import { terminateInstance } from './capacity.js';
import { spotInterruptionWarning, type EventBridgeEvent } from './events.js';
import { interruptFargate } from './fargate-spot.js';
import { reconcile } from './scheduler.js';
import { setInstanceStatus } from './tasks.js';
import type { InterruptionRecord, SimInstance } from './types.js';
import type { SimWorld } from './world.js';

/**
 * Sends EC2 Spot interruption warnings for `count` ACTIVE instances of an ASG provider,
 * picked with the seeded PRNG, and terminates each instance `spotWarningSeconds` (120) later:
 * tasks still RUNNING on it then are lost, the container instance is deregistered and the
 * group launches a replacement. For FARGATE_SPOT it interrupts `count` running tasks (see
 * `interruptFargate`). Returns the events sent now, which also go to `events`.
 */
export function interrupt(w: SimWorld, clusterName: string, capacityProvider: string, count: number): EventBridgeEvent[] {
  const cluster = findCluster(w, clusterName);
  const provider = cluster.providerState.get(capacityProvider);
  if (!provider) throw new RangeError(`cluster ${clusterName} has no capacity provider ${capacityProvider}`);
  if (provider.type === 'FARGATE_SPOT') {
    const events = interruptFargate(w, cluster, provider, count);
    reconcile(w);
    return events;
  }
  const candidates = [...cluster.instances.values()]
    .filter((i) => i.provider === capacityProvider && i.status === 'ACTIVE' && !w.interruptions.has(i.ec2InstanceId))
    .sort((a, b) => a.registeredAt - b.registeredAt || a.ec2InstanceId.localeCompare(b.ec2InstanceId));
  const picked = w.pickRng.shuffle(candidates).slice(0, count);
  const events = picked.map((inst) => warnInstance(w, inst));
  reconcile(w);
  return events;
}

/** Sends the Spot interruption warning for one EC2 instance (by id) and schedules its termination. */
export function interruptInstance(w: SimWorld, ec2InstanceId: string): EventBridgeEvent {
  const inst = w.byEc2.get(ec2InstanceId);
  if (!inst || inst.status === 'INACTIVE') throw new RangeError(`no registered container instance runs on ${ec2InstanceId}`);
  if (w.interruptions.has(ec2InstanceId)) throw new RangeError(`instance ${ec2InstanceId} is already interrupted`);
  const event = warnInstance(w, inst);
  reconcile(w);
  return event;
}

function warnInstance(w: SimWorld, inst: SimInstance): EventBridgeEvent {
  const event = spotInterruptionWarning(w.origin(), inst.ec2InstanceId, w.arns.ec2Instance(inst.ec2InstanceId));
  const terminatesAt = w.clock.now() + w.spotWarning * 1000;
  const record: InterruptionRecord = {
    cluster: inst.cluster,
    capacityProvider: inst.provider,
    ec2InstanceId: inst.ec2InstanceId,
    containerInstanceArn: inst.arn,
    eventId: event.id,
    warnedAt: w.now(),
    terminatesAt: new Date(terminatesAt).toISOString(),
    terminatedAt: null,
    drainedAt: inst.status === 'DRAINING' ? w.now() : null,
    secondsBeforeTermination: null,
    tasksLost: 0,
  };
  w.interruptions.set(inst.ec2InstanceId, record);
  w.interruptionLog.push(record);
  w.clock.scheduleAt(terminatesAt, () => terminate(w, inst, record));
  w.events.push(event);
  if (w.agentSpotDrainDelay !== undefined) {
    // ECS_ENABLE_SPOT_INSTANCE_DRAINING: the agent polls the instance metadata's
    // spot/instance-action once a second and sets its container instance DRAINING.
    w.clock.schedule(w.agentSpotDrainDelay, () => {
      if (inst.status !== 'ACTIVE') return;
      setInstanceStatus(w, inst, 'DRAINING', 'ecs-agent');
      reconcile(w);
    });
  }
  return event;
}

function terminate(w: SimWorld, inst: SimInstance, record: InterruptionRecord): void {
  const cluster = w.clusters.get(inst.cluster);
  if (!cluster || inst.status === 'INACTIVE') return;
  const lost = terminateInstance(w, cluster, inst, `Host EC2 (instance ${inst.ec2InstanceId}) terminated.`);
  record.terminatedAt = w.now();
  record.tasksLost = lost;
  if (record.drainedAt) record.secondsBeforeTermination = (w.clock.now() - Date.parse(record.drainedAt)) / 1000;
  w.interruptions.delete(inst.ec2InstanceId);
}

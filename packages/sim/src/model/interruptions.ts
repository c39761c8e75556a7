import { findCluster } from './lookups.js';
import { instanceStateChange, spotInterruptionWarning, type EventBridgeEvent } from './events.js';
import { interruptFargate } from './fargate-spot.js';
import { reconcile } from './scheduler.js';
import { stopTask, tasksOn } from './tasks.js';
import { TaskStatus, type InterruptionRecord, type SimInstance } from './types.js';
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
  for (const cluster of w.clusters.values()) {
    for (const inst of cluster.instances.values()) {
      if (inst.ec2InstanceId === ec2InstanceId && inst.status !== 'INACTIVE') {
        if (w.interruptions.has(ec2InstanceId)) throw new RangeError(`instance ${ec2InstanceId} is already interrupted`);
        const event = warnInstance(w, inst);
        reconcile(w);
        return event;
      }
    }
  }
  throw new RangeError(`no registered container instance runs on ${ec2InstanceId}`);
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
  return event;
}

function terminate(w: SimWorld, inst: SimInstance, record: InterruptionRecord): void {
  const cluster = w.clusters.get(inst.cluster);
  if (!cluster) return;
  let lost = 0;
  for (const t of tasksOn(cluster, inst)) {
    if (t.lastStatus === TaskStatus.Running) {
      lost++;
      w.countLost(cluster.name, t.service);
    }
    stopTask(w, t, `Host EC2 (instance ${inst.ec2InstanceId}) terminated.`, 'TerminationNotice');
  }
  inst.status = 'INACTIVE';
  inst.agentConnected = false;
  record.terminatedAt = w.now();
  record.tasksLost = lost;
  if (record.drainedAt) record.secondsBeforeTermination = (w.clock.now() - Date.parse(record.drainedAt)) / 1000;
  w.interruptions.delete(inst.ec2InstanceId);
  w.events.push(instanceStateChange(w.origin(), inst.ec2InstanceId, w.arns.ec2Instance(inst.ec2InstanceId), 'shutting-down'));
}

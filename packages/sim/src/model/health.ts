import { terminateInstance } from './capacity.js';
import type { EventBridgeEvent } from './events.js';
import { reconcile } from './scheduler.js';
import type { SimWorld } from './world.js';

// AWS Health scheduled changes for EC2 instances: what happens at the event's startTime.
// Figures and sources: packages/sim/README.md ("Scheduled changes").

/**
 * Event type codes whose scheduled change stops the instance at its startTime (EC2 User Guide,
 * "Scheduled events for your instances": instance stop, instance retirement; an EBS-backed
 * instance is stopped, an instance-store one terminated — "Instance retirement").
 */
const STOPPING_EVENT_TYPE_CODES: ReadonlySet<string> = new Set([
  'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
  'AWS_EC2_INSTANCE_STOP_SCHEDULED',
  'AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED',
]);

interface HealthDetail {
  service?: unknown;
  eventTypeCode?: unknown;
  eventTypeCategory?: unknown;
  startTime?: unknown;
  affectedEntities?: unknown;
}

/**
 * When `event` is an AWS Health scheduled change that stops EC2 instances, stops each affected
 * instance the simulation knows at the change's startTime (at once when it is past). Every
 * simulated instance is EBS-backed (ECS-optimized AMIs are), so it is stopped: its tasks stop
 * (RUNNING ones are lost), the container instance leaves the cluster, EC2 sends `stopping` and
 * `stopped`, and the Auto Scaling group, whose EC2 health check finds an instance not
 * `running` unhealthy, replaces it. Returns the instances scheduled to stop.
 */
export function scheduleHealthChange(w: SimWorld, event: EventBridgeEvent): string[] {
  const detail = event.detail as HealthDetail;
  if (event.source !== 'aws.health' || detail.service !== 'EC2' || detail.eventTypeCategory !== 'scheduledChange') return [];
  if (typeof detail.eventTypeCode !== 'string' || !STOPPING_EVENT_TYPE_CODES.has(detail.eventTypeCode)) return [];
  const startsAt = typeof detail.startTime === 'string' ? Date.parse(detail.startTime) : NaN;
  if (!Number.isFinite(startsAt)) throw new RangeError(`event ${event.id}: detail.startTime is not a date: ${String(detail.startTime)}`);
  const entities = Array.isArray(detail.affectedEntities) ? (detail.affectedEntities as { entityValue?: unknown }[]).map((e) => e.entityValue) : [];
  // An entity or resource is an instance id or an instance ARN (…:instance/i-…).
  const named = [...entities, ...event.resources].map((v) => (typeof v === 'string' ? v.replace(/^arn:[^:]+:ec2:[^:]*:[^:]*:instance\//, '') : undefined));
  const ids = [...new Set(named)].filter((id): id is string => id !== undefined && w.byEc2.has(id));
  const code = detail.eventTypeCode;
  for (const id of ids) {
    w.clock.scheduleAt(startsAt, () => {
      const inst = w.byEc2.get(id);
      const cluster = inst && w.clusters.get(inst.cluster);
      if (!inst || !cluster || inst.status === 'INACTIVE') return;
      terminateInstance(w, cluster, inst, `Host EC2 (instance ${id}) stopped by the scheduled change ${code}.`, ['stopping', 'stopped']);
      reconcile(w);
    });
  }
  return ids;
}

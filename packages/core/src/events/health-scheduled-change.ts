// AWS Health Event (EC2 scheduled change)
// source `aws.health`, detail-type `AWS Health Event`
// https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html
// Reads detail.service, detail.eventTypeCategory, detail.eventTypeCode, detail.statusCode,
// detail.startTime and detail.affectedEntities[].entityValue.
// Only service EC2 with category scheduledChange (instance retirement, reboot or maintenance)
// calls for a drain. Health sends an event each time the event's status changes: statusCode
// `upcoming` and `open` announce the maintenance, `closed` says it is over, and draining then
// would take healthy instances away for nothing. The sample (from aws-node-termination-handler)
// has no statusCode: an event without one is read as announcing the maintenance. One event
// may list several instances; an entity is an instance id or, in AWS's own retirement sample,
// an instance ARN (`arn:aws:ec2:…:instance/i-…`, any partition); any other entity (a host, a
// volume) is skipped. startTime is an RFC 7231 date (`Sat, 05 Jun 2016 15:10:09 GMT`) or ISO,
// and is carried as ISO: the drain waits until it is near (policy scheduledChange).
import * as z from 'zod/mini';
import type { IgnoredSignal, ScheduledChangeSignal } from '../model/index.js';
import { ignoredSignal, signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { anyTimeSchema, checkShape, ec2InstanceIdOf, nonEmptyString } from './validate.js';

const detailSchema = z.object({
  service: nonEmptyString,
  eventTypeCategory: nonEmptyString,
  eventTypeCode: z.optional(nonEmptyString),
  statusCode: z.optional(z.string()),
  startTime: z.optional(anyTimeSchema),
  // Account-wide Health events carry no affected entities.
  affectedEntities: z.optional(z.array(z.object({ entityValue: z.string() }))),
});

/**
 * Reads an AWS Health Event: service EC2 with category scheduledChange and statusCode
 * `upcoming`, `open` or none gives one `scheduled-change` signal per EC2 instance in
 * `detail.affectedEntities`, all with the event's id, its eventTypeCode and its startTime
 * (ISO); statusCode `closed` (the maintenance is over), any other service or category, or an
 * event naming no instance, gives an `ignored` signal. Throws `MalformedEventError` (for
 * example `detail.service`, `detail.affectedEntities[0].entityValue`) when the detail is malformed.
 */
export function parseHealthScheduledChange(event: EventEnvelope): (ScheduledChangeSignal | IgnoredSignal)[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  if (detail.service !== 'EC2' || detail.eventTypeCategory !== 'scheduledChange') {
    return [
      ignoredSignal(
        event,
        `Health event for service ${detail.service}, category ${detail.eventTypeCategory}: only EC2 scheduledChange calls for a drain`,
      ),
    ];
  }
  if (detail.statusCode === 'closed') {
    const what = detail.eventTypeCode === undefined ? 'EC2 scheduled change' : `EC2 scheduled change ${detail.eventTypeCode}`;
    return [ignoredSignal(event, `${what} is closed: the maintenance is over, nothing to drain`)];
  }
  const instanceIds = [...new Set((detail.affectedEntities ?? []).flatMap((e) => ec2InstanceIdOf(e.entityValue) ?? []))];
  if (instanceIds.length === 0) {
    return [ignoredSignal(event, 'EC2 scheduled change that names no EC2 instance among its affected entities')];
  }
  const base = signalBase(event);
  return instanceIds.map((ec2InstanceId) => ({
    kind: 'scheduled-change' as const,
    ...base,
    ec2InstanceId,
    ...(detail.eventTypeCode !== undefined && { eventTypeCode: detail.eventTypeCode }),
    ...(detail.startTime !== undefined && { startTime: detail.startTime }),
  }));
}

export const healthScheduledChange = {
  source: 'aws.health',
  detailType: 'AWS Health Event',
  parse: parseHealthScheduledChange,
} as const satisfies EventRegistryEntry;

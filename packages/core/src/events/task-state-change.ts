// ECS Task State Change (Fargate Spot interruption)
// source `aws.ecs`, detail-type `ECS Task State Change`
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
// https://repost.aws/knowledge-center/fargate-spot-termination-notice
// Reads detail.clusterArn, detail.taskArn, detail.stopCode, detail.lastStatus,
// detail.desiredStatus, detail.group and detail.capacityProviderName.
// AWS documents that a task on FARGATE_SPOT stopped by a Spot interruption gets a task state
// change event (ECS Developer Guide, "Amazon ECS task state change events"), and that the
// two-minute termination notice is sent as a task state change event to EventBridge (and a
// SIGTERM to the task) as soon as the task is marked for termination (Knowledge Center,
// "How do I handle Spot termination notices in AWS Fargate Spot tasks?"): desiredStatus
// STOPPED, stoppedReason "Your Spot Task was interrupted." and stopCode TerminationNotice or
// SpotInterruption. ECS then sends one more task state change for every later transition of
// the stopping task (lastStatus DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED), each with
// the same stopCode. Only the first notice — desiredStatus STOPPED while lastStatus is still
// RUNNING — is the interruption; the later ones are ignored, or every interruption would count
// four or five times. Every other task state change is ignored too.
import * as z from 'zod/mini';
import type { FargateSpotInterruptionSignal, IgnoredSignal } from '../model/index.js';
import { clusterArnSchema } from './arn.js';
import { ignoredSignal, signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, nonEmptyString } from './validate.js';

/** The task stop codes that mean Fargate took the Spot capacity back. */
export const SPOT_STOP_CODES: readonly string[] = ['TerminationNotice', 'SpotInterruption'];

const detailSchema = z.object({
  clusterArn: clusterArnSchema,
  taskArn: nonEmptyString,
  stopCode: z.optional(z.string()),
  lastStatus: z.optional(z.string()),
  desiredStatus: z.optional(z.string()),
  group: z.optional(z.string()),
  capacityProviderName: z.optional(z.string()),
});

/**
 * Reads an ECS Task State Change: the first notice of a Fargate Spot interruption — stopCode
 * TerminationNotice or SpotInterruption, desiredStatus STOPPED, lastStatus RUNNING — gives one
 * `fargate-spot-interruption` signal (cluster name, task ARN, group, capacity provider, stop
 * code); the later transitions of that task (lastStatus DEACTIVATING, STOPPING,
 * DEPROVISIONING, STOPPED, or none given) and any other task state change give an `ignored`
 * signal with the reason. Throws `MalformedEventError` (for example `detail.clusterArn`) when
 * the detail is malformed.
 */
export function parseTaskStateChange(event: EventEnvelope): (FargateSpotInterruptionSignal | IgnoredSignal)[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  if (detail.stopCode === undefined || !SPOT_STOP_CODES.includes(detail.stopCode)) {
    const why = detail.stopCode === undefined ? 'has no stopCode' : `has stopCode ${detail.stopCode}`;
    return [ignoredSignal(event, `task state change ${why}: not a Fargate Spot interruption`)];
  }
  if (detail.desiredStatus !== 'STOPPED' || detail.lastStatus !== 'RUNNING') {
    const status = `lastStatus ${detail.lastStatus ?? '(none)'}, desiredStatus ${detail.desiredStatus ?? '(none)'}`;
    return [
      ignoredSignal(event, `task state change with stopCode ${detail.stopCode}, ${status}: a Fargate Spot interruption counts once, at its first notice (lastStatus RUNNING, desiredStatus STOPPED)`),
    ];
  }
  return [
    {
      kind: 'fargate-spot-interruption',
      ...signalBase(event),
      cluster: detail.clusterArn,
      taskArn: detail.taskArn,
      ...(detail.group !== undefined && { group: detail.group }),
      ...(detail.capacityProviderName !== undefined && { capacityProvider: detail.capacityProviderName }),
      stopCode: detail.stopCode,
    },
  ];
}

export const taskStateChange = {
  source: 'aws.ecs',
  detailType: 'ECS Task State Change',
  parse: parseTaskStateChange,
} as const satisfies EventRegistryEntry;

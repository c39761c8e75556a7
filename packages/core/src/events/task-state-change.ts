// ECS Task State Change (Fargate Spot interruption)
// source `aws.ecs`, detail-type `ECS Task State Change`
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
// Reads detail.clusterArn, detail.taskArn, detail.stopCode, detail.group and
// detail.capacityProviderName.
// Fargate reclaiming Spot capacity shows as a task state change with desiredStatus STOPPED,
// stoppedReason "Your Spot Task was interrupted." and stopCode TerminationNotice (the
// two-minute notice) or SpotInterruption; the stopCode alone identifies it. Every other task
// state change is ignored.
import * as z from 'zod';
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
  stopCode: z.string().optional(),
  group: z.string().optional(),
  capacityProviderName: z.string().optional(),
});

/**
 * Reads an ECS Task State Change: a task stopped with stopCode TerminationNotice or
 * SpotInterruption gives one `fargate-spot-interruption` signal (cluster name, task ARN,
 * group, capacity provider, stop code); any other task state change gives an `ignored`
 * signal. Throws `MalformedEventError` (for example `detail.clusterArn`) when the detail is
 * malformed.
 */
export function parseTaskStateChange(event: EventEnvelope): (FargateSpotInterruptionSignal | IgnoredSignal)[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  if (detail.stopCode === undefined || !SPOT_STOP_CODES.includes(detail.stopCode)) {
    const why = detail.stopCode === undefined ? 'has no stopCode' : `has stopCode ${detail.stopCode}`;
    return [ignoredSignal(event, `task state change ${why}: not a Fargate Spot interruption`)];
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

// EC2 Spot Instance Interruption Warning
// source `aws.ec2`, detail-type `EC2 Spot Instance Interruption Warning`
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
// Reads detail.instance-id and detail.instance-action (terminate | stop | hibernate).
// EC2 sends it two minutes before it interrupts the instance; the action is the instance's
// interruption behaviour. The warning does not say which ECS cluster the instance is in.
import * as z from 'zod/mini';
import type { SpotInterruptionSignal } from '../model/index.js';
import { signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, ec2InstanceIdSchema } from './validate.js';

export const InterruptionAction = { Terminate: 'terminate', Stop: 'stop', Hibernate: 'hibernate' } as const;
export type InterruptionAction = (typeof InterruptionAction)[keyof typeof InterruptionAction];

/** The detail shared by the Spot and the Capacity Reservation interruption warnings. */
export const instanceInterruptionDetailSchema = z.object({
  'instance-id': ec2InstanceIdSchema,
  'instance-action': z.enum([InterruptionAction.Terminate, InterruptionAction.Stop, InterruptionAction.Hibernate]),
});

/**
 * Reads an EC2 Spot Instance Interruption Warning into one `spot-interruption` signal with
 * the instance id and its interruption action. Throws `MalformedEventError` (path
 * `detail.instance-id` or `detail.instance-action`) when either is missing or malformed.
 */
export function parseSpotInterruption(event: EventEnvelope): SpotInterruptionSignal[] {
  const detail = checkShape(instanceInterruptionDetailSchema, event.detail, ['detail']);
  return [
    {
      kind: 'spot-interruption',
      ...signalBase(event),
      ec2InstanceId: detail['instance-id'],
      instanceAction: detail['instance-action'],
    },
  ];
}

export const spotInterruption = {
  source: 'aws.ec2',
  detailType: 'EC2 Spot Instance Interruption Warning',
  parse: parseSpotInterruption,
} as const satisfies EventRegistryEntry;

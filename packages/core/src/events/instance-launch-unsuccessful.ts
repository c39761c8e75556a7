// EC2 Instance Launch Unsuccessful
// source `aws.autoscaling`, detail-type `EC2 Instance Launch Unsuccessful`
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
// Reads detail.AutoScalingGroupName, detail.StatusMessage and detail.Details["Availability Zone"].
// EC2 Auto Scaling sends it (best effort) for each launch that failed. While a Spot group cannot
// launch, ECS keeps the tasks that need its capacity in PROVISIONING and says nothing more:
// this event is the first word that Spot capacity is not there (containers-roadmap #773).
// The messages that say so (EC2 Auto Scaling troubleshooting guide): "There is no Spot capacity
// available that matches your request.", "We currently do not have sufficient m7g.large
// capacity in the Availability Zone you requested" (InsufficientInstanceCapacity), a Spot
// price below the fulfilment price, and "Max spot instance count exceeded". Any other failure
// (a bad launch template, a quota, a missing subnet) is not a shortage and is ignored with its
// message: falling back would not fix it. The sample's StatusMessage is a placeholder.
import * as z from 'zod/mini';
import type { IgnoredSignal, SpotCapacityShortageSignal } from '../model/index.js';
import { ignoredSignal, signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, nonEmptyString } from './validate.js';

const detailSchema = z.object({
  AutoScalingGroupName: nonEmptyString,
  StatusMessage: z.string(),
  Details: z.optional(z.object({ 'Availability Zone': z.optional(z.string()) })),
});

const SPOT_SHORTAGE_MESSAGES: readonly RegExp[] = [
  /no spot capacity/i,
  /insufficient\S*\s*(instance\s*)?capacity/i,
  /do not have sufficient .*capacity/i,
  /spot (request |max )?price/i,
  /max(imum)? spot instance count/i,
  /MaxSpotInstanceCountExceeded|SpotMaxPriceTooLow|InsufficientInstanceCapacity/,
];

/** True when an EC2 Auto Scaling status message says the Spot capacity is not there. */
export function isSpotShortageMessage(message: string): boolean {
  return SPOT_SHORTAGE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Reads an EC2 Instance Launch Unsuccessful event: a status message that says the Spot
 * capacity is not there gives one `spot-capacity-shortage` signal with the group's name, the
 * message and the Availability Zone; any other failure gives an `ignored` signal carrying the
 * message. Whether the group is behind a managed Spot provider is decide's business. Throws
 * `MalformedEventError` (for example `detail.AutoScalingGroupName`) when the detail is malformed.
 */
export function parseInstanceLaunchUnsuccessful(event: EventEnvelope): (SpotCapacityShortageSignal | IgnoredSignal)[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  if (!isSpotShortageMessage(detail.StatusMessage)) {
    return [ignoredSignal(event, `launch failure in Auto Scaling group ${detail.AutoScalingGroupName} is not a Spot capacity shortage: ${detail.StatusMessage}`)];
  }
  const zone = detail.Details?.['Availability Zone'];
  return [
    {
      kind: 'spot-capacity-shortage',
      ...signalBase(event),
      autoScalingGroup: detail.AutoScalingGroupName,
      statusMessage: detail.StatusMessage,
      ...(zone !== undefined && zone !== '' && { availabilityZone: zone }),
    },
  ];
}

export const instanceLaunchUnsuccessful = {
  source: 'aws.autoscaling',
  detailType: 'EC2 Instance Launch Unsuccessful',
  parse: parseInstanceLaunchUnsuccessful,
} as const satisfies EventRegistryEntry;

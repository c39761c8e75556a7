// EC2 Capacity Reservation Instance Interruption Warning
// source `aws.ec2`, detail-type `EC2 Capacity Reservation Instance Interruption Warning`, and
// `EC2 Interruptible Capacity Reservation Instance Interruption Warning`: AWS documents the
// warning under both names, with the same detail, so both are registered.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitor-interruptible-cr.html
// Reads detail.instance-id and detail.instance-action, the same detail as the Spot warning.
// EC2 sends it two minutes before it terminates an instance running in an interruptible
// Capacity Reservation whose owner reclaims the capacity.
import type { CapacityReservationInterruptionSignal } from '../model/index.js';
import { signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { instanceInterruptionDetailSchema } from './spot-interruption.js';
import { checkShape } from './validate.js';

/**
 * Reads an EC2 Capacity Reservation Instance Interruption Warning into one
 * `capacity-reservation-interruption` signal with the instance id and action. Throws
 * `MalformedEventError` (path `detail.instance-id` or `detail.instance-action`) when either is
 * missing or malformed.
 */
export function parseCapacityReservationInterruption(event: EventEnvelope): CapacityReservationInterruptionSignal[] {
  const detail = checkShape(instanceInterruptionDetailSchema, event.detail, ['detail']);
  return [
    {
      kind: 'capacity-reservation-interruption',
      ...signalBase(event),
      ec2InstanceId: detail['instance-id'],
      instanceAction: detail['instance-action'],
    },
  ];
}

export const capacityReservationInterruption = {
  source: 'aws.ec2',
  detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
  parse: parseCapacityReservationInterruption,
} as const satisfies EventRegistryEntry;

export const interruptibleCapacityReservationInterruption = {
  source: 'aws.ec2',
  detailType: 'EC2 Interruptible Capacity Reservation Instance Interruption Warning',
  parse: parseCapacityReservationInterruption,
} as const satisfies EventRegistryEntry;

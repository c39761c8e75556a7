// EC2 Instance State-change Notification
// source `aws.ec2`, detail-type `EC2 Instance State-change Notification`
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
// Reads detail.instance-id and detail.state.
// EC2 states are pending, running, stopping, stopped, shutting-down and terminated; only the
// four on the way down call for a drain. Another state string is ignored rather than refused,
// so that a state EC2 adds later does not quarantine the event.
import * as z from 'zod/mini';
import type { InstanceStateSignal, IgnoredSignal } from '../model/index.js';
import { ignoredSignal, signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, ec2InstanceIdSchema, nonEmptyString } from './validate.js';

export const Ec2InstanceState = {
  Pending: 'pending',
  Running: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
  ShuttingDown: 'shutting-down',
  Terminated: 'terminated',
} as const;
export type Ec2InstanceState = (typeof Ec2InstanceState)[keyof typeof Ec2InstanceState];

/** The states in which the instance is leaving service: its container instance must be drained. */
export const LEAVING_STATES: readonly string[] = [
  Ec2InstanceState.Stopping,
  Ec2InstanceState.Stopped,
  Ec2InstanceState.ShuttingDown,
  Ec2InstanceState.Terminated,
];

const detailSchema = z.object({ 'instance-id': ec2InstanceIdSchema, state: nonEmptyString });

/**
 * Reads an EC2 Instance State-change Notification: an instance that is stopping, stopped,
 * shutting down or terminated gives one `instance-state` signal carrying the state; any other
 * state (pending, running) gives an `ignored` signal with the reason. Throws
 * `MalformedEventError` (path `detail.instance-id` or `detail.state`) when either is missing.
 */
export function parseInstanceStateChange(event: EventEnvelope): (InstanceStateSignal | IgnoredSignal)[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  if (!LEAVING_STATES.includes(detail.state)) {
    return [ignoredSignal(event, `instance ${detail['instance-id']} entered state ${detail.state}, which calls for no drain`)];
  }
  return [{ kind: 'instance-state', ...signalBase(event), ec2InstanceId: detail['instance-id'], state: detail.state }];
}

export const instanceStateChange = {
  source: 'aws.ec2',
  detailType: 'EC2 Instance State-change Notification',
  parse: parseInstanceStateChange,
} as const satisfies EventRegistryEntry;

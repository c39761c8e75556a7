// EC2 Instance Rebalance Recommendation
// source `aws.ec2`, detail-type `EC2 Instance Rebalance Recommendation`
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/rebalance-recommendations.html
// Reads detail.instance-id.
// EC2 sends it when a Spot Instance is at elevated risk of interruption, often well before
// the two-minute warning (and sometimes with no interruption following).
import * as z from 'zod/mini';
import type { RebalanceRecommendationSignal } from '../model/index.js';
import { signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, ec2InstanceIdSchema } from './validate.js';

const detailSchema = z.object({ 'instance-id': ec2InstanceIdSchema });

/**
 * Reads an EC2 Instance Rebalance Recommendation into one `rebalance-recommendation`
 * signal for the instance. Throws `MalformedEventError` (path `detail.instance-id`) when the
 * instance id is missing or malformed.
 */
export function parseRebalanceRecommendation(event: EventEnvelope): RebalanceRecommendationSignal[] {
  const detail = checkShape(detailSchema, event.detail, ['detail']);
  return [{ kind: 'rebalance-recommendation', ...signalBase(event), ec2InstanceId: detail['instance-id'] }];
}

export const rebalanceRecommendation = {
  source: 'aws.ec2',
  detailType: 'EC2 Instance Rebalance Recommendation',
  parse: parseRebalanceRecommendation,
} as const satisfies EventRegistryEntry;

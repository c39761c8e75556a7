// ECS Service Action (task placement failure)
// source `aws.ecs`, detail-type `ECS Service Action`
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html
// Reads detail.eventName, detail.clusterArn, detail.capacityProviderArns, detail.reason and
// resources[0] (the service ARN).
// SERVICE_TASK_PLACEMENT_FAILURE means the scheduler could not place a task, for example
// because a Spot provider has no capacity (reason `RESOURCE:FARGATE`, `RESOURCE:CPU`, …).
// capacityProviderArns is present only when the service uses capacity providers. The
// service ARN is `service/NAME` (old format) or `service/CLUSTER/NAME` (long format). Other
// event names (SERVICE_STEADY_STATE, CAPACITY_PROVIDER_STEADY_STATE, …) are ignored.
import * as z from 'zod/mini';
import type { IgnoredSignal, PlacementFailureSignal } from '../model/index.js';
import { capacityProviderArnSchema, clusterArnSchema, serviceArnSchema } from './arn.js';
import { ignoredSignal, signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, nonEmptyString } from './validate.js';

export const PLACEMENT_FAILURE_EVENT_NAME = 'SERVICE_TASK_PLACEMENT_FAILURE';

const eventNameSchema = z.object({ eventName: nonEmptyString });

const placementFailureSchema = z.object({
  clusterArn: clusterArnSchema,
  capacityProviderArns: z.optional(z.array(capacityProviderArnSchema)),
  reason: z.optional(z.string()),
});

/**
 * Reads an ECS Service Action: SERVICE_TASK_PLACEMENT_FAILURE gives one `placement-failure`
 * signal with the cluster and service names, the capacity provider names (empty when the
 * event lists none) and the reason; any other event name gives an `ignored` signal. Throws
 * `MalformedEventError` (for example `detail.eventName`, `detail.clusterArn`, `resources[0]`)
 * when the event is malformed.
 */
export function parseServiceAction(event: EventEnvelope): (PlacementFailureSignal | IgnoredSignal)[] {
  const { eventName } = checkShape(eventNameSchema, event.detail, ['detail']);
  if (eventName !== PLACEMENT_FAILURE_EVENT_NAME) {
    return [ignoredSignal(event, `ECS service action ${eventName} is not a placement failure`)];
  }
  const detail = checkShape(placementFailureSchema, event.detail, ['detail']);
  const service = checkShape(serviceArnSchema, event.resources[0], ['resources', 0]);
  return [
    {
      kind: 'placement-failure',
      ...signalBase(event),
      cluster: detail.clusterArn,
      service,
      capacityProviders: detail.capacityProviderArns ?? [],
      ...(detail.reason !== undefined && { reason: detail.reason }),
    },
  ];
}

export const serviceAction = {
  source: 'aws.ecs',
  detailType: 'ECS Service Action',
  parse: parseServiceAction,
} as const satisfies EventRegistryEntry;

// The peer to beat on calls: a drain handler written the way existing ECS drain functions are
// (one event at a time; for each, find its container instance in every cluster, describe it,
// drain it). Kept in bench/ as a yardstick: it is never part of the product.
//
// Each record: parse the EventBridge event, take the EC2 instance ids it names (a Spot or
// capacity-reservation warning, a state change, an AWS Health scheduled change), then for
// each id and each cluster: ListContainerInstances(filter "ec2InstanceId == id");
// if found, DescribeContainerInstances; if ACTIVE, UpdateContainerInstancesState(DRAINING).
// A record whose calls fail (throttled past the SDK's retries) is reported for redelivery.
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import type { HandlerEnvironment, HandlersFactory, RebalancerHandlers } from '@ecs-rebalancer/sim';

function instanceIds(event: Record<string, unknown>): string[] {
  const detail = (event['detail'] ?? {}) as Record<string, unknown>;
  if (typeof detail['instance-id'] === 'string') return [detail['instance-id']];
  const entities = detail['affectedEntities'];
  if (Array.isArray(entities)) return entities.flatMap((e) => (typeof e?.entityValue === 'string' ? [e.entityValue as string] : []));
  return [];
}

/** The naive handler as a HandlersFactory for the scenario runner. */
export const naiveHandlers: HandlersFactory = (env: HandlerEnvironment): RebalancerHandlers => {
  // The SDK's defaults (3 attempts, standard retries), with the simulator's round trips and
  // back-off on its virtual clock.
  const ecs = new ECSClient({
    endpoint: env.endpoint,
    region: env.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: env.sdk.requestHandler as never,
    retryStrategy: env.sdk.retryStrategy(3),
  });
  const clusters = Object.keys(env.policy.clusters);

  const drainOne = async (ec2InstanceId: string): Promise<void> => {
    for (const cluster of clusters) {
      const listed = await ecs.send(new ListContainerInstancesCommand({ cluster, filter: `ec2InstanceId == ${ec2InstanceId}` }));
      const arn = listed.containerInstanceArns?.[0];
      if (arn === undefined) continue;
      const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }));
      if (described.containerInstances?.[0]?.status !== 'ACTIVE') return;
      await ecs.send(new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [arn], status: 'DRAINING' }));
      return;
    }
  };

  return {
    async react(event) {
      const batchItemFailures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        try {
          for (const id of instanceIds(JSON.parse(record.body) as Record<string, unknown>)) await drainOne(id);
        } catch {
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    },
    async tick() {
      return undefined;
    },
  };
};

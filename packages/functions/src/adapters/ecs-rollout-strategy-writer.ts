import { DescribeServicesCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { Log } from '../ports.js';
import type { RolloutStrategyWriter } from '../rollout-ports.js';
import { RecordTag, readRecord, recordTags } from './ecs-service-tags.js';

/**
 * Sets a rollout step's strategy: `UpdateService(capacityProviderStrategy,
 * forceNewDeployment: true)` — ECS rejects a strategy change without forceNewDeployment, and
 * starts a rolling replacement of every task with it. The id of the new PRIMARY deployment
 * comes back for the logs. Then the `applied` part of the rebalancer's record is updated so
 * the tick does not report the rollout as drift; the baseline and fallbackSince tags are left
 * as they are. A failure to tag is logged, not thrown: the strategy is already in place.
 */
export class EcsRolloutStrategyWriter implements RolloutStrategyWriter {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
    /** The client UpdateService goes through: pass one without SDK retries (a retried forced deployment may deploy twice). */
    private readonly updateClient: ECSClient = ecs,
  ) {}

  async apply(target: { cluster: string; service: string; serviceArn: string; strategy: Strategy }): Promise<{ deploymentId: string | undefined }> {
    const { cluster, service, serviceArn, strategy } = target;
    const out = await attempt(`setting the capacity provider strategy of ${service} in ${cluster}`, () =>
      this.updateClient.send(new UpdateServiceCommand({ cluster, service, capacityProviderStrategy: strategy, forceNewDeployment: true })),
    );
    const deploymentId = out.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    try {
      await this.recordApplied(cluster, service, serviceArn, strategy);
    } catch (error) {
      this.log?.warn('the applied strategy could not be recorded on the service; the tick may report drift', { cluster, service, error: (error as Error).message });
    }
    return { deploymentId };
  }

  private async recordApplied(cluster: string, service: string, serviceArn: string, strategy: Strategy): Promise<void> {
    const described = await attempt(`reading the record of ${service} in ${cluster}`, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    );
    const present = described.services?.[0]?.tags ?? [];
    const { record } = readRecord(present);
    const { tags, untagKeys } = recordTags(
      { ...record, applied: strategy },
      present.flatMap((t) => (t.key === undefined ? [] : [t.key])),
    );
    const applied = (key: string) => key === RecordTag.Applied || key.startsWith(`${RecordTag.Applied}:`);
    const put = tags.filter((t) => applied(t.key));
    const drop = untagKeys.filter(applied);
    if (put.length > 0) await attempt(`recording the applied strategy of ${service}`, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags: put })));
    if (drop.length > 0) await attempt(`recording the applied strategy of ${service}`, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: drop })));
  }
}

import { DescribeServicesCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { Log, StrategyRecord } from '../ports.js';
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

  /**
   * Rewrites the baseline part of the record (its numbered pieces included), re-read just
   * before: only while the record holds a fallback that began at `fallbackSince`, so a
   * restore or a new fallback that landed since is never written over. The other tags of
   * the record (fallbackSince, phase, applied, history) stay as they are.
   */
  async rebaseFallback(target: { cluster: string; service: string; serviceArn: string; baseline: Strategy; fallbackSince: string | null }): Promise<boolean> {
    const { cluster, service, serviceArn, baseline, fallbackSince } = target;
    const { record, present } = await this.readRecord(cluster, service);
    if (record.baseline === null || record.fallbackSince !== fallbackSince) {
      this.log?.warn('the fallback record changed before the rollback could rebase it: left as it is', { cluster, service, fallbackSince, recorded: record.fallbackSince });
      return false;
    }
    await this.writePart(RecordTag.Baseline, { ...record, baseline }, present, serviceArn, `making the starting strategy the fallback baseline of ${service} in ${cluster}`);
    return true;
  }

  private async recordApplied(cluster: string, service: string, serviceArn: string, strategy: Strategy): Promise<void> {
    const { record, present } = await this.readRecord(cluster, service);
    await this.writePart(RecordTag.Applied, { ...record, applied: strategy }, present, serviceArn, `recording the applied strategy of ${service}`);
  }

  private async readRecord(cluster: string, service: string): Promise<{ record: StrategyRecord; present: string[] }> {
    const described = await attempt(`reading the record of ${service} in ${cluster}`, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    );
    const tags = described.services?.[0]?.tags ?? [];
    return { record: readRecord(tags).record, present: tags.flatMap((t) => (t.key === undefined ? [] : [t.key])) };
  }

  /** Writes the tags of one part of the record (`key` and its numbered pieces) as `record` has it. */
  private async writePart(key: string, record: StrategyRecord, present: readonly string[], serviceArn: string, doing: string): Promise<void> {
    const { tags, untagKeys } = recordTags(record, present);
    const ours = (k: string) => k === key || k.startsWith(`${key}:`);
    const put = tags.filter((t) => ours(t.key));
    const drop = untagKeys.filter(ours);
    if (put.length > 0) await attempt(doing, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags: put })));
    if (drop.length > 0) await attempt(doing, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: drop })));
  }
}

import { TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sameStrategy } from '@ecs-rebalancer/core';
import { attempt, classifyError } from '../errors.js';
import type { ClearRecordRequest, Log, StrategyChangeRequest, StrategyRecord, StrategyWriteResult, StrategyWriter } from '../ports.js';
import { recordTags } from './ecs-service-tags.js';

/**
 * Changes a service's capacity provider strategy and keeps the rebalancer's record (baseline,
 * fallbackSince, applied) in its tags.
 *
 * ECS facts: a strategy change needs `UpdateService(capacityProviderStrategy,
 * forceNewDeployment: true)` (ECS rejects it otherwise) and starts a rolling replacement of
 * every task, so a change that leaves the strategy as it is is not sent.
 *
 * Order, chosen so that no interruption between the two calls loses the baseline:
 * - a fallback writes the record first, then the strategy. If the change fails, the previous
 *   record is put back. Should the function die between the two calls, the record says a
 *   fallback whose strategy is not there; the core completes such a fallback on its next
 *   decision (isFallbackPending), and the tick reports it as drift meanwhile.
 * - a restore changes the strategy first, then clears the record. Clearing it first would
 *   risk a service on on-demand weights with no baseline left to restore. Should the
 *   function die between the two, the record outlives the restore; the core's next due
 *   restore finds the baseline in place and clears the record alone (`clear-record`).
 */
export class EcsStrategyWriter implements StrategyWriter {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {}

  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    const { cluster, service, serviceArn, strategy } = change;
    if (sameStrategy(change.previous.strategy, strategy)) return 'unchanged';

    if (change.record.baseline === null && change.previous.record.baseline !== null) {
      await this.updateStrategy(cluster, service, strategy);
      await this.putRecord(serviceArn, change.record, `clearing the fallback record of ${service} in ${cluster} after its restore`);
      return 'updated';
    }
    await this.putRecord(serviceArn, change.record, `recording the strategy of ${service} in ${cluster}`);
    try {
      await this.updateStrategy(cluster, service, strategy);
    } catch (error) {
      const failed = classifyError(error, `changing the capacity provider strategy of ${service} in ${cluster}`);
      try {
        await this.putRecord(serviceArn, change.previous.record, `putting back the record of ${service} in ${cluster}`);
      } catch (undo) {
        this.log?.error('the record of a failed strategy change could not be put back', { cluster, service, error: failed.message, undo: (undo as Error).message });
      }
      throw failed;
    }
    return 'updated';
  }

  async clearRecord(request: ClearRecordRequest): Promise<void> {
    await this.putRecord(
      request.serviceArn,
      { baseline: null, fallbackSince: null, applied: request.strategy },
      `clearing the fallback record of ${request.service} in ${request.cluster}`,
    );
  }

  private async updateStrategy(cluster: string, service: string, strategy: StrategyChangeRequest['strategy']): Promise<void> {
    await attempt(`changing the capacity provider strategy of ${service} in ${cluster}`, () =>
      this.ecs.send(new UpdateServiceCommand({ cluster, service, capacityProviderStrategy: strategy, forceNewDeployment: true })),
    );
  }

  private async putRecord(serviceArn: string, record: StrategyRecord, doing: string): Promise<void> {
    const { tags, untagKeys } = recordTags(record);
    if (tags.length > 0) await attempt(doing, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
    if (untagKeys.length > 0) await attempt(doing, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: untagKeys })));
  }
}

import { TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sameStrategy } from '@ecs-rebalancer/core';
import { attempt, classifyError } from '../errors.js';
import type { Log, StrategyChangeRequest, StrategyRecord, StrategyWriteResult, StrategyWriter } from '../ports.js';
import { recordTags } from './ecs-service-tags.js';

/**
 * Changes a service's capacity provider strategy and keeps the rebalancer's record (baseline,
 * fallbackSince, applied) in its tags.
 *
 * ECS facts: a strategy change needs `UpdateService(capacityProviderStrategy,
 * forceNewDeployment: true)` (ECS rejects it otherwise) and starts a rolling replacement of
 * every task, so a change that leaves the strategy as it is is not sent.
 *
 * Order: the record is written first, then the strategy. If the change fails, the previous
 * record is put back, so the record never claims a fallback that did not happen and a
 * fallback never runs without the baseline to restore (which would pin the service to
 * on-demand for good). Should the function die between the two calls, the record says a
 * strategy that is not there, and the tick reports it as drift.
 */
export class EcsStrategyWriter implements StrategyWriter {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {}

  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    const { cluster, service, serviceArn, strategy } = change;
    if (sameStrategy(change.previous.strategy, strategy)) return 'unchanged';

    await this.putRecord(serviceArn, change.record, `recording the strategy of ${service} in ${cluster}`);
    try {
      await this.ecs.send(new UpdateServiceCommand({ cluster, service, capacityProviderStrategy: strategy, forceNewDeployment: true }));
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

  private async putRecord(serviceArn: string, record: StrategyRecord, doing: string): Promise<void> {
    const { tags, untagKeys } = recordTags(record);
    if (tags.length > 0) await attempt(doing, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
    if (untagKeys.length > 0) await attempt(doing, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: untagKeys })));
  }
}

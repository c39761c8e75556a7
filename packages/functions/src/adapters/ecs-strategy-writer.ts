import { DescribeServicesCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { sameStrategy } from '@ecs-rebalancer/core';
import { PermanentError, RetryableError, attempt, classifyError } from '../errors.js';
import type { ClearRecordRequest, Log, StrategyChangeRequest, StrategyRecord, StrategyWriteResult, StrategyWriter } from '../ports.js';
import { keysAfter, readRecord, recordTags } from './ecs-service-tags.js';

/** The error code of a change refused because the service moved on since the batch read it. */
export const SERVICE_CHANGED = 'ServiceChangedSinceRead';

/**
 * Changes a service's capacity provider strategy and keeps the rebalancer's record (baseline,
 * fallbackSince, applied) in its tags.
 *
 * ECS facts: a strategy change needs `UpdateService(capacityProviderStrategy,
 * forceNewDeployment: true)` (ECS rejects it otherwise) and starts a rolling replacement of
 * every task, so a change that leaves the strategy as it is is not sent.
 *
 * Check before writing: the caller serialises the changes of one service within one
 * invocation, but two invocations (react batches side by side, the tick beside a batch) may
 * decide on the same service at once. So each change first reads the service again
 * (DescribeServices with its tags, one call) and goes ahead only if the strategy and the record
 * are still those the decision was taken on; otherwise it is refused with a RetryableError, so
 * that the record is delivered again and decided on fresh state. The window left between that
 * read and the writes is a few calls long instead of a whole batch.
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
 *
 * Cost in ECS's service buckets: one read, then TagResource and UpdateService, plus an
 * UntagResource only when a key to remove exists on the service (a restore, a shorter value).
 */
export class EcsStrategyWriter implements StrategyWriter {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {}

  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    const { cluster, service, serviceArn, strategy } = change;
    if (sameStrategy(change.previous.strategy, strategy)) return 'unchanged';
    const present = await this.readUnchanged(cluster, service, change.previous);

    if (change.record.baseline === null && change.previous.record.baseline !== null) {
      await this.updateStrategy(cluster, service, strategy);
      await this.putRecord(serviceArn, change.record, present, `clearing the fallback record of ${service} in ${cluster} after its restore`);
      return 'updated';
    }
    const written = await this.putRecord(serviceArn, change.record, present, `recording the strategy of ${service} in ${cluster}`);
    try {
      await this.updateStrategy(cluster, service, strategy);
    } catch (error) {
      const failed = classifyError(error, `changing the capacity provider strategy of ${service} in ${cluster}`);
      try {
        await this.putRecord(serviceArn, change.previous.record, written, `putting back the record of ${service} in ${cluster}`);
      } catch (undo) {
        this.log?.error('the record of a failed strategy change could not be put back', { cluster, service, error: failed.message, undo: (undo as Error).message });
      }
      throw failed;
    }
    return 'updated';
  }

  async clearRecord(request: ClearRecordRequest): Promise<void> {
    const { cluster, service } = request;
    const present = await this.readUnchanged(cluster, service, { strategy: request.strategy, record: request.previousRecord });
    await this.putRecord(
      request.serviceArn,
      { baseline: null, fallbackSince: null, applied: request.strategy },
      present,
      `clearing the fallback record of ${service} in ${cluster}`,
    );
  }

  /**
   * Reads the service again and returns the tag keys it has; rejects when its strategy or
   * record is not what the decision saw.
   */
  private async readUnchanged(cluster: string, service: string, previous: { strategy: Strategy; record: StrategyRecord }): Promise<string[]> {
    const out = await attempt(`reading ${service} in ${cluster} before changing it`, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    );
    const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
    if (!found || (found.status !== undefined && found.status !== 'ACTIVE')) {
      const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
      throw new PermanentError(`service ${service} in ${cluster} is no longer active (${why}): its strategy is not changed`, { code: why });
    }
    const strategy = (found.capacityProviderStrategy ?? []).map((item) => ({ capacityProvider: item.capacityProvider as string, base: item.base ?? 0, weight: item.weight ?? 0 }));
    const { record, problems } = readRecord(found.tags);
    const changed = [
      ...(sameStrategy(strategy, previous.strategy) ? [] : ['strategy']),
      ...(sameOptional(record.baseline, previous.record.baseline) ? [] : ['baseline']),
      ...(record.fallbackSince === previous.record.fallbackSince ? [] : ['fallbackSince']),
      ...(sameOptional(record.applied, previous.record.applied) ? [] : ['applied']),
      ...(problems.length > 0 ? ['record unreadable'] : []),
    ];
    if (changed.length > 0) {
      this.log?.info('service changed since the batch read it: its change is decided again', { cluster, service, changed, problems });
      throw new RetryableError(`service ${service} in ${cluster} changed since it was read; deciding again`, { code: SERVICE_CHANGED });
    }
    return (found.tags ?? []).flatMap((t) => (t.key === undefined ? [] : [t.key]));
  }

  private async updateStrategy(cluster: string, service: string, strategy: Strategy): Promise<void> {
    await attempt(`changing the capacity provider strategy of ${service} in ${cluster}`, () =>
      this.ecs.send(new UpdateServiceCommand({ cluster, service, capacityProviderStrategy: strategy, forceNewDeployment: true })),
    );
  }

  /** Writes the record; returns the tag keys the service has afterwards. */
  private async putRecord(serviceArn: string, record: StrategyRecord, present: Iterable<string>, doing: string): Promise<Set<string>> {
    const change = recordTags(record, present);
    const { tags, untagKeys } = change;
    if (tags.length > 0) await attempt(doing, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
    if (untagKeys.length > 0) await attempt(doing, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: untagKeys })));
    return keysAfter(present, change);
  }
}

function sameOptional(a: Strategy | null, b: Strategy | null): boolean {
  return a === null || b === null ? a === b : sameStrategy(a, b);
}

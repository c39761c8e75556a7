import { UpdateContainerInstancesStateCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { RetryableError, classifyError } from '../errors.js';
import type { InstanceDrainResult, InstanceDrainer } from '../ports.js';
import { chunk, mapLimit } from '../chunks.js';
import { lastSegment } from './ecs-cluster-state.js';

// UpdateContainerInstancesState takes at most 10 container instances per call and moves only
// ACTIVE → DRAINING; the answer lists the instances it changed and a `failures[]` entry (arn,
// reason, detail) for each it did not. Container-instance writes are throttled at a burst of
// 100 and 40/s, so a storm of 200 warnings (20 calls) fits in the burst; a few calls in flight
// keep a storm well inside the two-minute Spot warning.
export const DRAIN_CHUNK = 10;
const CONCURRENCY = 4;

/**
 * Drains container instances by 10 per call. An instance ECS reports as DRAINING (in the
 * answer, or a failure that says it is already draining) is done; MISSING and any other
 * failure reason are reported per instance and not retried; a call that fails marks its ten
 * instances `failed` with the classified error, while the other chunks go on.
 */
export class EcsInstanceDrainer implements InstanceDrainer {
  constructor(private readonly ecs: ECSClient) {}

  async drain(cluster: string, containerInstanceArns: readonly string[]): Promise<InstanceDrainResult[]> {
    const pieces = chunk([...new Set(containerInstanceArns)], DRAIN_CHUNK);
    const results = await mapLimit(pieces, CONCURRENCY, (piece) => this.drainChunk(cluster, piece));
    return results.flat();
  }

  private async drainChunk(cluster: string, arns: string[]): Promise<InstanceDrainResult[]> {
    let out;
    try {
      out = await this.ecs.send(new UpdateContainerInstancesStateCommand({ cluster, containerInstances: arns, status: 'DRAINING' }));
    } catch (error) {
      const classified = classifyError(error, `draining ${arns.length} container instances in ${cluster}`);
      return arns.map((arn) => ({ containerInstanceArn: arn, status: 'failed', reason: classified.message, error: classified }));
    }
    const changed = new Set((out.containerInstances ?? []).map((ci) => ci.containerInstanceArn));
    const failures = new Map((out.failures ?? []).map((f) => [f.arn ?? '', f]));
    return arns.map((arn): InstanceDrainResult => {
      if (changed.has(arn)) return { containerInstanceArn: arn, status: 'draining' };
      const failure = failures.get(arn) ?? failures.get(lastSegment(arn));
      if (!failure) {
        // ECS answered neither way for it: ask again rather than assume.
        return { containerInstanceArn: arn, status: 'failed', reason: 'not in the UpdateContainerInstancesState answer', error: new RetryableError(`draining ${arn} in ${cluster}: ECS answered neither success nor failure for it`) };
      }
      const reason = [failure.reason, failure.detail].filter(Boolean).join(': ');
      if (/draining/i.test(reason)) return { containerInstanceArn: arn, status: 'already-draining', reason };
      if (failure.reason === 'MISSING') return { containerInstanceArn: arn, status: 'missing', reason };
      return { containerInstanceArn: arn, status: 'refused', reason };
    });
  }
}


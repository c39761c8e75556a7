import { ECSClient, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { aStrategy } from '@ecs-rebalancer/core/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import type { StrategyChangeRequest } from '../ports.js';
import { RecordTag, readRecord } from './ecs-service-tags.js';
import { EcsStrategyWriter } from './ecs-strategy-writer.js';

const ecs = mockClient(ECSClient);
const writer = new EcsStrategyWriter(new ECSClient({ region: 'us-east-1' }));
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
const FALLEN_BACK = aStrategy(0, 4, 2);

/** The tags ECS would hold after the writer's calls, from an empty start. */
function tagsAfterCalls(): { key: string; value: string }[] {
  const tags = new Map<string, string>();
  for (const call of ecs.calls()) {
    const input = call.args[0].input as { tags?: { key: string; value: string }[]; tagKeys?: string[] };
    if (call.args[0] instanceof TagResourceCommand) for (const t of input.tags ?? []) tags.set(t.key, t.value);
    if (call.args[0] instanceof UntagResourceCommand) for (const k of input.tagKeys ?? []) tags.delete(k);
  }
  return [...tags].map(([key, value]) => ({ key, value }));
}

const aFallback = (): StrategyChangeRequest => ({
  cluster: 'prod',
  service: 'web',
  serviceArn: SERVICE_ARN,
  strategy: FALLEN_BACK,
  record: { baseline: aStrategy(), fallbackSince: '2024-03-01T12:00:00.000Z', applied: FALLEN_BACK },
  previous: { strategy: aStrategy(), record: { baseline: null, fallbackSince: null, applied: null } },
});

beforeEach(() => {
  ecs.reset();
  ecs.on(TagResourceCommand).resolves({});
  ecs.on(UntagResourceCommand).resolves({});
  ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: SERVICE_ARN } });
});

describe('EcsStrategyWriter', () => {
  it('records the baseline, then changes the strategy with forceNewDeployment', async () => {
    // Act
    const result = await writer.write(aFallback());

    // Assess
    expect(result).toBe('updated');
    expect(ecs.calls().map((c) => c.args[0].constructor.name)).toEqual(['TagResourceCommand', 'UntagResourceCommand', 'UpdateServiceCommand']);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({ cluster: 'prod', service: 'web', capacityProviderStrategy: FALLEN_BACK, forceNewDeployment: true });
    expect(ecs.commandCalls(TagResourceCommand)[0]?.args[0].input.resourceArn).toBe(SERVICE_ARN);
    expect(readRecord(tagsAfterCalls()).record).toEqual(aFallback().record);
  });

  it('removes the baseline and its start time on a restore', async () => {
    const restore: StrategyChangeRequest = {
      ...aFallback(),
      strategy: aStrategy(),
      record: { baseline: null, fallbackSince: null, applied: aStrategy() },
      previous: { strategy: FALLEN_BACK, record: aFallback().record },
    };

    await writer.write(restore);

    const untagged = ecs.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys ?? [];
    expect(untagged).toEqual(expect.arrayContaining([RecordTag.Baseline, RecordTag.FallbackSince]));
    expect(ecs.commandCalls(TagResourceCommand)[0]?.args[0].input.tags).toEqual([{ key: RecordTag.Applied, value: 'spot-arm64:0:3 od-arm64:2:1' }]);
  });

  it('restores the strategy before it clears the record, so a failure never loses the baseline', async () => {
    // Prepare: the record cannot be cleared (ECS throttles the tagging calls)
    const restore: StrategyChangeRequest = {
      ...aFallback(),
      strategy: aStrategy(),
      record: { baseline: null, fallbackSince: null, applied: aStrategy() },
      previous: { strategy: FALLEN_BACK, record: aFallback().record },
    };
    ecs.on(UntagResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    ecs.on(TagResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // Act
    const failure = await writer.write(restore).catch((error: unknown) => error);

    // Assess: the strategy is back; the baseline stays recorded, for the core's clear-record to finish
    expect(ecs.calls()[0]?.args[0]).toBeInstanceOf(UpdateServiceCommand);
    expect(failure).toBeInstanceOf(RetryableError);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('sends nothing when the service already runs that strategy: every change redeploys it', async () => {
    const result = await writer.write({ ...aFallback(), previous: { strategy: FALLEN_BACK, record: aFallback().previous.record } });

    expect(result).toBe('unchanged');
    expect(ecs.calls()).toHaveLength(0);
  });

  it('puts the previous record back when the change fails, and rejects with the classified error', async () => {
    // Prepare
    ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));

    // Act
    const writing = writer.write(aFallback());

    // Assess
    await expect(writing).rejects.toBeInstanceOf(RetryableError);
    await expect(writing).rejects.toThrow('changing the capacity provider strategy of web in prod: ThrottlingException: Rate exceeded');
    expect(readRecord(tagsAfterCalls()).record).toEqual({ baseline: null, fallbackSince: null, applied: null });
  });

  it('clears the record without UpdateService, keeping the strategy the service runs as applied', async () => {
    await writer.clearRecord({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, strategy: aStrategy() });

    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(readRecord(tagsAfterCalls()).record).toEqual({ baseline: null, fallbackSince: null, applied: aStrategy() });
    expect(ecs.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys).toEqual(expect.arrayContaining([RecordTag.Baseline, RecordTag.FallbackSince]));
  });

  it('does not change the strategy when the record cannot be written', async () => {
    ecs.on(TagResourceCommand).rejects(Object.assign(new Error('boom'), { name: 'ServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } }));

    await expect(writer.write(aFallback())).rejects.toThrow(/^recording the strategy of web in prod: /);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

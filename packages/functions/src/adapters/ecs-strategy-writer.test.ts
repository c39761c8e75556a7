import { DescribeServicesCommand, ECSClient, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { aStrategy } from '@ecs-rebalancer/core/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import type { ClearRecordRequest, StrategyChangeRequest, StrategyRecord } from '../ports.js';
import { RecordTag, readRecord, recordTags } from './ecs-service-tags.js';
import { EcsStrategyWriter, SERVICE_CHANGED } from './ecs-strategy-writer.js';

const ecs = mockClient(ECSClient);
const writer = new EcsStrategyWriter(new ECSClient({ region: 'us-east-1' }));
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
const FALLEN_BACK = aStrategy(0, 4, 2);
const NO_RECORD: StrategyRecord = { baseline: null, fallbackSince: null, applied: null };

/** What DescribeServices answers: the service with this strategy and record (and a tag of its own). */
let described: { strategy: Strategy; record: StrategyRecord; status?: string };

function describedTags(): { key: string; value: string }[] {
  return [{ key: 'team', value: 'payments' }, ...recordTags(described.record).tags];
}

/** The tags ECS would hold after the writer's calls, from those DescribeServices answered. */
function tagsAfterCalls(): { key: string; value: string }[] {
  const tags = new Map(describedTags().map((t) => [t.key, t.value]));
  for (const call of ecs.calls()) {
    const input = call.args[0].input as { tags?: { key: string; value: string }[]; tagKeys?: string[] };
    if (call.args[0] instanceof TagResourceCommand) for (const t of input.tags ?? []) tags.set(t.key, t.value);
    if (call.args[0] instanceof UntagResourceCommand) for (const k of input.tagKeys ?? []) tags.delete(k);
  }
  return [...tags].map(([key, value]) => ({ key, value }));
}

const callNames = (): string[] => ecs.calls().map((c) => c.args[0].constructor.name);

const aFallback = (): StrategyChangeRequest => ({
  cluster: 'prod',
  service: 'web',
  serviceArn: SERVICE_ARN,
  strategy: FALLEN_BACK,
  record: { baseline: aStrategy(), fallbackSince: '2024-03-01T12:00:00.000Z', applied: FALLEN_BACK },
  previous: { strategy: aStrategy(), record: NO_RECORD },
});

const aRestore = (): StrategyChangeRequest => ({
  ...aFallback(),
  strategy: aStrategy(),
  record: { baseline: null, fallbackSince: null, applied: aStrategy() },
  previous: { strategy: FALLEN_BACK, record: aFallback().record },
});

const aClearRecord = (): ClearRecordRequest => ({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, strategy: aStrategy(), previousRecord: aFallback().record });

/** ECS holds the service exactly as the change's decision saw it. */
function asLoaded(previous: { strategy: Strategy; record: StrategyRecord }): void {
  described = structuredClone(previous);
}

beforeEach(() => {
  ecs.reset();
  asLoaded(aFallback().previous);
  ecs.on(DescribeServicesCommand).callsFake(() => ({
    services: [
      {
        serviceName: 'web',
        serviceArn: SERVICE_ARN,
        status: described.status ?? 'ACTIVE',
        capacityProviderStrategy: described.strategy,
        tags: describedTags(),
      },
    ],
    failures: [],
  }));
  ecs.on(TagResourceCommand).resolves({});
  ecs.on(UntagResourceCommand).resolves({});
  ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: SERVICE_ARN } });
});

describe('EcsStrategyWriter', () => {
  it('reads the service again, records the baseline, then changes the strategy with forceNewDeployment: two writes', async () => {
    // Act
    const result = await writer.write(aFallback());

    // Assess
    expect(result).toBe('updated');
    expect(callNames()).toEqual(['DescribeServicesCommand', 'TagResourceCommand', 'UpdateServiceCommand']);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({ cluster: 'prod', services: ['web'], include: ['TAGS'] });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({ cluster: 'prod', service: 'web', capacityProviderStrategy: FALLEN_BACK, forceNewDeployment: true });
    expect(ecs.commandCalls(TagResourceCommand)[0]?.args[0].input.resourceArn).toBe(SERVICE_ARN);
    expect(readRecord(tagsAfterCalls()).record).toEqual(aFallback().record);
  });

  it('removes the baseline and its start time on a restore', async () => {
    asLoaded(aRestore().previous);

    await writer.write(aRestore());

    const untagged = ecs.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys ?? [];
    expect(untagged.sort()).toEqual([RecordTag.Baseline, RecordTag.FallbackSince].sort());
    expect(ecs.commandCalls(TagResourceCommand)[0]?.args[0].input.tags).toEqual([{ key: RecordTag.Applied, value: 'n=1 spot-arm64:0:3 od-arm64:2:1' }]);
    expect(readRecord(tagsAfterCalls()).record).toEqual(aRestore().record);
  });

  it('restores the strategy before it clears the record, so a failure never loses the baseline', async () => {
    // Prepare: the record cannot be cleared (ECS throttles the tagging calls)
    asLoaded(aRestore().previous);
    ecs.on(UntagResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    ecs.on(TagResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // Act
    const failure = await writer.write(aRestore()).catch((error: unknown) => error);

    // Assess: the strategy is back; the baseline stays recorded, for the core's clear-record to finish
    expect(callNames().slice(0, 2)).toEqual(['DescribeServicesCommand', 'UpdateServiceCommand']);
    expect(failure).toBeInstanceOf(RetryableError);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('sends nothing when the service already runs that strategy: every change redeploys it', async () => {
    const result = await writer.write({ ...aFallback(), previous: { strategy: FALLEN_BACK, record: NO_RECORD } });

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
    expect(readRecord(tagsAfterCalls()).record).toEqual(NO_RECORD);
  });

  it('clears the record without UpdateService, keeping the strategy the service runs as applied', async () => {
    asLoaded({ strategy: aStrategy(), record: aFallback().record });

    await writer.clearRecord(aClearRecord());

    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(readRecord(tagsAfterCalls()).record).toEqual({ baseline: null, fallbackSince: null, applied: aStrategy() });
    expect(ecs.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys).toEqual(expect.arrayContaining([RecordTag.Baseline, RecordTag.FallbackSince]));
  });

  it('does not change the strategy when the record cannot be written', async () => {
    ecs.on(TagResourceCommand).rejects(Object.assign(new Error('boom'), { name: 'ServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } }));

    await expect(writer.write(aFallback())).rejects.toThrow(/^recording the strategy of web in prod: /);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  describe('refuses to write a service that changed since its batch read it', () => {
    const restored = { strategy: aStrategy(), record: { baseline: null, fallbackSince: null, applied: aStrategy() } };
    it.each([
      // The tick restored the service while a react batch had loaded it in fallback.
      { name: 'a restore by another invocation', change: aRestore, now: restored },
      // Another batch fell back first: same strategy change, but a record this decision did not see.
      { name: 'a fallback by another invocation', change: aFallback, now: { strategy: FALLEN_BACK, record: aFallback().record } },
      { name: 'a strategy changed by hand', change: aFallback, now: { strategy: aStrategy(2, 1, 2), record: NO_RECORD } },
      { name: 'a record written meanwhile', change: aFallback, now: { strategy: aStrategy(), record: { ...NO_RECORD, applied: aStrategy() } } },
      { name: 'another start time', change: aRestore, now: { ...aRestore().previous, record: { ...aFallback().record, fallbackSince: '2024-03-01T12:05:00.000Z' } } },
    ])('$name', async ({ change, now }) => {
      // Prepare
      asLoaded(now);

      // Act
      const failure = await writer.write(change()).catch((error: unknown) => error);

      // Assess: one read, no write; retried, so that it is decided again on what ECS holds now
      expect(failure).toBeInstanceOf(RetryableError);
      expect((failure as RetryableError).message).toBe('service web in prod changed since it was read; deciding again');
      expect((failure as RetryableError).code).toBe(SERVICE_CHANGED);
      expect(callNames()).toEqual(['DescribeServicesCommand']);
    });

    it('nor clears the record of a service that fell back again meanwhile', async () => {
      asLoaded({ strategy: FALLEN_BACK, record: { ...aFallback().record, fallbackSince: '2024-03-01T13:00:00.000Z' } });

      await expect(writer.clearRecord(aClearRecord())).rejects.toThrow('service web in prod changed since it was read; deciding again');
      expect(callNames()).toEqual(['DescribeServicesCommand']);
    });
  });

  it('does not write a service that is being deleted', async () => {
    described = { ...aFallback().previous, status: 'DRAINING' };

    const failure = await writer.write(aFallback()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PermanentError);
    expect(callNames()).toEqual(['DescribeServicesCommand']);
  });
});

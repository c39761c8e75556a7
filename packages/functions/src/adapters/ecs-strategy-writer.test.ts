import { DescribeServicesCommand, ECSClient, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { aStrategy } from '@ecs-rebalancer/core/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import type { ClearRecordRequest, StrategyChangeRequest, StrategyRecord } from '../ports.js';
import { LEASE_KEY_PREFIX, RecordTag, readRecord, recordTags } from './ecs-service-tags.js';
import { EcsStrategyWriter, LEASE_HELD, OUTCOME_UNKNOWN, SERVICE_CHANGED, UPDATE_ATTEMPTS } from './ecs-strategy-writer.js';

// A stateful fake of one ECS service: DescribeServices answers what Tag/Untag/UpdateService left.
const ecs = mockClient(ECSClient);
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
const FALLEN_BACK = aStrategy(0, 4, 2);
const NO_RECORD: StrategyRecord = { baseline: null, fallbackSince: null, applied: null };
const NOW = new Date('2024-03-01T12:00:05.000Z');
const writer = (owner = 'a'): EcsStrategyWriter => new EcsStrategyWriter(new ECSClient({ region: 'us-east-1' }), undefined, { clock: () => NOW, owner: () => owner });

let service: { strategy: Strategy; tags: Map<string, string>; status: string };
/** Runs before UpdateService changes the strategy: throw to fail it, return 'lost' to apply it and lose the answer. */
let onUpdate: (call: number) => 'ok' | 'lost' | Error;
/** Runs before each DescribeServices answer (another writer acting meanwhile). */
let onDescribe: (call: number) => void;

function setRecord(record: StrategyRecord): void {
  for (const key of [...service.tags.keys()]) if (key.startsWith('ecs-rebalancer:')) service.tags.delete(key);
  for (const t of recordTags(record).tags) service.tags.set(t.key, t.value);
}
const record = (): StrategyRecord => readRecord([...service.tags].map(([key, value]) => ({ key, value }))).record;
const names = (): string[] => ecs.calls().map((c) => c.args[0].constructor.name.replace('Command', ''));
const updates = (): number => ecs.commandCalls(UpdateServiceCommand).length;
const leases = (): string[] => [...service.tags].filter(([k, v]) => k.startsWith(LEASE_KEY_PREFIX) && Date.parse(v) > NOW.getTime()).map(([k]) => k);

const aFallback = (): StrategyChangeRequest => ({
  cluster: 'prod',
  service: 'web',
  serviceArn: SERVICE_ARN,
  strategy: FALLEN_BACK,
  record: { baseline: aStrategy(), fallbackSince: '2024-03-01T12:00:00.000Z', applied: FALLEN_BACK },
  previous: { strategy: aStrategy(), record: NO_RECORD },
});
const FALLBACK_RECORD: StrategyRecord = { baseline: aStrategy(), fallbackSince: '2024-03-01T12:00:00.000Z', applied: FALLEN_BACK };
const aRestore = (): StrategyChangeRequest => ({
  ...aFallback(),
  strategy: aStrategy(),
  record: { baseline: null, fallbackSince: null, applied: aStrategy() },
  previous: { strategy: FALLEN_BACK, record: FALLBACK_RECORD },
});
const aClearRecord = (): ClearRecordRequest => ({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, strategy: aStrategy(), previousRecord: FALLBACK_RECORD });

const lost = (): Error => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

beforeEach(() => {
  ecs.reset();
  service = { strategy: aStrategy(), tags: new Map([['team', 'payments']]), status: 'ACTIVE' };
  onUpdate = () => 'ok';
  onDescribe = () => {};
  let describes = 0;
  let updateCalls = 0;
  ecs.on(DescribeServicesCommand).callsFake(() => {
    onDescribe(++describes);
    return {
      services: [{ serviceName: 'web', serviceArn: SERVICE_ARN, status: service.status, capacityProviderStrategy: service.strategy, tags: [...service.tags].map(([key, value]) => ({ key, value })) }],
      failures: [],
    };
  });
  ecs.on(TagResourceCommand).callsFake((input: { tags: { key: string; value: string }[] }) => {
    for (const t of input.tags) service.tags.set(t.key, t.value);
    return {};
  });
  ecs.on(UntagResourceCommand).callsFake((input: { tagKeys: string[] }) => {
    for (const k of input.tagKeys) service.tags.delete(k);
    return {};
  });
  ecs.on(UpdateServiceCommand).callsFake((input: { capacityProviderStrategy: Strategy }) => {
    const verdict = onUpdate(++updateCalls);
    if (verdict instanceof Error) throw verdict;
    service.strategy = structuredClone(input.capacityProviderStrategy);
    if (verdict === 'lost') throw lost();
    return { service: { serviceArn: SERVICE_ARN } };
  });
});

describe('EcsStrategyWriter', () => {
  it('a fallback: reads, takes the lease with the falling-back record, reads again, updates, then marks it active releasing the lease: three writes', async () => {
    await expect(writer().write(aFallback())).resolves.toBe('updated');
    expect(names()).toEqual(['DescribeServices', 'TagResource', 'DescribeServices', 'UpdateService', 'TagResource']);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toMatchObject({ cluster: 'prod', service: 'web', capacityProviderStrategy: FALLEN_BACK, forceNewDeployment: true });
    expect(ecs.commandCalls(TagResourceCommand)[0]!.args[0].input.tags).toContainEqual({ key: RecordTag.Phase, value: 'falling-back' });
    expect(record()).toEqual({ ...FALLBACK_RECORD, phase: 'active', recentFallbacks: ['2024-03-01T12:00:00.000Z'] });
    expect(service.tags.get('team')).toBe('payments');
    expect(leases()).toEqual([]);
  });

  it('a restore: marks the record restoring, updates, then clears it keeping applied and lastRestoredAt', async () => {
    service.strategy = FALLEN_BACK;
    setRecord({ ...FALLBACK_RECORD, phase: 'active' });
    await expect(writer().write(aRestore())).resolves.toBe('updated');
    expect(ecs.commandCalls(TagResourceCommand)[0]!.args[0].input.tags).toContainEqual({ key: RecordTag.Phase, value: 'restoring' });
    expect(service.strategy).toEqual(aStrategy());
    expect(record()).toEqual({ baseline: null, fallbackSince: null, applied: aStrategy(), lastRestoredAt: NOW.toISOString() });
    expect(leases()).toEqual([]);
  });

  it('sends nothing when the service already runs that strategy: every change redeploys it', async () => {
    await expect(writer().write({ ...aFallback(), strategy: aStrategy() })).resolves.toBe('unchanged');
    expect(ecs.calls()).toHaveLength(0);
  });

  it('a refused UpdateService (throttled: nothing changed) puts the previous record back and rejects classified', async () => {
    onUpdate = () => throttled();
    const error = await writer().write(aFallback()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(record()).toEqual(NO_RECORD);
    expect(leases()).toEqual([]);
    expect(updates()).toBe(1);
  });

  it('a lost answer of an UpdateService that took effect is success after a re-read: one deployment, not two (finding 3)', async () => {
    onUpdate = (n) => (n === 1 ? 'lost' : 'ok');
    await expect(writer().write(aFallback())).resolves.toBe('updated');
    expect(updates()).toBe(1);
    expect(record()).toMatchObject({ baseline: aStrategy(), phase: 'active' });
  });

  it('a lost answer of an UpdateService that did not take effect is sent again, after the re-read shows the old strategy', async () => {
    onUpdate = (n) => (n === 1 ? lost() : 'ok');
    await expect(writer().write(aFallback())).resolves.toBe('updated');
    expect(updates()).toBe(2);
    expect(service.strategy).toEqual(FALLEN_BACK);
  });

  it('answers lost every time: the record is kept in its phase, never erased, and the change is retried later (finding 2)', async () => {
    onUpdate = () => lost();
    const error = await writer().write(aFallback()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).code).toBe(OUTCOME_UNKNOWN);
    expect(updates()).toBe(UPDATE_ATTEMPTS);
    expect(record()).toMatchObject({ baseline: aStrategy(), phase: 'falling-back' });
  });

  it('a restore whose outcome stays unknown keeps the baseline and says restoring (finding 8)', async () => {
    service.strategy = FALLEN_BACK;
    setRecord({ ...FALLBACK_RECORD, phase: 'active' });
    onUpdate = () => lost();
    await expect(writer().write(aRestore())).rejects.toMatchObject({ code: OUTCOME_UNKNOWN });
    expect(record()).toMatchObject({ baseline: aStrategy(), fallbackSince: FALLBACK_RECORD.fallbackSince, phase: 'restoring' });
  });

  it('clears the record without UpdateService, keeping the strategy the service runs as applied', async () => {
    setRecord({ ...FALLBACK_RECORD, phase: 'restoring' });
    await writer().clearRecord({ ...aClearRecord(), previousRecord: { ...FALLBACK_RECORD, phase: 'restoring' } });
    expect(updates()).toBe(0);
    expect(record()).toEqual({ baseline: null, fallbackSince: null, applied: aStrategy(), lastRestoredAt: NOW.toISOString() });
  });

  describe('compare-and-set against what the decision saw (finding 11)', () => {
    it.each([
      ['a strategy changed by hand before the first read', () => { service.strategy = aStrategy(1, 1, 0); }, 1],
      ['a strategy changed by hand between the reads', () => { service.strategy = aStrategy(1, 1, 0); }, 2],
      ['a record written meanwhile', () => setRecord(FALLBACK_RECORD), 1],
    ] as const)('%s: nothing is sent, the change is decided again', async (_name, change, at) => {
      onDescribe = (n) => { if (n === at) change(); };
      await expect(writer().write(aFallback())).rejects.toMatchObject({ code: SERVICE_CHANGED });
      expect(updates()).toBe(0);
      expect(leases()).toEqual([]);
    });
  });

  describe('one change per service at a time (finding 7)', () => {
    it('another writer holding a live lease: this one steps back without writing', async () => {
      service.tags.set(`${LEASE_KEY_PREFIX}b`, new Date(NOW.getTime() + 30_000).toISOString());
      await expect(writer('a').write(aFallback())).rejects.toMatchObject({ code: LEASE_HELD });
      expect(names()).toEqual(['DescribeServices']);
    });

    it('another writer tagging between this one’s reads: this one steps back and removes only its own lease', async () => {
      onDescribe = (n) => { if (n === 2) service.tags.set(`${LEASE_KEY_PREFIX}b`, new Date(NOW.getTime() + 30_000).toISOString()); };
      await expect(writer('a').write(aFallback())).rejects.toMatchObject({ code: LEASE_HELD });
      expect(updates()).toBe(0);
      expect(leases()).toEqual([`${LEASE_KEY_PREFIX}b`]);
    });

    it('an expired lease of a writer that died does not block, and is removed', async () => {
      service.tags.set(`${LEASE_KEY_PREFIX}dead`, new Date(NOW.getTime() - 1).toISOString());
      await expect(writer('a').write(aFallback())).resolves.toBe('updated');
      expect(leases()).toEqual([]);
    });

    it('two writers interleaved call by call: exactly one UpdateService', async () => {
      const a = writer('a');
      const b = writer('b');
      const results = await Promise.allSettled([a.write(aFallback()), b.write(aFallback())]);
      expect(updates()).toBeLessThanOrEqual(1);
      expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof RetryableError)).toBe(true);
    });
  });

  it('does not write a service that is being deleted', async () => {
    service.status = 'DRAINING';
    await expect(writer().write(aFallback())).rejects.toBeInstanceOf(PermanentError);
    expect(names()).toEqual(['DescribeServices']);
  });
});

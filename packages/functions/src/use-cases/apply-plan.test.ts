import type { ClearRecordAction, DrainAction, MetricAction, Plan, SetStrategyAction } from '@ecs-rebalancer/core';
import { aCluster, aService, aStrategy, anInstance } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { shortArnReason } from '../adapters/ecs-cluster-reader.js';
import type { ClearRecordRequest, ClusterSnapshot, StrategyChangeRequest, StrategyWriteResult, StrategyWriter } from '../ports.js';
import { FakeEcs, RecordingLog, RecordingMetrics, serviceArn } from '../test-support/fakes.js';
import { NO_DRAINER, STRATEGY_WRITE_CONCURRENCY, applyPlan } from './apply-plan.js';

const INSTANCE = anInstance();
const drain: DrainAction = {
  type: 'drain',
  cluster: 'prod',
  containerInstances: [INSTANCE.arn],
  ec2InstanceIds: [INSTANCE.ec2InstanceId],
  reason: 'spot-interruption',
  eventIds: ['e1'],
};
const metric: MetricAction = { type: 'metric', cluster: 'prod', name: 'SpotInterruptions', value: 1, eventIds: ['e1'] };
const plan: Plan = { actions: [drain, metric], skipped: [], warnings: [], drift: [] };

function setup() {
  const ecs = new FakeEcs([aCluster({ containerInstances: [structuredClone(INSTANCE)] })]);
  return { ecs, deps: { strategies: ecs, metrics: new RecordingMetrics(), log: new RecordingLog() } };
}

describe('applyPlan', () => {
  it('drains with the drainer it is given', async () => {
    // Prepare
    const { ecs, deps } = setup();

    // Act
    const reports = await applyPlan(plan, [], { ...deps, drainer: ecs }, { dryRun: false });

    // Assess
    expect(reports.map((r) => [r.action.type, r.outcome])).toEqual([
      ['drain', 'done'],
      ['metric', 'done'],
    ]);
    expect(ecs.drains).toEqual([{ cluster: 'prod', arns: [INSTANCE.arn] }]);
  });

  it('without a drainer (the tick) reports a drain failed with its reason, not retried, and carries out the rest', async () => {
    // Prepare
    const { ecs, deps } = setup();

    // Act
    const reports = await applyPlan(plan, [], deps, { dryRun: false });

    // Assess
    expect(reports[0]).toEqual({ action: drain, outcome: 'failed', problems: [NO_DRAINER], retry: false, retryInstanceIds: [] });
    expect(reports[1]?.outcome).toBe('done');
    expect(deps.metrics.total('SpotInterruptions', { Cluster: 'prod' })).toBe(1);
    expect(ecs.clusters[0]?.containerInstances[0]?.status).toBe(INSTANCE.status);
  });
});

const aFallback = (service: string): SetStrategyAction => ({
  type: 'set-strategy',
  cluster: 'prod',
  service,
  strategy: aStrategy(0, 4, 2),
  baseline: aStrategy(),
  fallbackSince: '2024-03-01T12:00:00.000Z',
  change: 'fallback',
  reason: 'fallback: alarm prod-spot-interruptions is ALARM',
  eventIds: ['e1'],
});
const aClearRecord = (service: string): ClearRecordAction => ({ type: 'clear-record', cluster: 'prod', service, reason: 'restore due', eventIds: ['e1'] });

function aSnapshot(names: readonly string[], blocked?: Record<string, string>): ClusterSnapshot {
  const state = aCluster({ services: names.map((name) => aService({ name })) });
  return { state, serviceArns: Object.fromEntries(names.map((n) => [n, serviceArn('prod', n)])), ...(blocked ? { blocked } : {}) };
}

/** A writer whose calls take a few turns of the event loop, recording how many overlap. */
class SlowWriter implements StrategyWriter {
  running = 0;
  most = 0;
  readonly log: string[] = [];
  readonly clears: ClearRecordRequest[] = [];
  readonly writes: StrategyChangeRequest[] = [];
  private async work(service: string, what: string): Promise<void> {
    this.running += 1;
    this.most = Math.max(this.most, this.running);
    this.log.push(`${service} ${what} start`);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    this.log.push(`${service} ${what} end`);
    this.running -= 1;
  }
  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    this.writes.push(change);
    await this.work(change.service, 'write');
    return 'updated';
  }
  async clearRecord(request: ClearRecordRequest): Promise<void> {
    this.clears.push(request);
    await this.work(request.service, 'clear');
  }
}

describe('applyPlan strategy changes', () => {
  it(`changes at most ${STRATEGY_WRITE_CONCURRENCY} services at a time, and one service's changes one after another`, async () => {
    // Prepare: ten services fall back; svc-0 also has its record cleared
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const writer = new SlowWriter();
    const actions = [...names.map(aFallback), aClearRecord('svc-0')];

    // Act
    const reports = await applyPlan({ actions, skipped: [], warnings: [], drift: [] }, [aSnapshot(names)], { strategies: writer, metrics: new RecordingMetrics(), log: new RecordingLog() }, { dryRun: false });

    // Assess
    expect(reports.map((r) => r.outcome)).toEqual(actions.map(() => 'done'));
    expect(writer.most).toBe(STRATEGY_WRITE_CONCURRENCY);
    const svc0 = writer.log.filter((l) => l.startsWith('svc-0 '));
    expect(svc0).toEqual(['svc-0 write start', 'svc-0 write end', 'svc-0 clear start', 'svc-0 clear end']);
  });

  it('skips a service the loader marked, with its reason, not retried, and changes the others', async () => {
    // Prepare
    const ecs = new FakeEcs([aCluster({ services: [aService({ name: 'web' }), aService({ name: 'api' })] })]);
    const reason = shortArnReason('web');
    const plan: Plan = { actions: [aFallback('web'), aFallback('api'), aClearRecord('web')], skipped: [], warnings: [], drift: [] };

    // Act
    const reports = await applyPlan(plan, [aSnapshot(['web', 'api'], { web: reason })], { strategies: ecs, metrics: new RecordingMetrics(), log: new RecordingLog() }, { dryRun: false });

    // Assess
    expect(reports.map((r) => [r.action.type, r.action.type === 'metric' || r.action.type === 'drain' ? '' : r.action.service, r.outcome, r.problems, r.retry])).toEqual([
      ['set-strategy', 'web', 'failed', [reason], false],
      ['set-strategy', 'api', 'done', [], false],
      ['clear-record', 'web', 'failed', [reason], false],
    ]);
    expect(ecs.writes.map((w) => w.service)).toEqual(['api']);
    expect(ecs.clears).toEqual([]);
  });

  it('hands the record it loaded to clear-record, so the writer can tell whether the service changed since', async () => {
    const writer = new SlowWriter();
    const snapshot = aSnapshot(['web']);
    const loaded = { baseline: aStrategy(), fallbackSince: '2024-03-01T11:00:00.000Z', applied: aStrategy(0, 4, 2) };
    Object.assign(snapshot.state.services[0] ?? {}, loaded);

    await applyPlan({ actions: [aClearRecord('web')], skipped: [], warnings: [], drift: [] }, [snapshot], { strategies: writer, metrics: new RecordingMetrics(), log: new RecordingLog() }, { dryRun: false });

    expect(writer.clears).toEqual([{ cluster: 'prod', service: 'web', serviceArn: serviceArn('prod', 'web'), strategy: aStrategy(), previousRecord: loaded }]);
  });

  it("hands the writer the record's phase, last restore and recent fallbacks, which it carries forward", async () => {
    // Prepare: a service restored once and fallen back twice in the hour
    const writer = new SlowWriter();
    const snapshot = aSnapshot(['web']);
    const history = { lastRestoredAt: '2024-03-01T11:30:00.000Z', recentFallbacks: ['2024-03-01T11:00:00.000Z', '2024-03-01T11:20:00.000Z'] };
    Object.assign(snapshot.state.services[0] ?? {}, { baseline: null, fallbackSince: null, applied: aStrategy(), fallbackPhase: null, ...history });

    // Act
    await applyPlan({ actions: [aFallback('web')], skipped: [], warnings: [], drift: [] }, [snapshot], { strategies: writer, metrics: new RecordingMetrics(), log: new RecordingLog() }, { dryRun: false });

    // Assess: without them the writer would restart the history (no doubling of minSeconds)
    expect(writer.writes[0]?.previous.record).toEqual({ baseline: null, fallbackSince: null, applied: aStrategy(), phase: null, ...history });
  });
});

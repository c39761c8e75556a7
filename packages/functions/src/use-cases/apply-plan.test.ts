import type { DrainAction, MetricAction, Plan } from '@ecs-rebalancer/core';
import { aCluster, anInstance } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { FakeEcs, RecordingLog, RecordingMetrics } from '../test-support/fakes.js';
import { NO_DRAINER, applyPlan } from './apply-plan.js';

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

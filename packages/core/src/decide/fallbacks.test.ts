import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../model/cluster-state.js';
import type { SetStrategyAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import type { Policy } from '../policy/schema.js';
import { strategyProblems } from '../strategy/validate.js';
import { FALLBACK_ALARM, ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy } from '../test-support/builders.js';
import { T0, anAlarmSignal, aPlacementFailureSignal } from '../test-support/signals.js';
import { decide } from './decide.js';

const strategyChanges = (plan: { actions: { type: string }[] }): SetStrategyAction[] =>
  plan.actions.filter((a): a is SetStrategyAction => a.type === 'set-strategy');

describe('decide: fallback on a fallback alarm', () => {
  it('falls back every managed service that gives weight to Spot, recording the baseline (DESIGN.md sample)', () => {
    // Prepare
    const cluster = aCluster({
      services: [
        aService({ name: 'web' }),
        aService({ name: 'api', strategy: [{ capacityProvider: ON_DEMAND, base: 0, weight: 1 }] }),
        aService({ name: 'worker', strategy: aStrategy(1, 1, 0) }),
      ],
    });

    // Act
    const plan = decide([anAlarmSignal({ eventId: 'alarm-1' })], [cluster], aPolicy(), T0);

    // Assess
    expect(strategyChanges(plan)).toEqual([
      {
        type: 'set-strategy',
        cluster: 'prod',
        service: 'web',
        strategy: [
          { capacityProvider: SPOT, base: 0, weight: 0 },
          { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
        ],
        baseline: aStrategy(),
        fallbackSince: T0,
        change: 'fallback',
        reason: 'fallback: alarm prod-spot-interruptions is ALARM',
        eventIds: ['alarm-1'],
      },
      expect.objectContaining({ service: 'worker', strategy: [{ capacityProvider: SPOT, base: 0, weight: 0 }, { capacityProvider: ON_DEMAND, base: 0, weight: 2 }] }),
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('leaves a service that already has a baseline alone (idempotent)', () => {
    const inFallback = aService({ baseline: aStrategy(), fallbackSince: '2024-05-01T11:00:00Z', strategy: aStrategy(0, 4) });
    const plan = decide([anAlarmSignal()], [aCluster({ services: [inFallback] })], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
  });

  it('skips an alarm no cluster uses', () => {
    const plan = decide([anAlarmSignal({ alarm: 'ServerCpuTooHigh', eventId: 'c4' })], [aCluster()], aPolicy(), T0);
    expect(plan).toEqual({ actions: [], skipped: [{ eventId: 'c4', reason: 'alarm ServerCpuTooHigh drives no fallback' }], warnings: [], drift: [] });
  });

  it('skips an ALARM superseded by a later OK about the same alarm in the batch', () => {
    const plan = decide(
      [
        anAlarmSignal({ state: 'OK', eventId: 'ok', stateTimestamp: '2024-05-01T11:59:00Z' }),
        anAlarmSignal({ state: 'ALARM', eventId: 'alarm', stateTimestamp: '2024-05-01T11:58:00Z' }),
      ],
      [aCluster()],
      aPolicy(),
      T0,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([
      { eventId: 'alarm', reason: 'alarm prod-spot-interruptions ALARM at 2024-05-01T11:58:00Z is superseded by OK at 2024-05-01T11:59:00Z' },
      { eventId: 'ok', reason: 'alarm prod-spot-interruptions is OK: no service of prod is in fallback' },
    ]);
  });

  const noSpot: { name: string; services: ReturnType<typeof aService>[] }[] = [
    { name: 'no managed service gives weight to Spot', services: [aService({ strategy: [{ capacityProvider: ON_DEMAND, base: 0, weight: 1 }] })] },
    { name: 'every service is already in fallback', services: [aService({ strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: '2024-05-01T11:00:00Z' })] },
    { name: 'the cluster has no managed service', services: [] },
  ];
  for (const row of noSpot) {
    it(`reports an ALARM that changes nothing: ${row.name}`, () => {
      const plan = decide([anAlarmSignal({ eventId: 'a' })], [aCluster({ services: row.services })], aPolicy(), T0);
      expect(plan).toEqual({
        actions: [],
        skipped: [{ eventId: 'a', reason: 'alarm prod-spot-interruptions is ALARM: no managed service of prod gives weight to a Spot provider' }],
        warnings: [],
        drift: [],
      });
    });
  }

  it('does nothing on INSUFFICIENT_DATA, and says so', () => {
    const plan = decide([anAlarmSignal({ state: 'INSUFFICIENT_DATA', eventId: 'i' })], [aCluster()], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([{ eventId: 'i', reason: 'alarm prod-spot-interruptions is INSUFFICIENT_DATA: no fallback and no restore' }]);
  });
});

describe('decide: fallback on a task placement failure', () => {
  it('falls back the service it names when it failed on a Spot provider', () => {
    const plan = decide([aPlacementFailureSignal({ eventId: 'p1' })], [aCluster({ services: [aService(), aService({ name: 'api' })] })], aPolicy(), T0);
    expect(strategyChanges(plan)).toEqual([
      expect.objectContaining({ service: 'web', change: 'fallback', reason: 'fallback: task placement failed on spot-arm64', eventIds: ['p1'] }),
    ]);
  });

  it('takes the cluster from an ARN', () => {
    const plan = decide([aPlacementFailureSignal({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' })], [aCluster()], aPolicy(), T0);
    expect(strategyChanges(plan)).toHaveLength(1);
  });

  it('falls back on the service strategy’s Spot providers when the event lists none, without saying the event named them', () => {
    const plan = decide([aPlacementFailureSignal({ capacityProviders: [] })], [aCluster()], aPolicy(), T0);
    expect(strategyChanges(plan)[0]?.reason).toBe('fallback: task placement of web failed (the event names no capacity provider; web gives weight to Spot spot-arm64)');
  });

  it('treats FARGATE_SPOT as Spot even when the policy does not list it', () => {
    const cluster = aCluster({
      capacityProviders: [
        { name: 'FARGATE', type: 'FARGATE' },
        { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
      ],
      services: [aService({ strategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 4 }, { capacityProvider: 'FARGATE', base: 1, weight: 1 }] })],
    });
    const policy = aPolicy({ clusters: { prod: { fallback: { to: 'FARGATE' } } } });
    const plan = decide([aPlacementFailureSignal({ capacityProviders: ['FARGATE_SPOT'] })], [cluster], policy, T0);
    expect(strategyChanges(plan)[0]?.strategy).toEqual([
      { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 0 },
      { capacityProvider: 'FARGATE', base: 1, weight: 5 },
    ]);
  });

  it('joins an alarm and a placement failure on one service into one change', () => {
    const plan = decide([aPlacementFailureSignal({ eventId: 'p1' }), anAlarmSignal({ eventId: 'a1' })], [aCluster()], aPolicy(), T0);
    expect(strategyChanges(plan)).toEqual([
      expect.objectContaining({ service: 'web', eventIds: ['a1', 'p1'], reason: 'fallback: alarm prod-spot-interruptions is ALARM; fallback: task placement failed on spot-arm64' }),
    ]);
  });
});

describe('decide: fallback skips', () => {
  const noFallbackPolicy = aPolicy({ clusters: { prod: aClusterPolicy({ fallback: undefined }) } });
  const rows: { name: string; signal: Signal; state?: ClusterState; policy?: Policy; reason: string }[] = [
    { name: 'cluster not managed', signal: aPlacementFailureSignal({ cluster: 'default' }), reason: 'cluster default is not managed' },
    { name: 'service not managed', signal: aPlacementFailureSignal({ service: 'admin' }), policy: aPolicy({ clusters: { prod: aClusterPolicy({ services: ['web'] }) } }), reason: 'service admin is not managed in prod' },
    { name: 'service not in the state', signal: aPlacementFailureSignal({ service: 'admin' }), reason: 'service admin was not found in cluster prod' },
    { name: 'cluster without fallback never falls back', signal: aPlacementFailureSignal(), policy: noFallbackPolicy, reason: 'cluster prod has no fallback in the policy: web never falls back' },
    { name: 'placement failure on an on-demand provider', signal: aPlacementFailureSignal({ capacityProviders: [ON_DEMAND] }), reason: 'placement failure of web in prod is on no Spot provider (od-arm64)' },
    {
      name: 'already in fallback',
      signal: aPlacementFailureSignal(),
      state: aCluster({ services: [aService({ baseline: aStrategy(), fallbackSince: '2024-05-01T11:00:00Z' })] }),
      reason: 'service web in prod is already in fallback since 2024-05-01T11:00:00Z',
    },
    {
      name: 'CODE_DEPLOY controller',
      signal: aPlacementFailureSignal(),
      state: aCluster({ services: [aService({ deploymentController: 'CODE_DEPLOY' })] }),
      reason: 'service web uses the CODE_DEPLOY deployment controller: ECS refuses a forced deployment for it',
    },
    {
      name: 'fallback target not attached',
      signal: anAlarmSignal(),
      state: aCluster({ capacityProviders: [{ name: SPOT, type: 'EC2_AUTOSCALING' }], services: [aService({ strategy: [{ capacityProvider: SPOT, base: 0, weight: 1 }] })] }),
      reason: "fallback of web in prod: spot-arm64's weight is not moved: fallback target od-arm64 is not attached to cluster prod",
    },
    {
      name: 'result ECS would reject: Fargate and ASG providers mixed',
      signal: aPlacementFailureSignal({ capacityProviders: ['FARGATE_SPOT'] }),
      state: aCluster({
        capacityProviders: [
          { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
          { name: ON_DEMAND, type: 'EC2_AUTOSCALING' },
        ],
        services: [aService({ strategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }] })],
      }),
      reason: 'fallback of web in prod is not valid for ECS: Fargate and Auto Scaling group providers are mixed',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = decide([{ ...row.signal, eventId: 'e' }], [row.state ?? aCluster()], row.policy ?? aPolicy(), T0);
      expect(plan.actions).toEqual([]);
      expect(plan.skipped).toEqual([{ eventId: 'e', reason: row.reason }]);
    });
  }

  it('never emits a strategy that fails strategyProblems', () => {
    const services = [aService({ name: 'a', strategy: aStrategy(1000, 1000, 0) }), aService({ name: 'b', strategy: [{ capacityProvider: SPOT, base: 7, weight: 3 }] })];
    const cluster = aCluster({ services });
    const plan = decide([anAlarmSignal()], [cluster], aPolicy(), T0);
    expect(strategyChanges(plan)).toHaveLength(2);
    for (const change of strategyChanges(plan)) expect(strategyProblems(change.strategy, cluster.capacityProviders)).toEqual([]);
  });
});

describe('decide: fallback alarm reaches every cluster that lists it', () => {
  it('falls back services in each cluster', () => {
    const policy = aPolicy({ clusters: { prod: aClusterPolicy(), staging: aClusterPolicy() } });
    const plan = decide([anAlarmSignal({ alarm: FALLBACK_ALARM })], [aCluster({ cluster: 'staging' }), aCluster()], policy, T0);
    expect(strategyChanges(plan).map((a) => `${a.cluster}/${a.service}`)).toEqual(['prod/web', 'staging/web']);
  });
});

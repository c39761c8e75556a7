import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../model/cluster-state.js';
import type { Plan, PlanAction, SetStrategyAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import { ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy, anInstance, someInstances } from '../test-support/builders.js';
import {
  T0,
  aCapacityReservationSignal,
  aFargateSpotSignal,
  aPlacementFailureSignal,
  aRebalanceSignal,
  aScheduledChangeSignal,
  aSpotSignal,
  aTickSignal,
  anAlarmSignal,
  anIgnoredSignal,
  anInstanceStateSignal,
} from '../test-support/signals.js';
import type { Decision } from './context.js';
import { emptyDecision } from './context.js';
import { assemble, decide } from './decide.js';

const summary = (a: PlanAction): string => {
  if (a.type === 'drain') return `drain ${a.cluster} ${a.reason} ${a.ec2InstanceIds.join(',')}`;
  if (a.type === 'metric') return `metric ${a.cluster} ${a.name}=${a.value}`;
  if (a.type === 'clear-record') return `clear-record ${a.cluster}/${a.service}`;
  return `set-strategy ${a.cluster}/${a.service} ${a.change}`;
};

// One row per line of DESIGN.md "Decisions the core makes", with the default policy.
describe('decide: the DESIGN.md decision table', () => {
  const fleet = (): ClusterState => aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-1' }), ...someInstances(9)] });
  const inFallback = aCluster({ services: [aService({ strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: '2024-05-01T11:00:00Z' })] });
  const rows: { name: string; signals: Signal[]; state: ClusterState; actions: string[] }[] = [
    { name: 'spot-interruption: drain now and count it', signals: [aSpotSignal({ instance: 'i-1' })], state: fleet(), actions: ['drain prod spot-interruption i-1', 'metric prod SpotInterruptions=1'] },
    {
      name: 'capacity-reservation-interruption: drain now',
      signals: [aCapacityReservationSignal({ instance: 'i-1' })],
      state: fleet(),
      actions: ['drain prod capacity-reservation-interruption i-1', 'metric prod CapacityReservationInterruptions=1'],
    },
    { name: 'rebalance-recommendation: drain under the guardrail', signals: [aRebalanceSignal({ instance: 'i-1' })], state: fleet(), actions: ['drain prod rebalance-recommendation i-1'] },
    { name: 'instance-state: drain if still ACTIVE', signals: [anInstanceStateSignal({ instance: 'i-1' })], state: fleet(), actions: ['drain prod instance-state i-1'] },
    {
      name: 'scheduled-change: drain each managed instance',
      signals: [aScheduledChangeSignal({ instance: 'i-1', eventId: 'h' }), aScheduledChangeSignal({ instance: 'i-a0001', eventId: 'h' })],
      state: fleet(),
      actions: ['drain prod scheduled-change i-1,i-a0001'],
    },
    { name: 'fargate-spot-interruption: count it', signals: [aFargateSpotSignal()], state: aCluster(), actions: ['metric prod FargateSpotInterruptions=1'] },
    { name: 'placement-failure on a Spot provider: fall back', signals: [aPlacementFailureSignal()], state: aCluster(), actions: ['set-strategy prod/web fallback'] },
    { name: 'alarm ALARM on a fallback alarm: fall back', signals: [anAlarmSignal({ state: 'ALARM' })], state: aCluster(), actions: ['set-strategy prod/web fallback'] },
    {
      name: 'alarm OK on a fallback alarm, OK for okSeconds: restore when due',
      signals: [anAlarmSignal({ state: 'OK', stateTimestamp: '2024-05-01T11:55:00Z' })],
      state: inFallback,
      actions: ['set-strategy prod/web restore'],
    },
    { name: 'tick: restores that are due', signals: [aTickSignal()], state: inFallback, actions: ['set-strategy prod/web restore'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = decide(row.signals, [row.state], aPolicy(), T0);
      expect(plan.actions.map(summary)).toEqual(row.actions);
      expect(plan.skipped).toEqual([]);
    });
  }
});

describe('decide: metrics', () => {
  it('counts unique interrupted instances per cluster that are still ACTIVE', () => {
    const instances = [anInstance({ ec2InstanceId: 'i-1' }), anInstance({ ec2InstanceId: 'i-2', status: 'DRAINING' }), ...someInstances(8)];
    const signals = [aSpotSignal({ instance: 'i-1', eventId: 'a' }), aSpotSignal({ instance: 'i-1', eventId: 'b' }), aSpotSignal({ instance: 'i-2', eventId: 'c' }), aSpotSignal({ instance: 'i-9', eventId: 'd' })];
    const plan = decide(signals, [aCluster({ containerInstances: instances })], aPolicy(), T0);
    expect(plan.actions.filter((a) => a.type === 'metric')).toEqual([{ type: 'metric', name: 'SpotInterruptions', cluster: 'prod', value: 1, eventIds: ['a', 'b'] }]);
    expect(plan.skipped).toEqual([
      { eventId: 'c', reason: 'instance i-2 in prod is already DRAINING' },
      { eventId: 'd', reason: 'instance i-9 is in no managed cluster' },
    ]);
  });

  // The first delivery drains the instance; a redelivery in a later batch finds it DRAINING.
  const redelivery: { name: string; signal: Signal; status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'; counted: boolean }[] = [
    { name: 'Spot warning, first delivery', signal: aSpotSignal({ instance: 'i-1' }), status: 'ACTIVE', counted: true },
    { name: 'Spot warning redelivered after the drain', signal: aSpotSignal({ instance: 'i-1' }), status: 'DRAINING', counted: false },
    { name: 'Spot warning for a deregistered instance', signal: aSpotSignal({ instance: 'i-1' }), status: 'INACTIVE', counted: false },
    { name: 'capacity reservation warning, first delivery', signal: aCapacityReservationSignal({ instance: 'i-1' }), status: 'ACTIVE', counted: true },
    { name: 'capacity reservation warning redelivered after the drain', signal: aCapacityReservationSignal({ instance: 'i-1' }), status: 'DRAINING', counted: false },
  ];
  for (const row of redelivery) {
    it(`${row.counted ? 'counts' : 'does not count'} a ${row.name}`, () => {
      const plan = decide([row.signal], [aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-1', status: row.status }), ...someInstances(9)] })], aPolicy(), T0);
      expect(plan.actions.filter((a) => a.type === 'metric')).toHaveLength(row.counted ? 1 : 0);
    });
  }

  it('counts a spot interruption even when the policy says not to drain', () => {
    const plan = decide([aSpotSignal({ instance: 'i-1', eventId: 'a' })], [aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-1' })] })], aPolicy({ actions: { 'spot-interruption': 'none' } }), T0);
    expect(plan.actions.map(summary)).toEqual(['metric prod SpotInterruptions=1']);
  });

  it('counts Fargate Spot interruptions per task and skips unmanaged clusters', () => {
    const signals = [
      aFargateSpotSignal({ eventId: 'f1', taskArn: 't1' }),
      aFargateSpotSignal({ eventId: 'f2', taskArn: 't2' }),
      aFargateSpotSignal({ eventId: 'f3', cluster: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster' }),
    ];
    const plan = decide(signals, [aCluster()], aPolicy(), T0);
    expect(plan.actions).toEqual([{ type: 'metric', name: 'FargateSpotInterruptions', cluster: 'prod', value: 2, eventIds: ['f1', 'f2'] }]);
    expect(plan.skipped).toEqual([{ eventId: 'f3', reason: 'cluster FargateCluster is not managed' }]);
  });
});

describe('decide: managed clusters and other signals', () => {
  it('manages only the policy’s clusters that have a state', () => {
    const plan = decide([aSpotSignal({ instance: 'i-1', eventId: 'e' })], [aCluster({ cluster: 'other', containerInstances: [anInstance({ cluster: 'other', ec2InstanceId: 'i-1' })] })], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([{ eventId: 'e', reason: 'instance i-1 is in no managed cluster' }]);
  });

  it('skips ignored signals with their reason', () => {
    const plan = decide([anIgnoredSignal({ eventId: 'x', reason: 'instance state running calls for no action' })], [aCluster()], aPolicy(), T0);
    expect(plan).toEqual({ actions: [], skipped: [{ eventId: 'x', reason: 'instance state running calls for no action' }], warnings: [], drift: [] });
  });

  it('a tick with nothing due plans nothing', () => {
    expect(decide([aTickSignal()], [aCluster()], aPolicy(), T0)).toEqual({ actions: [], skipped: [], warnings: [], drift: [] });
  });

  it('rejects a decision time that is not a time', () => {
    expect(() => decide([], [], aPolicy(), 'yesterday')).toThrow(/now: "yesterday" is not an ISO 8601 time/);
  });
});

describe('decide: drift', () => {
  const applied = aStrategy();
  const changedByHand = aStrategy(1, 1);
  const services = [aService({ name: 'web', applied, strategy: changedByHand }), aService({ name: 'api', applied, strategy: aStrategy() }), aService({ name: 'old', applied: null })];

  it('reports a managed service whose strategy is not the one the rebalancer set, on a tick', () => {
    const plan = decide([aTickSignal()], [aCluster({ services })], aPolicy(), T0);
    expect(plan.drift).toEqual([{ cluster: 'prod', service: 'web', expected: applied, actual: changedByHand }]);
    expect(plan.warnings).toEqual(['service web in prod drifted: its strategy is not the one the rebalancer set']);
  });

  it('is reported on ticks only, and for managed services only', () => {
    expect(decide([anAlarmSignal({ alarm: 'x' })], [aCluster({ services })], aPolicy(), T0).drift).toEqual([]);
    const onlyApi = aPolicy({ clusters: { prod: aClusterPolicy({ services: ['api'] }) } });
    expect(decide([aTickSignal()], [aCluster({ services })], onlyApi, T0).drift).toEqual([]);
  });
});

describe('decide: determinism', () => {
  // A batch that exercises every part: drains, a deferred drain, fallback, metrics, skips.
  const prepare = (): { signals: Signal[]; states: ClusterState[] } => ({
    signals: [
      aSpotSignal({ instance: 'i-a0003', eventId: 's1', time: '2024-05-01T11:59:01Z' }),
      aSpotSignal({ instance: 'i-a0001', eventId: 's2', time: '2024-05-01T11:59:02Z' }),
      aRebalanceSignal({ instance: 'i-a0002', eventId: 'r1' }),
      aRebalanceSignal({ instance: 'i-a0004', eventId: 'r2' }),
      aRebalanceSignal({ instance: 'i-a0005', eventId: 'r3' }),
      aScheduledChangeSignal({ instance: 'i-b0001', eventId: 'h1' }),
      aScheduledChangeSignal({ instance: 'i-zzz', eventId: 'h1' }),
      aFargateSpotSignal({ eventId: 'f1', cluster: 'batch' }),
      anAlarmSignal({ eventId: 'a1' }),
      aPlacementFailureSignal({ eventId: 'p1', cluster: 'batch', service: 'jobs' }),
      anIgnoredSignal({ eventId: 'x1' }),
      aTickSignal({ eventId: 't1' }),
      aSpotSignal({ instance: 'i-a0003', eventId: 's1', time: '2024-05-01T11:59:01Z' }),
    ],
    states: [
      aCluster({ containerInstances: someInstances(10), services: [aService(), aService({ name: 'api', minimumHealthyPercent: 100 })] }),
      aCluster({
        cluster: 'batch',
        containerInstances: someInstances(4, { cluster: 'batch', capacityProvider: ON_DEMAND }, 'b'),
        services: [aService({ name: 'jobs', strategy: [{ capacityProvider: SPOT, base: 1, weight: 1 }] })],
      }),
    ],
  });
  const policy = aPolicy({ clusters: { prod: aClusterPolicy(), batch: aClusterPolicy({ fallback: { alarms: [], to: ON_DEMAND } }) } });

  it('gives byte-identical JSON for the same input', () => {
    const first = JSON.stringify(decide(prepare().signals, prepare().states, policy, T0));
    const second = JSON.stringify(decide(prepare().signals, prepare().states, policy, T0));
    expect(second).toBe(first);
  });

  it('gives the same plan whatever the order of signals and states', () => {
    const { signals, states } = prepare();
    const expected = JSON.stringify(decide(signals, states, policy, T0));
    // Deterministic permutations: reversed, rotated, interleaved.
    const orders = [[...signals].reverse(), [...signals.slice(5), ...signals.slice(0, 5)], signals.filter((_, i) => i % 2 === 0).concat(signals.filter((_, i) => i % 2 === 1))];
    for (const order of orders) expect(JSON.stringify(decide(order, [...states].reverse(), policy, T0))).toBe(expected);
  });

  it('the batch plans what the rules say', () => {
    const plan: Plan = decide(prepare().signals, prepare().states, policy, T0);
    expect(plan.actions.map(summary)).toEqual([
      'drain batch scheduled-change i-b0001',
      'drain prod spot-interruption i-a0001,i-a0003',
      'drain prod rebalance-recommendation i-a0002',
      'set-strategy batch/jobs fallback',
      'set-strategy prod/api fallback',
      'set-strategy prod/web fallback',
      'metric batch FargateSpotInterruptions=1',
      'metric prod SpotInterruptions=2',
    ]);
    expect(plan.skipped.map((s) => s.eventId)).toEqual(['h1', 'r2', 'r3', 'x1']);
    expect(plan.warnings).toEqual(['service api has minimumHealthyPercent 100: it may lose tasks, since draining cannot replace them in time']);
  });

  it('does not modify its input', () => {
    const { signals, states } = prepare();
    const before = JSON.stringify({ signals, states, policy });
    decide(signals, states, policy, T0);
    expect(JSON.stringify({ signals, states, policy })).toBe(before);
  });
});

describe('decide: a 200-instance storm', () => {
  it('gives one drain action holding all 200 instances', () => {
    // Prepare
    const instances = someInstances(200);
    const signals = instances.map((i, n) => aSpotSignal({ instance: i.ec2InstanceId, eventId: `storm-${String(n).padStart(3, '0')}` }));

    // Act
    const plan = decide([...signals, ...signals.slice(0, 50)], [aCluster({ containerInstances: instances })], aPolicy(), T0);

    // Assess
    const drains = plan.actions.filter((a) => a.type === 'drain');
    expect(drains).toHaveLength(1);
    expect(drains[0]).toMatchObject({ reason: 'spot-interruption', containerInstances: instances.map((i) => i.arn).sort() });
    expect(drains[0]?.eventIds).toHaveLength(200);
    expect(plan.actions.find((a) => a.type === 'metric')).toMatchObject({ name: 'SpotInterruptions', value: 200 });
    expect(plan.skipped).toEqual([]);
  });
});


describe('assemble: at most one strategy change per service', () => {
  const fallback = (service: string, eventIds: string[], cluster = 'prod'): SetStrategyAction => ({
    type: 'set-strategy',
    cluster,
    service,
    strategy: aStrategy(0, 4),
    baseline: aStrategy(),
    fallbackSince: T0,
    change: 'fallback',
    reason: 'fallback',
    eventIds,
  });
  const restore = (service: string, eventIds: string[]): SetStrategyAction => ({ ...fallback(service, eventIds), strategy: aStrategy(), baseline: null, fallbackSince: null, change: 'restore', reason: 'restore' });
  const clear = (service: string, eventIds: string[]): PlanAction => ({ type: 'clear-record', cluster: 'prod', service, reason: 'clear', eventIds });
  const part = (...actions: PlanAction[]): Decision => ({ ...emptyDecision(), actions });

  const rows: { name: string; parts: Decision[]; kept: string[]; skipped: { eventId: string; reason: string }[] }[] = [
    {
      name: 'a fallback and a restore of one service: the first part wins',
      parts: [part(fallback('web', ['alarm'])), part(restore('web', ['tick']))],
      kept: ['set-strategy prod/web fallback'],
      skipped: [{ eventId: 'tick', reason: 'restore of web in prod dropped: the plan already changes it (fallback)' }],
    },
    {
      name: 'a fallback and a clear-record of one service',
      parts: [part(fallback('web', ['alarm', 'tick'])), part(clear('web', ['tick', 'ok']))],
      kept: ['set-strategy prod/web fallback'],
      skipped: [{ eventId: 'ok', reason: 'clearing the record of web in prod dropped: the plan already changes it (fallback)' }],
    },
    {
      name: 'two fallbacks of one service in one part',
      parts: [part(fallback('web', ['a']), fallback('web', ['b']))],
      kept: ['set-strategy prod/web fallback'],
      skipped: [{ eventId: 'b', reason: 'fallback of web in prod dropped: the plan already changes it (fallback)' }],
    },
    {
      name: 'changes of different services, or of one service name in two clusters, all stay',
      parts: [part(fallback('web', ['a']), fallback('web', ['a'], 'staging')), part(restore('api', ['t']))],
      kept: ['set-strategy prod/api restore', 'set-strategy prod/web fallback', 'set-strategy staging/web fallback'],
      skipped: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = assemble(row.parts);
      expect(plan.actions.map(summary)).toEqual(row.kept);
      expect(plan.skipped).toEqual(row.skipped);
    });
  }
});

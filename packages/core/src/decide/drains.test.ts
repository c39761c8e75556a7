import { describe, expect, it } from 'vitest';
import type { ContainerInstanceState } from '../model/cluster-state.js';
import type { DrainAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import { ON_DEMAND, aCluster, aPolicy, aService, anInstance, someInstances } from '../test-support/builders.js';
import {
  T0,
  aCapacityReservationSignal,
  aRebalanceSignal,
  aScheduledChangeSignal,
  aSpotSignal,
  anInstanceStateSignal,
} from '../test-support/signals.js';
import { decide } from './decide.js';

const drains = (signals: Signal[], instances: ContainerInstanceState[], policy = aPolicy()): DrainAction[] =>
  decide(signals, [aCluster({ containerInstances: instances })], policy, T0).actions.filter((a): a is DrainAction => a.type === 'drain');

describe('decide: drains', () => {
  it('drains an instance once, for its most urgent reason, with every event id that hit it', () => {
    // Prepare
    const instance = anInstance({ ec2InstanceId: 'i-1' });
    const signals = [
      aRebalanceSignal({ instance: 'i-1', eventId: 'e-rebalance' }),
      aSpotSignal({ instance: 'i-1', eventId: 'e-spot' }),
      aScheduledChangeSignal({ instance: 'i-1', eventId: 'e-health' }),
    ];

    // Act
    const result = drains(signals, [instance]);

    // Assess
    expect(result).toEqual([
      {
        type: 'drain',
        cluster: 'prod',
        containerInstances: [instance.arn],
        ec2InstanceIds: ['i-1'],
        reason: 'spot-interruption',
        eventIds: ['e-health', 'e-rebalance', 'e-spot'],
      },
    ]);
  });

  const urgencyRows: { name: string; signals: Signal[]; reason: string }[] = [
    { name: 'capacity reservation beats instance-state', signals: [anInstanceStateSignal({ instance: 'i-1', eventId: 'a' }), aCapacityReservationSignal({ instance: 'i-1', eventId: 'b' })], reason: 'capacity-reservation-interruption' },
    { name: 'instance-state beats scheduled-change', signals: [aScheduledChangeSignal({ instance: 'i-1', eventId: 'a' }), anInstanceStateSignal({ instance: 'i-1', eventId: 'b' })], reason: 'instance-state' },
    { name: 'scheduled-change beats rebalance', signals: [aRebalanceSignal({ instance: 'i-1', eventId: 'a' }), aScheduledChangeSignal({ instance: 'i-1', eventId: 'b' })], reason: 'scheduled-change' },
  ];
  for (const row of urgencyRows) {
    it(`urgency: ${row.name}`, () => {
      // Nine more instances of the provider, so that a discretionary drain stays within the guardrail.
      const result = drains(row.signals, [anInstance({ ec2InstanceId: 'i-1' }), ...someInstances(9)]);
      expect(result.map((d) => [d.reason, d.eventIds])).toEqual([[row.reason, ['a', 'b']]]);
    });
  }

  it('gives one drain action per (cluster, reason), instances sorted by ARN, ids in the same order', () => {
    const instances = [anInstance({ ec2InstanceId: 'i-c' }), anInstance({ ec2InstanceId: 'i-a' }), anInstance({ ec2InstanceId: 'i-b' }), ...someInstances(10, {}, 'z')];
    const result = drains(
      [aSpotSignal({ instance: 'i-c', eventId: 'e3' }), aSpotSignal({ instance: 'i-a', eventId: 'e1' }), anInstanceStateSignal({ instance: 'i-b', eventId: 'e2' })],
      instances,
    );
    expect(result.map((d) => [d.reason, d.ec2InstanceIds, d.eventIds])).toEqual([
      ['spot-interruption', ['i-a', 'i-c'], ['e1', 'e3']],
      ['instance-state', ['i-b'], ['e2']],
    ]);
    expect(result[0]!.containerInstances).toEqual([...result[0]!.containerInstances].sort());
  });

  it('collapses duplicate signals (same event id and instance)', () => {
    const signal = aSpotSignal({ instance: 'i-1', eventId: 'dup' });
    const plan = decide([signal, structuredClone(signal), structuredClone(signal)], [aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-1' })] })], aPolicy(), T0);
    expect(plan.actions).toEqual([
      expect.objectContaining({ type: 'drain', ec2InstanceIds: ['i-1'], eventIds: ['dup'] }),
      { type: 'metric', name: 'SpotInterruptions', cluster: 'prod', value: 1, eventIds: ['dup'] },
    ]);
  });

  it('looks the instance up in every managed cluster (the Spot warning names none)', () => {
    const policy = aPolicy({ clusters: { prod: {}, batch: {} } });
    const states = [
      aCluster({ cluster: 'prod', containerInstances: [anInstance({ ec2InstanceId: 'i-p' })] }),
      aCluster({ cluster: 'batch', containerInstances: [anInstance({ cluster: 'batch', ec2InstanceId: 'i-b' })] }),
    ];
    const plan = decide([aSpotSignal({ instance: 'i-b', eventId: 'e1' })], states, policy, T0);
    expect(plan.actions[0]).toMatchObject({ type: 'drain', cluster: 'batch', ec2InstanceIds: ['i-b'] });
  });

  const skipRows: { name: string; signal: Signal; instances: ContainerInstanceState[]; policy?: ReturnType<typeof aPolicy>; reason: string }[] = [
    { name: 'instance in no managed cluster', signal: aSpotSignal({ instance: 'i-0abc', eventId: 'e' }), instances: [], reason: 'instance i-0abc is in no managed cluster' },
    { name: 'already DRAINING', signal: aSpotSignal({ instance: 'i-1', eventId: 'e' }), instances: [anInstance({ ec2InstanceId: 'i-1', status: 'DRAINING' })], reason: 'instance i-1 in prod is already DRAINING' },
    { name: 'instance-state on an instance no longer ACTIVE', signal: anInstanceStateSignal({ instance: 'i-1', eventId: 'e', state: 'terminated' }), instances: [anInstance({ ec2InstanceId: 'i-1', status: 'DEREGISTERING' })], reason: 'instance i-1 in prod is DEREGISTERING: only ACTIVE instances can be drained' },
    {
      name: 'policy action none',
      signal: aScheduledChangeSignal({ instance: 'i-1', eventId: 'e' }),
      instances: [anInstance({ ec2InstanceId: 'i-1' })],
      policy: aPolicy({ actions: { 'scheduled-change': 'none' } }),
      reason: 'policy action for scheduled-change is "none": instance i-1 is not drained',
    },
  ];
  for (const row of skipRows) {
    it(`skips: ${row.name}`, () => {
      const plan = decide([row.signal], [aCluster({ containerInstances: row.instances })], row.policy ?? aPolicy(), T0);
      expect(plan.actions.filter((a) => a.type === 'drain')).toEqual([]);
      expect(plan.skipped).toEqual([{ eventId: 'e', reason: row.reason }]);
    });
  }

  it('a scheduled change naming several instances drains the managed ones and skips the rest', () => {
    const signals = ['i-1', 'i-2', 'i-x'].map((instance) => aScheduledChangeSignal({ instance, eventId: 'health-1' }));
    const plan = decide(signals, [aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-1' }), anInstance({ ec2InstanceId: 'i-2' }), ...someInstances(8)] })], aPolicy(), T0);
    expect(plan.actions).toEqual([expect.objectContaining({ type: 'drain', reason: 'scheduled-change', ec2InstanceIds: ['i-1', 'i-2'], eventIds: ['health-1'] })]);
    expect(plan.skipped).toEqual([{ eventId: 'health-1', reason: 'instance i-x is in no managed cluster' }]);
  });
});

describe('decide: draining guardrail', () => {
  // 10 Spot instances, maxDrainingFraction 0.3: at most 3 may be DRAINING.
  const fleet = (draining = 0): ContainerInstanceState[] =>
    someInstances(10).map((i, n) => (n >= 10 - draining ? { ...i, status: 'DRAINING' as const } : i));
  const rebalance = (ids: number[]): Signal[] => ids.map((n) => aRebalanceSignal({ instance: `i-a${String(n).padStart(4, '0')}`, eventId: `r${n}` }));

  const rows: { name: string; instances: ContainerInstanceState[]; signals: Signal[]; drained: string[]; deferred: string[] }[] = [
    { name: 'exactly at the fraction (3 of 10) is allowed', instances: fleet(), signals: rebalance([0, 1, 2]), drained: ['i-a0000', 'i-a0001', 'i-a0002'], deferred: [] },
    { name: 'one past the fraction (4 of 10) is deferred', instances: fleet(), signals: rebalance([3, 1, 0, 2]), drained: ['i-a0000', 'i-a0001', 'i-a0002'], deferred: ['r3'] },
    { name: 'already DRAINING instances count', instances: fleet(2), signals: rebalance([0, 1]), drained: ['i-a0000'], deferred: ['r1'] },
    {
      name: 'a DRAINING instance that runs no task any more has finished and does not count',
      instances: fleet(2).map((i) => (i.status === 'DRAINING' && i.ec2InstanceId === 'i-a0009' ? { ...i, runningTasks: 0 } : i)),
      signals: rebalance([0, 1]),
      drained: ['i-a0000', 'i-a0001'],
      deferred: [],
    },
    {
      name: 'urgent drains are never blocked but count toward the share',
      instances: fleet(),
      signals: [...[0, 1, 2, 3].map((n) => aSpotSignal({ instance: `i-a000${n}`, eventId: `s${n}` })), ...rebalance([4])],
      drained: ['i-a0000', 'i-a0001', 'i-a0002', 'i-a0003'],
      deferred: ['r4'],
    },
    {
      name: 'the share is per capacity provider',
      instances: [...fleet(3), ...someInstances(10, { capacityProvider: ON_DEMAND }, 'o')],
      signals: [...rebalance([0]), aRebalanceSignal({ instance: 'i-o0000', eventId: 'o0' })],
      drained: ['i-o0000'],
      deferred: ['r0'],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = decide(row.signals, [aCluster({ containerInstances: row.instances })], aPolicy(), T0);
      expect(plan.actions.filter((a) => a.type === 'drain').flatMap((a) => (a.type === 'drain' ? a.ec2InstanceIds : [])).sort()).toEqual(row.drained);
      expect(plan.skipped.map((s) => s.eventId)).toEqual(row.deferred);
    });
  }

  it('says why a drain was deferred', () => {
    const plan = decide(rebalance([0, 1, 2, 3]), [aCluster({ containerInstances: fleet() })], aPolicy(), T0);
    expect(plan.skipped).toEqual([
      { eventId: 'r3', reason: 'rebalance-recommendation drain of i-a0003 in prod deferred: 4 of 10 instances of spot-arm64 would be DRAINING, above maxDrainingFraction 0.3; tried again until done or moot' },
    ]);
  });

  it('follows maxDrainingFraction from the policy', () => {
    const plan = decide(rebalance([0, 1, 2, 3, 4, 5]), [aCluster({ containerInstances: fleet() })], aPolicy({ guardrails: { maxDrainingFraction: 0.5 } }), T0);
    expect(plan.skipped.map((s) => s.eventId)).toEqual(['r5']);
  });
});

describe('decide: minimumHealthyPercent warning', () => {
  const services = [
    aService({ name: 'web', minimumHealthyPercent: 100 }),
    aService({ name: 'api', minimumHealthyPercent: 50 }),
    aService({ name: 'jobs', minimumHealthyPercent: 120 }),
  ];

  it('warns once per managed service at ≥ 100 when a drain is planned in its cluster', () => {
    const instances = [anInstance({ ec2InstanceId: 'i-1' }), anInstance({ ec2InstanceId: 'i-2' })];
    const plan = decide(
      [aSpotSignal({ instance: 'i-1', eventId: 'a' }), anInstanceStateSignal({ instance: 'i-2', eventId: 'b' })],
      [aCluster({ services, containerInstances: instances })],
      aPolicy(),
      T0,
    );
    expect(plan.warnings).toEqual([
      'service jobs has minimumHealthyPercent 120: it may lose tasks, since draining cannot replace them in time',
      'service web has minimumHealthyPercent 100: it may lose tasks, since draining cannot replace them in time',
    ]);
  });

  it('does not warn for services the policy does not manage, nor without a drain', () => {
    const policy = aPolicy({ clusters: { prod: { services: ['api'] } } });
    const withDrain = decide([aSpotSignal({ instance: 'i-1' })], [aCluster({ services, containerInstances: [anInstance({ ec2InstanceId: 'i-1' })] })], policy, T0);
    const withoutDrain = decide([aSpotSignal({ instance: 'i-1' })], [aCluster({ services, containerInstances: [anInstance({ ec2InstanceId: 'i-1', status: 'DRAINING' })] })], aPolicy(), T0);
    expect(withDrain.warnings).toEqual([]);
    expect(withoutDrain.warnings).toEqual([]);
  });
});

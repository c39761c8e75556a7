// Real sample events (fixtures/events) through the parsers into decide: the path the react
// handler takes, without the I/O.
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../events/parse.js';
import type { ClusterState } from '../model/cluster-state.js';
import type { SetStrategyAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import { ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy, anInstance, someInstances } from '../test-support/builders.js';
import { anAlarmAction, aScheduledEvent } from '../test-support/events.js';
import { eventFixtureNames, loadEvent } from '@ecs-rebalancer/fixtures';
import type { RawEvent } from '@ecs-rebalancer/fixtures';
import { decide } from './decide.js';

const NOW = '2024-03-01T12:05:00Z';
const CPU_ALARM = 'ServerCpuTooHigh'; // the alarm of the CloudWatch sample

const policy = aPolicy({
  clusters: {
    prod: aClusterPolicy({ fallback: { alarms: [CPU_ALARM], to: ON_DEMAND, minSeconds: 600 } }),
    default: { providers: {}, fallback: { to: 'FARGATE' } },
    FargateCluster: {},
  },
});

// prod runs the instances the EC2 samples name; default and FargateCluster are the ECS samples' clusters.
const states = (): ClusterState[] => [
  aCluster({
    containerInstances: [
      anInstance({ ec2InstanceId: 'i-0b662ef9931388ba0' }),
      anInstance({ ec2InstanceId: 'i-abcd1111', capacityProvider: ON_DEMAND }),
      anInstance({ ec2InstanceId: 'i-12345678', capacityProvider: ON_DEMAND }),
      ...someInstances(9),
      ...someInstances(9, { capacityProvider: ON_DEMAND }, 'o'),
    ],
    alarms: { [CPU_ALARM]: 'ALARM' },
  }),
  aCluster({
    cluster: 'default',
    capacityProviders: [
      { name: 'FARGATE', type: 'FARGATE' },
      { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
    ],
    services: [
      aService({
        name: 'servicetest',
        strategy: [
          { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 4 },
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        ],
      }),
    ],
    alarms: {},
  }),
  aCluster({ cluster: 'FargateCluster', capacityProviders: [{ name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' }], services: [], alarms: {} }),
];

const signalsOf = (...events: RawEvent[]): Signal[] => events.flatMap((e) => parseEvent(e));
const fargateSpotInterruption = (): RawEvent => {
  const event = loadEvent('ecs-task-state-change');
  event['detail'] = { ...event['detail'], desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' };
  return event;
};
const strategyChanges = (actions: { type: string }[]): SetStrategyAction[] => actions.filter((a): a is SetStrategyAction => a.type === 'set-strategy');

describe('decide on the real sample events', () => {
  it('accounts for every sample event: each id is in an action or in skipped', () => {
    // Prepare
    const events = eventFixtureNames().map(loadEvent);

    // Act
    const plan = decide(signalsOf(...events), states(), policy, NOW);

    // Assess
    const accounted = new Set([...plan.actions.flatMap((a) => a.eventIds), ...plan.skipped.map((s) => s.eventId)]);
    for (const event of events) expect(accounted, `event ${event['id']} (${event['detail-type']})`).toContain(event['id']);
  });

  it('drains the Spot sample instance once, for the interruption, with the rebalance event too', () => {
    const plan = decide(signalsOf(loadEvent('ec2-instance-rebalance-recommendation'), loadEvent('ec2-spot-instance-interruption-warning')), states(), policy, NOW);
    expect(plan.actions).toEqual([
      {
        type: 'drain',
        cluster: 'prod',
        containerInstances: [anInstance({ ec2InstanceId: 'i-0b662ef9931388ba0' }).arn],
        ec2InstanceIds: ['i-0b662ef9931388ba0'],
        reason: 'spot-interruption',
        eventIds: ['1e5527d7-bb36-4607-3370-4164db56a40e', '5d5555d5-dd55-5555-5555-5555dd55d55d'],
      },
      { type: 'metric', name: 'SpotInterruptions', cluster: 'prod', value: 1, eventIds: ['1e5527d7-bb36-4607-3370-4164db56a40e'] },
    ]);
  });

  it('a duplicate delivery changes nothing', () => {
    const once = decide(signalsOf(loadEvent('ec2-spot-instance-interruption-warning')), states(), policy, NOW);
    const twice = decide(signalsOf(loadEvent('ec2-spot-instance-interruption-warning'), loadEvent('ec2-spot-instance-interruption-warning')), states(), policy, NOW);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it('drains for the state change and the Health event', () => {
    const plan = decide(signalsOf(loadEvent('ec2-instance-state-change-stopping'), loadEvent('aws-health-ec2-scheduled-change')), states(), policy, NOW);
    expect(plan.actions.map((a) => (a.type === 'drain' ? [a.reason, a.ec2InstanceIds] : a.type))).toEqual([
      ['instance-state', ['i-abcd1111']],
      ['scheduled-change', ['i-12345678']],
    ]);
  });

  it('an instance the state does not hold is skipped, not retried', () => {
    const event = loadEvent('ec2-spot-instance-interruption-warning');
    event['detail']['instance-id'] = 'i-0123456789abcdef0';
    const plan = decide(signalsOf(event), states(), policy, NOW);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([{ eventId: event['id'], reason: 'instance i-0123456789abcdef0 is in no managed cluster' }]);
  });

  it('falls back on the alarm sample and restores on its OK variant once okSeconds have passed', () => {
    // Prepare
    const alarm = loadEvent('cloudwatch-alarm-state-change');
    const ok = structuredClone(alarm);
    ok['id'] = 'c4c1c1c9-0000-0000-0000-000000000001';
    ok['detail']['state'] = { ...ok['detail']['state'], value: 'OK', timestamp: '2019-10-02T17:20:00.000+0000' };

    // Act
    const fallback = decide(signalsOf(alarm), states(), policy, '2019-10-02T17:04:41Z');
    const change = strategyChanges(fallback.actions)[0]!;
    const afterFallback = states();
    afterFallback[0]!.services = [aService({ strategy: change.strategy, baseline: change.baseline, fallbackSince: change.fallbackSince })];
    const tooSoon = decide(signalsOf(ok), afterFallback, policy, '2019-10-02T17:20:01Z');
    const restore = decide(signalsOf(ok), afterFallback, policy, '2019-10-02T17:25:00Z');

    // Assess
    expect(change).toMatchObject({ cluster: 'prod', service: 'web', change: 'fallback', reason: 'fallback: alarm ServerCpuTooHigh is ALARM', eventIds: [alarm['id']] });
    expect(change.strategy).toEqual([
      { capacityProvider: SPOT, base: 0, weight: 0 },
      { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
    ]);
    expect(tooSoon.actions).toEqual([]);
    expect(tooSoon.skipped).toEqual([
      { eventId: ok['id'], reason: 'restore of web waits until every fallback alarm has been OK for okSeconds 300: alarm ServerCpuTooHigh is OK since 2019-10-02T17:20:00.000Z' },
    ]);
    expect(strategyChanges(restore.actions)).toEqual([expect.objectContaining({ change: 'restore', strategy: aStrategy(), baseline: null, eventIds: [ok['id']] })]);
  });

  it('restores on a direct alarm-action OK payload', () => {
    const local = aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { alarms: ['lambda-demo-metric-alarm'], to: ON_DEMAND } }) } });
    const state = aCluster({ services: [aService({ strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: '2023-08-04T12:00:00Z' })], alarms: {} });
    const signals = signalsOf(anAlarmAction({ state: 'OK', previousState: 'ALARM' }));
    const plan = decide(signals, [state], local, '2023-08-04T12:41:16Z');
    expect(strategyChanges(plan.actions)).toEqual([expect.objectContaining({ change: 'restore', eventIds: [signals[0]!.eventId] })]);
  });

  it('falls back the service of the placement-failure sample from FARGATE_SPOT to FARGATE', () => {
    const plan = decide(signalsOf(loadEvent('ecs-service-action-placement-failure')), states(), policy, NOW);
    expect(strategyChanges(plan.actions)).toEqual([
      expect.objectContaining({
        cluster: 'default',
        service: 'servicetest',
        strategy: [
          { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 0 },
          { capacityProvider: 'FARGATE', base: 1, weight: 5 },
        ],
        reason: 'fallback: task placement failed on FARGATE_SPOT',
      }),
    ]);
  });

  it('counts a Fargate Spot interruption; the RUNNING sample itself is ignored', () => {
    const interrupted = decide(signalsOf(fargateSpotInterruption()), states(), policy, NOW);
    const running = decide(signalsOf(loadEvent('ecs-task-state-change')), states(), policy, NOW);
    expect(interrupted.actions).toEqual([{ type: 'metric', name: 'FargateSpotInterruptions', cluster: 'FargateCluster', value: 1, eventIds: ['3317b2af-7005-947d-b652-f55e762e571a'] }]);
    expect(running.actions).toEqual([]);
    expect(running.skipped).toHaveLength(1);
  });

  it('a tick restores what is due', () => {
    const due = states();
    due[0]!.alarms = { [CPU_ALARM]: 'OK' };
    due[0]!.alarmsChangedAt = { [CPU_ALARM]: '2024-03-01T11:30:00Z' };
    due[0]!.services = [aService({ strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: '2024-03-01T11:00:00Z' })];
    const plan = decide(signalsOf(aScheduledEvent()), due, policy, NOW);
    expect(strategyChanges(plan.actions).map((a) => `${a.cluster}/${a.service}/${a.change}`)).toEqual(['prod/web/restore']);
  });

  it('gives the same plan whatever the order of the events', () => {
    const events = [...eventFixtureNames().map(loadEvent), fargateSpotInterruption()];
    const forward = JSON.stringify(decide(signalsOf(...events), states(), policy, NOW));
    const backward = JSON.stringify(decide(signalsOf(...[...events].reverse()), states().reverse(), policy, NOW));
    expect(backward).toBe(forward);
  });
});

// Decision-table tests for the rules of issues 9 and 10, on real event payloads (the samples in
// fixtures/events and variants of them) through the parsers into decide.
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../events/parse.js';
import type { ClusterState, ServiceState } from '../model/cluster-state.js';
import type { SetStrategyAction } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import { FALLBACK_ALARM, ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy, anInstance, someInstances } from '../test-support/builders.js';
import { NO_SPOT_CAPACITY, aHealthScheduledChange, aLaunchFailure, aPlacementFailure, aRebalanceRecommendation, aSpotWarning, anAlarmStateChange } from '../test-support/events.js';
import type { RawEvent } from '../test-support/events.js';
import { T0, aTickSignal, anAlarmSignal } from '../test-support/signals.js';
import { decide, decideBatch } from './decide.js';
import { planLoad } from './load.js';

const signalsOf = (...events: RawEvent[]): Signal[] => events.flatMap((e) => parseEvent(e));
const changes = (plan: { actions: { type: string }[] }): SetStrategyAction[] => plan.actions.filter((a): a is SetStrategyAction => a.type === 'set-strategy');

describe('architecture-aware fallback (issue 10.1)', () => {
  // The mixed cluster: spot-x86, spot-arm and od-arm; report-worker runs on x86_64 only.
  const mixed = (services: ServiceState[]): ClusterState =>
    aCluster({
      capacityProviders: [
        { name: 'spot-x86', type: 'EC2_AUTOSCALING', architecture: 'x86_64' },
        { name: 'spot-arm', type: 'EC2_AUTOSCALING', architecture: 'arm64' },
        { name: 'od-arm', type: 'EC2_AUTOSCALING', architecture: 'arm64' },
        { name: 'od-x86', type: 'EC2_AUTOSCALING', architecture: 'x86_64' },
      ],
      services,
    });
  const providers = { 'spot-x86': 'spot', 'spot-arm': 'spot', 'od-arm': 'on-demand', 'od-x86': 'on-demand' } as const;
  const oneTarget = aPolicy({ clusters: { prod: { providers, fallback: { alarms: [FALLBACK_ALARM], to: 'od-arm' } } } });
  const perProvider = aPolicy({ clusters: { prod: { providers, fallback: { alarms: [FALLBACK_ALARM], to: { 'spot-x86': 'od-x86', 'spot-arm': 'od-arm' } } } } });
  const worker = aService({ name: 'report-worker', cpuArchitectures: ['x86_64'], strategy: [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }, { capacityProvider: 'od-x86', base: 1, weight: 0 }] });
  const alarm = (): Signal[] => signalsOf(anAlarmStateChange({ alarmName: FALLBACK_ALARM, state: 'ALARM', timestamp: '2024-05-01T11:59:00.000+0000' }));

  it('refuses to move an x86-only service onto Graviton: skipped with the reason and a warning', () => {
    const plan = decide(alarm(), [mixed([worker])], oneTarget, T0);
    const why = "fallback of report-worker in prod: spot-x86's weight is not moved: target od-arm is arm64 and report-worker is known to run on x86_64 only";
    expect(changes(plan)).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([why]);
    expect(plan.warnings).toEqual([why]);
  });

  it('moves the rest of a fallback when only one Spot provider’s move is refused', () => {
    const both = aService({ name: 'api', cpuArchitectures: ['arm64'], strategy: [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }, { capacityProvider: 'spot-arm', base: 0, weight: 2 }, { capacityProvider: 'od-arm', base: 1, weight: 0 }] });
    const plan = decide(alarm(), [mixed([both])], perProvider, T0);
    expect(changes(plan).map((c) => c.strategy)).toEqual([
      [
        { capacityProvider: 'spot-x86', base: 0, weight: 1 },
        { capacityProvider: 'spot-arm', base: 0, weight: 0 },
        { capacityProvider: 'od-arm', base: 1, weight: 2 },
      ],
    ]);
    expect(plan.warnings).toEqual(["fallback of api in prod: spot-x86's weight is not moved: target od-x86 is x86_64 and api is known to run on arm64 only"]);
  });

  it('sends each Spot provider’s weight to its own target with a fallback.to map', () => {
    const multi = aService({ name: 'web', strategy: [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }, { capacityProvider: 'spot-arm', base: 0, weight: 3 }, { capacityProvider: 'od-arm', base: 1, weight: 0 }] });
    const plan = decide(alarm(), [mixed([multi, worker])], perProvider, T0);
    expect(changes(plan).map((c) => [c.service, c.strategy])).toEqual([
      ['report-worker', [{ capacityProvider: 'spot-x86', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 1, weight: 1 }]],
      [
        'web',
        [
          { capacityProvider: 'spot-x86', base: 0, weight: 0 },
          { capacityProvider: 'spot-arm', base: 0, weight: 0 },
          { capacityProvider: 'od-arm', base: 1, weight: 3 },
          { capacityProvider: 'od-x86', base: 0, weight: 1 },
        ],
      ],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('goes ahead when either side’s architecture is unknown (hand-written files)', () => {
    const unknownService = aService({ name: 'report-worker', strategy: worker.strategy });
    expect(changes(decide(alarm(), [mixed([unknownService])], oneTarget, T0))).toHaveLength(1);
    const unknownProvider = mixed([worker]);
    unknownProvider.capacityProviders = unknownProvider.capacityProviders.map(({ architecture: _a, ...p }) => p);
    expect(changes(decide(alarm(), [unknownProvider], oneTarget, T0))).toHaveLength(1);
  });
});

describe('scheduled changes drained drainBeforeSeconds before their start (issue 10.2)', () => {
  const fleet = (): ClusterState => aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-12345678', capacityProvider: ON_DEMAND }), ...someInstances(9, { capacityProvider: ON_DEMAND })] });
  // The sample's startTime is Sat, 05 Jun 2016 15:10:09 GMT.
  const health = (): Signal[] => signalsOf(aHealthScheduledChange());

  it('four days ahead: nothing drained, skipped saying when, deferred until then', () => {
    const plan = decide(health(), [fleet()], aPolicy(), '2016-06-01T15:10:09Z');
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([
      {
        eventId: '7fb65329-1628-4cf3-a740-95fg457h1402',
        reason:
          'scheduled change AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED of i-12345678 in prod starts at 2016-06-05T15:10:09.000Z: drained from 2016-06-05T14:10:09.000Z (scheduledChange.drainBeforeSeconds 3600)',
      },
    ]);
    expect(plan.deferred).toEqual([{ eventId: '7fb65329-1628-4cf3-a740-95fg457h1402', cluster: 'prod', ec2InstanceId: 'i-12345678', kind: 'scheduled-change', until: '2016-06-05T14:10:09.000Z' }]);
  });

  it('within drainBeforeSeconds: drained', () => {
    const plan = decide(health(), [fleet()], aPolicy(), '2016-06-05T14:10:09Z');
    expect(plan.actions.map((a) => a.type)).toEqual(['drain']);
    expect(plan.deferred).toBeUndefined();
  });

  it('within the guardrail: 3 listed instances of 5 on-demand ones, 0.3 → one drained, two deferred to be tried again', () => {
    const ids = ['i-0000000a', 'i-0000000b', 'i-0000000c'];
    const state = aCluster({ containerInstances: [...ids, 'i-0000000d', 'i-0000000e'].map((id) => anInstance({ ec2InstanceId: id, capacityProvider: ON_DEMAND })) });
    const plan = decide(signalsOf(aHealthScheduledChange({ instanceIds: ids })), [state], aPolicy(), '2016-06-05T15:00:00Z');
    expect(plan.actions).toEqual([expect.objectContaining({ type: 'drain', reason: 'scheduled-change', ec2InstanceIds: ['i-0000000a'] })]);
    expect(plan.deferred?.map((d) => [d.ec2InstanceId, d.until])).toEqual([
      ['i-0000000b', null],
      ['i-0000000c', null],
    ]);
    expect(plan.skipped[0]?.reason).toBe(
      'scheduled-change drain of i-0000000b in prod deferred: 2 of 5 instances of od-arm64 would be DRAINING, above maxDrainingFraction 0.3; tried again until done or moot',
    );
  });

  it('a deferred drain decided again after the instance went DRAINING is moot', () => {
    const state = aCluster({ containerInstances: [anInstance({ ec2InstanceId: 'i-12345678', status: 'DRAINING' }), ...someInstances(9)] });
    const plan = decide(health(), [state], aPolicy(), '2016-06-05T15:00:00Z');
    expect(plan.skipped.map((s) => s.reason)).toEqual(['instance i-12345678 in prod is already DRAINING']);
    expect(plan.deferred).toBeUndefined();
  });

  it('interruptions bypass the guardrail but count toward it: a Spot warning first, then no room for a rebalance drain', () => {
    const state = aCluster({ containerInstances: ['i-0000000a', 'i-0000000b', 'i-0000000c', 'i-0000000d'].map((id) => anInstance({ ec2InstanceId: id })) });
    const plan = decide(signalsOf(aSpotWarning({ instanceId: 'i-0000000a', id: 's' }), aRebalanceRecommendation({ instanceId: 'i-0000000b', id: 'r' })), [state], aPolicy(), T0);
    expect(plan.actions.filter((a) => a.type === 'drain').map((a) => a.type === 'drain' && a.reason)).toEqual(['spot-interruption']);
    expect(plan.deferred).toEqual([{ eventId: 'r', cluster: 'prod', ec2InstanceId: 'i-0000000b', kind: 'rebalance-recommendation', until: null }]);
  });
});

describe('Spot capacity shortage as a signal (issue 10.3)', () => {
  const withGroups = (services: ServiceState[] = [aService()]): ClusterState =>
    aCluster({
      capacityProviders: [
        { name: SPOT, type: 'EC2_AUTOSCALING', autoScalingGroup: 'spot-arm64-asg' },
        { name: ON_DEMAND, type: 'EC2_AUTOSCALING', autoScalingGroup: 'od-arm64-asg' },
      ],
      services,
    });

  it('falls back the services that give the managed Spot provider weight, within the same batch', () => {
    const plan = decide(signalsOf(aLaunchFailure({ group: 'spot-arm64-asg', message: NO_SPOT_CAPACITY })), [withGroups([aService(), aService({ name: 'api', strategy: [{ capacityProvider: ON_DEMAND, base: 0, weight: 1 }] })])], aPolicy(), T0);
    expect(changes(plan)).toEqual([
      expect.objectContaining({
        service: 'web',
        change: 'fallback',
        strategy: [{ capacityProvider: SPOT, base: 0, weight: 0 }, { capacityProvider: ON_DEMAND, base: 2, weight: 4 }],
        reason: `fallback: Spot capacity shortage on ${SPOT} (${NO_SPOT_CAPACITY})`,
      }),
    ]);
  });

  it.each([
    ['an on-demand group', 'od-arm64-asg', `launch failure in Auto Scaling group od-arm64-asg: ${NO_SPOT_CAPACITY} (provider od-arm64 of prod is not Spot: only a Spot shortage falls back)`],
    ['a group behind no managed provider', 'other-asg', `launch failure in Auto Scaling group other-asg: ${NO_SPOT_CAPACITY} (the group is behind no capacity provider of a managed cluster)`],
  ])('skips a shortage of %s with its message', (_name, group, reason) => {
    const plan = decide(signalsOf(aLaunchFailure({ group, message: NO_SPOT_CAPACITY })), [withGroups()], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([reason]);
  });

  it('skips another launch failure with its message', () => {
    const plan = decide(signalsOf(aLaunchFailure({ group: 'spot-arm64-asg', message: 'The requested configuration is currently not supported.' })), [withGroups()], aPolicy(), T0);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['launch failure in Auto Scaling group spot-arm64-asg is not a Spot capacity shortage: The requested configuration is currently not supported.']);
  });

  it('a Managed Instances provider with capacityOptionType SPOT is Spot without being listed', () => {
    const state = aCluster({
      capacityProviders: [
        { name: 'mi-spot', type: 'MANAGED_INSTANCES', capacityOptionType: 'SPOT', autoScalingGroup: 'mi-spot-asg' },
        { name: ON_DEMAND, type: 'EC2_AUTOSCALING' },
      ],
      services: [aService({ strategy: [{ capacityProvider: 'mi-spot', base: 0, weight: 2 }, { capacityProvider: ON_DEMAND, base: 1, weight: 1 }] })],
    });
    const policy = aPolicy({ clusters: { prod: { providers: { [ON_DEMAND]: 'on-demand' }, fallback: { alarms: [FALLBACK_ALARM], to: ON_DEMAND } } } });
    expect(changes(decide(signalsOf(anAlarmStateChange({ alarmName: FALLBACK_ALARM, state: 'ALARM', timestamp: '2024-05-01T11:59:00.000+0000' })), [state], policy, T0))).toEqual([
      expect.objectContaining({ strategy: [{ capacityProvider: 'mi-spot', base: 0, weight: 0 }, { capacityProvider: ON_DEMAND, base: 1, weight: 3 }] }),
    ]);
  });

  it('asks the loader for the managed services of every cluster with a fallback, and no instance, with architectures (a fallback may be decided)', () => {
    const policy = aPolicy({ clusters: { prod: aClusterPolicy(), batch: {} } });
    expect(planLoad(signalsOf(aLaunchFailure({ message: NO_SPOT_CAPACITY })), policy)).toEqual([{ cluster: 'prod', ec2InstanceIds: [], services: '*', alarms: [], guardrail: false, architectures: true }]);
  });
});

describe('stale signals never start a fallback (issue 9)', () => {
  const alarmAt = (timestamp: string): Signal[] => signalsOf(anAlarmStateChange({ alarmName: FALLBACK_ALARM, state: 'ALARM', timestamp }));

  it('an ALARM older than the service’s last restore (a redelivery) is skipped for that service', () => {
    const state = aCluster({ services: [aService({ lastRestoredAt: '2024-05-01T11:58:00Z' }), aService({ name: 'api' })] });
    const plan = decide(alarmAt('2024-05-01T11:50:00.000+0000'), [state], aPolicy(), T0);
    expect(changes(plan).map((c) => c.service)).toEqual(['api']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'alarm prod-spot-interruptions ALARM at 2024-05-01T11:50:00.000Z is stale for web in prod: it was restored at 2024-05-01T11:58:00Z',
    ]);
  });

  it('an ALARM whose alarm CloudWatch reports OK since after it is skipped', () => {
    const state = aCluster({ alarms: { [FALLBACK_ALARM]: 'OK' }, alarmsChangedAt: { [FALLBACK_ALARM]: '2024-05-01T11:55:00Z' } });
    const plan = decide(alarmAt('2024-05-01T11:50:00.000+0000'), [state], aPolicy(), T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['alarm prod-spot-interruptions ALARM at 2024-05-01T11:50:00.000Z is stale: CloudWatch reports it OK since 2024-05-01T11:55:00Z']);
  });

  it('without alarmsChangedAt the ALARM is trusted', () => {
    const state = aCluster({ alarms: { [FALLBACK_ALARM]: 'OK' } });
    delete state.alarmsChangedAt;
    expect(changes(decide(alarmAt('2024-05-01T11:50:00.000+0000'), [state], aPolicy(), T0))).toHaveLength(1);
  });
});

describe('hysteresis: okSeconds and minSeconds doubling (issue 9)', () => {
  const inFallback = (extra: Partial<ServiceState> = {}): ServiceState =>
    aService({ strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: '2024-05-01T11:00:00Z', ...extra });

  it('a tick does not restore while an alarm has been OK for less than okSeconds, or since an unknown time', () => {
    const young = aCluster({ services: [inFallback()], alarmsChangedAt: { [FALLBACK_ALARM]: '2024-05-01T11:58:00Z' } });
    const unknown = aCluster({ services: [inFallback()], alarmsChangedAt: {} });
    const old = aCluster({ services: [inFallback()], alarmsChangedAt: { [FALLBACK_ALARM]: '2024-05-01T11:55:00Z' } });
    expect(changes(decide([aTickSignal()], [young], aPolicy(), T0))).toEqual([]);
    expect(changes(decide([aTickSignal()], [unknown], aPolicy(), T0))).toEqual([]);
    expect(changes(decide([aTickSignal()], [old], aPolicy(), T0)).map((c) => c.change)).toEqual(['restore']);
  });

  it.each([
    [0, '2024-05-01T11:50:00Z', true],
    [1, '2024-05-01T11:50:00Z', false],
    [1, '2024-05-01T11:40:00Z', true],
    [2, '2024-05-01T11:00:00Z', true],
    [3, '2024-05-01T11:00:00Z', false],
    [5, '2024-05-01T10:40:00Z', true],
  ])('with %i earlier fallbacks in the hour, a fallback since %s is due at T0: %s', (earlier, since, due) => {
    // minSeconds 600 doubles per earlier fallback, at most 8× (4800 s).
    const recentFallbacks = Array.from({ length: earlier }, (_, i) => new Date(Date.parse('2024-05-01T11:00:00Z') + (i + 1) * 60_000).toISOString());
    const state = aCluster({ services: [inFallback({ fallbackSince: since, recentFallbacks: [...recentFallbacks, since] })] });
    expect(changes(decide([aTickSignal()], [state], aPolicy(), T0))).toHaveLength(due ? 1 : 0);
  });

  it('fallbacks older than an hour do not count', () => {
    const state = aCluster({ services: [inFallback({ fallbackSince: '2024-05-01T11:50:00Z', recentFallbacks: ['2024-05-01T10:30:00Z', '2024-05-01T10:40:00Z'] })] });
    expect(changes(decide([aTickSignal()], [state], aPolicy(), T0))).toHaveLength(1);
  });
});

describe('restoreAtOnce: restores spread over ticks (issue 10.7)', () => {
  it('restores at most restoreAtOnce services of a cluster, the longest in fallback first, then by name', () => {
    const services = ['e', 'd', 'c', 'b', 'a'].map((name, i) =>
      aService({ name, strategy: aStrategy(0, 4), baseline: aStrategy(), fallbackSince: i < 2 ? '2024-05-01T10:00:00Z' : '2024-05-01T11:00:00Z' }),
    );
    const policy = aPolicy({ clusters: { prod: aClusterPolicy({ fallback: { alarms: [FALLBACK_ALARM], to: ON_DEMAND, restoreAtOnce: 3 } }) } });
    const plan = decide([aTickSignal({ eventId: 't' })], [aCluster({ services })], policy, T0);
    expect(changes(plan).map((c) => c.service)).toEqual(['a', 'd', 'e']);
    expect(plan.skipped).toEqual([
      { eventId: 't', reason: 'restore of b in prod held back: restoreAtOnce 3 restores in prod already in this plan; it stays due' },
      { eventId: 't', reason: 'restore of c in prod held back: restoreAtOnce 3 restores in prod already in this plan; it stays due' },
    ]);
  });
});

describe('minimumHealthyPercent warning names only services on the drained instances (issue 10.7)', () => {
  it('when containerInstances[].services is known', () => {
    const state = aCluster({
      services: [aService({ name: 'web', minimumHealthyPercent: 100 }), aService({ name: 'api', minimumHealthyPercent: 100 })],
      containerInstances: [anInstance({ ec2InstanceId: 'i-0b662ef9931388ba0', services: ['api'] }), ...someInstances(3)],
    });
    expect(decide(signalsOf(aSpotWarning()), [state], aPolicy(), T0).warnings).toEqual(['service api has minimumHealthyPercent 100: it may lose tasks, since draining cannot replace them in time']);
  });
});

describe('foreign accounts and regions (issue 9)', () => {
  const policy = aPolicy({ accounts: ['123456789012'], regions: ['us-east-1'] });

  it.each([
    ['account', { account: '999999999999' }, 'event from account 999999999999, which the policy does not manage (accounts: 123456789012)'],
    ['region', { region: 'eu-west-1', account: '123456789012' }, 'event from region eu-west-1, which the policy does not manage (regions: us-east-1)'],
  ])('skips a signal from another %s with the reason, and loads nothing for it', (_what, envelope, reason) => {
    const signals = signalsOf(aPlacementFailure({ cluster: 'prod', service: 'web', capacityProviders: [SPOT], ...envelope }));
    const plan = decide(signals, [aCluster()], policy, T0);
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([reason]);
    expect(planLoad(signals, policy)).toEqual([]);
  });

  it('acts on its own account and region', () => {
    const signals = signalsOf(aPlacementFailure({ cluster: 'prod', service: 'web', capacityProviders: [SPOT], account: '123456789012', region: 'us-east-1' }));
    expect(changes(decide(signals, [aCluster()], policy, T0))).toHaveLength(1);
  });

  it('filters nothing when the policy names no accounts or regions (plan offline)', () => {
    const signals = signalsOf(aPlacementFailure({ cluster: 'prod', service: 'web', capacityProviders: [SPOT], account: '999999999999' }));
    expect(changes(decide(signals, [aCluster()], aPolicy(), T0))).toHaveLength(1);
  });
});

describe('names from events never index a prototype (issue 9.5)', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a cluster named %s: skipped, and the Spot warning beside it still drains', (name) => {
    const signals = [
      ...signalsOf(aPlacementFailure({ cluster: name, service: name, capacityProviders: [name] })),
      ...signalsOf(aSpotWarning()),
      anAlarmSignal({ alarm: name, eventId: 'alarm' }),
    ];
    const state = aCluster({ containerInstances: [anInstance(), ...someInstances(3)] });
    const plan = decide(signals, [state], aPolicy(), T0);
    expect(plan.actions.map((a) => a.type)).toEqual(['drain', 'metric']);
    expect(plan.skipped.map((s) => s.reason).sort()).toEqual([`alarm ${name} drives no fallback`, `cluster ${name} is not managed`]);
    expect(() => planLoad(signals, aPolicy())).not.toThrow();
    expect(planLoad(signals, aPolicy()).map((r) => r.cluster)).toEqual(['prod']);
  });

  it('a provider named constructor is not Spot for want of an own key', () => {
    const state = aCluster({
      capacityProviders: [{ name: 'constructor', type: 'EC2_AUTOSCALING' }, { name: ON_DEMAND, type: 'EC2_AUTOSCALING' }],
      services: [aService({ strategy: [{ capacityProvider: 'constructor', base: 0, weight: 1 }] })],
    });
    const plan = decide(signalsOf(aPlacementFailure({ cluster: 'prod', service: 'web', capacityProviders: ['constructor'] })), [state], aPolicy(), T0);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['placement failure of web in prod is on no Spot provider (constructor)']);
  });
});

describe('decideBatch: a failure while deciding is confined to the signals that cause it (issue 9.5)', () => {
  it('decides every other signal and reports the failing one by event id', () => {
    // A signal that makes decide throw: a hand-made value the parsers never produce.
    const poisoned = { kind: 'placement-failure', eventId: 'poison', time: T0, service: 'web', capacityProviders: [] } as unknown as Signal;
    const state = aCluster({ containerInstances: [anInstance(), ...someInstances(3)] });
    const { plan, failed } = decideBatch([...signalsOf(aSpotWarning()), poisoned], [state], aPolicy(), T0);
    expect(failed.map((f) => f.eventId)).toEqual(['poison']);
    expect(failed[0]?.error).toBeInstanceOf(Error);
    expect(plan.actions.map((a) => a.type)).toEqual(['drain', 'metric']);
  });

  it('is decide when nothing fails', () => {
    const signals = signalsOf(aSpotWarning());
    const state = aCluster({ containerInstances: [anInstance(), ...someInstances(3)] });
    expect(decideBatch(signals, [state], aPolicy(), T0)).toEqual({ plan: decide(signals, [state], aPolicy(), T0), failed: [] });
  });
});

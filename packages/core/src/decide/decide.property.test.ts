import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmStateValue, ClusterState, ServiceState } from '../model/cluster-state.js';
import type { Plan } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import { FALLBACK_ALARM, ON_DEMAND, SPOT, aCluster, aClusterPolicy, aPolicy, aService, aStrategy, anInstance } from '../test-support/builders.js';
import {
  T0,
  aFargateSpotSignal,
  aPlacementFailureSignal,
  aRebalanceSignal,
  aSpotSignal,
  aTickSignal,
  anAlarmSignal,
  anIgnoredSignal,
} from '../test-support/signals.js';
import { decide } from './decide.js';

// Mixed batches over two clusters whose services are in every fallback situation: none, in
// force, recorded but not landed (pending), already back on the baseline; alarms in every state,
// signals older and newer than the fallbacks.
const OTHER_ALARM = 'prod-capacity';
const TIMES = ['2024-05-01T11:30:00Z', '2024-05-01T11:45:00Z', '2024-05-01T11:50:00Z', '2024-05-01T11:55:00Z', '2024-05-01T11:58:00Z'];
const fellBack = [
  { capacityProvider: SPOT, base: 0, weight: 0 },
  { capacityProvider: ON_DEMAND, base: 2, weight: 4 },
];
const policy = aPolicy({
  clusters: {
    prod: aClusterPolicy({ fallback: { alarms: [FALLBACK_ALARM, OTHER_ALARM], to: ON_DEMAND, minSeconds: 600 } }),
    staging: aClusterPolicy(),
  },
});

const aServiceState = (name: string): fc.Arbitrary<ServiceState> =>
  fc
    .record({
      kind: fc.constantFrom('normal', 'on-demand-only', 'in-fallback', 'pending', 'back-on-baseline'),
      since: fc.constantFrom<string | null>(null, ...TIMES),
      applied: fc.boolean(),
      controller: fc.constantFrom('ECS', 'ECS', 'ECS', 'CODE_DEPLOY'),
    })
    .map(({ kind, since, applied, controller }) => {
      const base = { name, deploymentController: controller as ServiceState['deploymentController'] };
      if (kind === 'normal') return aService(base);
      if (kind === 'on-demand-only') return aService({ ...base, strategy: [{ capacityProvider: ON_DEMAND, base: 0, weight: 1 }] });
      if (kind === 'in-fallback') return aService({ ...base, strategy: fellBack, baseline: aStrategy(), fallbackSince: since, applied: applied ? fellBack : null });
      if (kind === 'pending') return aService({ ...base, strategy: aStrategy(), baseline: aStrategy(), fallbackSince: since, applied: fellBack });
      return aService({ ...base, strategy: aStrategy(), baseline: aStrategy(), fallbackSince: since, applied: applied ? aStrategy() : null });
    });

const anAlarmStates = fc.record({
  a: fc.constantFrom<AlarmStateValue | undefined>('OK', 'ALARM', 'INSUFFICIENT_DATA', undefined),
  b: fc.constantFrom<AlarmStateValue | undefined>('OK', 'ALARM', 'INSUFFICIENT_DATA', undefined),
});

const aClusterState = (cluster: string): fc.Arbitrary<ClusterState> =>
  fc.record({ web: aServiceState('web'), api: aServiceState('api'), alarms: anAlarmStates }).map(({ web, api, alarms }) =>
    aCluster({
      cluster,
      services: [web, api],
      containerInstances: [
        anInstance({ cluster, ec2InstanceId: `i-${cluster}-1` }),
        anInstance({ cluster, ec2InstanceId: `i-${cluster}-2`, status: 'DRAINING' }),
        anInstance({ cluster, ec2InstanceId: `i-${cluster}-3`, capacityProvider: ON_DEMAND }),
      ],
      alarms: {
        ...(alarms.a !== undefined && { [FALLBACK_ALARM]: alarms.a }),
        ...(alarms.b !== undefined && { [OTHER_ALARM]: alarms.b }),
      },
    }),
  );

// A signal without its event id: the batch numbers them.
const aSignal: fc.Arbitrary<(eventId: string) => Signal> = fc.oneof(
  fc
    .record({ alarm: fc.constantFrom(FALLBACK_ALARM, OTHER_ALARM, 'unrelated'), state: fc.constantFrom<AlarmStateValue>('OK', 'ALARM', 'INSUFFICIENT_DATA'), at: fc.constantFrom(...TIMES) })
    .map(({ alarm, state, at }) => (eventId: string) => anAlarmSignal({ alarm, state, eventId, stateTimestamp: at, time: at })),
  fc.constant((eventId: string) => aTickSignal({ eventId })),
  fc
    .record({ cluster: fc.constantFrom('prod', 'staging', 'other'), service: fc.constantFrom('web', 'api', 'gone'), providers: fc.constantFrom([SPOT], [ON_DEMAND], []) })
    .map(({ cluster, service, providers }) => (eventId: string) => aPlacementFailureSignal({ cluster, service, capacityProviders: [...providers], eventId })),
  fc
    .record({ kind: fc.constantFrom('spot', 'rebalance'), instance: fc.constantFrom('i-prod-1', 'i-prod-2', 'i-prod-3', 'i-staging-1', 'i-unknown') })
    .map(({ kind, instance }) => (eventId: string) => (kind === 'spot' ? aSpotSignal({ instance, eventId }) : aRebalanceSignal({ instance, eventId }))),
  fc.constantFrom('prod', 'other').map((cluster) => (eventId: string) => aFargateSpotSignal({ cluster, eventId })),
  fc.constant((eventId: string) => anIgnoredSignal({ eventId })),
);

const aBatch = fc.record({
  signals: fc.array(aSignal, { minLength: 1, maxLength: 8 }).map((makers) => makers.map((make, i) => make(`e${i}`))),
  prod: aClusterState('prod'),
  staging: aClusterState('staging'),
});

const mentioned = (plan: Plan): Set<string> => new Set([...plan.actions.flatMap((a) => a.eventIds), ...plan.skipped.map((s) => s.eventId)]);

describe('decide properties over mixed batches', () => {
  it('changes each service at most once per plan', () => {
    fc.assert(
      fc.property(aBatch, ({ signals, prod, staging }) => {
        const plan = decide(signals, [prod, staging], policy, T0);
        const changes = plan.actions.flatMap((a) => (a.type === 'set-strategy' || a.type === 'clear-record' ? [`${a.cluster}/${a.service}`] : []));
        expect(changes).toEqual([...new Set(changes)]);
      }),
      { numRuns: 1000 },
    );
  });

  it('accounts for every signal but a tick: its event id is in an action or in skipped', () => {
    fc.assert(
      fc.property(aBatch, ({ signals, prod, staging }) => {
        const plan = decide(signals, [prod, staging], policy, T0);
        const seen = mentioned(plan);
        expect(signals.filter((s) => s.kind !== 'tick' && !seen.has(s.eventId)).map((s) => `${s.eventId} ${s.kind}`)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('mentions no event that is not in the batch', () => {
    fc.assert(
      fc.property(aBatch, ({ signals, prod, staging }) => {
        const ids = new Set(signals.map((s) => s.eventId));
        expect([...mentioned(decide(signals, [prod, staging], policy, T0))].filter((id) => !ids.has(id))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

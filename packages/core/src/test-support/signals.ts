// Signal builders for decision tests: the values the event parsers emit, built directly so
// decide can be tested without the parsers.
import type { AlarmStateValue } from '../model/cluster-state.js';
import type {
  AlarmSignal,
  CapacityReservationInterruptionSignal,
  FargateSpotInterruptionSignal,
  IgnoredSignal,
  InstanceSignal,
  InstanceSignalKind,
  InstanceStateSignal,
  PlacementFailureSignal,
  RebalanceRecommendationSignal,
  ScheduledChangeSignal,
  SpotInterruptionSignal,
  TickSignal,
} from '../model/signal.js';

export const T0 = '2024-05-01T12:00:00Z';

interface InstanceOptions {
  instance?: string;
  eventId?: string;
  time?: string;
}

type InstanceSignalOf<K extends InstanceSignalKind> = Extract<InstanceSignal, { kind: K }>;
type KindFields<K extends InstanceSignalKind> = Omit<InstanceSignalOf<K>, 'kind' | 'eventId' | 'time' | 'region' | 'account' | 'ec2InstanceId'>;

/** An instance signal of one kind, with the fields of that kind (`extra`). */
export function anInstanceSignal<K extends InstanceSignalKind>(kind: K, options: InstanceOptions, extra: KindFields<K>): InstanceSignalOf<K> {
  return {
    kind,
    eventId: options.eventId ?? `${kind}-1`,
    time: options.time ?? T0,
    region: 'us-east-1',
    account: '123456789012',
    ec2InstanceId: options.instance ?? 'i-0b662ef9931388ba0',
    ...extra,
  } as InstanceSignalOf<K>;
}

export const aSpotSignal = (o: InstanceOptions = {}): SpotInterruptionSignal => anInstanceSignal('spot-interruption', o, { instanceAction: 'terminate' });
export const aCapacityReservationSignal = (o: InstanceOptions = {}): CapacityReservationInterruptionSignal =>
  anInstanceSignal('capacity-reservation-interruption', o, { instanceAction: 'terminate' });
export const aRebalanceSignal = (o: InstanceOptions = {}): RebalanceRecommendationSignal => anInstanceSignal('rebalance-recommendation', o, {});
export const anInstanceStateSignal = (o: InstanceOptions & { state?: string } = {}): InstanceStateSignal =>
  anInstanceSignal('instance-state', o, { state: o.state ?? 'stopping' });
export const aScheduledChangeSignal = (o: InstanceOptions = {}): ScheduledChangeSignal =>
  anInstanceSignal('scheduled-change', o, { eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED' });

export function aFargateSpotSignal(o: { cluster?: string; taskArn?: string; eventId?: string; time?: string } = {}): FargateSpotInterruptionSignal {
  const cluster = o.cluster ?? 'prod';
  return {
    kind: 'fargate-spot-interruption',
    eventId: o.eventId ?? 'fargate-1',
    time: o.time ?? T0,
    cluster,
    taskArn: o.taskArn ?? `arn:aws:ecs:us-east-1:123456789012:task/${cluster}/c13b4cb40f1f4fe4a2971f76ae5a47ad`,
    group: 'service:web',
    capacityProvider: 'FARGATE_SPOT',
    stopCode: 'SpotInterruption',
  };
}

export function aPlacementFailureSignal(
  o: { cluster?: string; service?: string; capacityProviders?: string[]; eventId?: string; time?: string } = {},
): PlacementFailureSignal {
  return {
    kind: 'placement-failure',
    eventId: o.eventId ?? 'placement-1',
    time: o.time ?? T0,
    cluster: o.cluster ?? 'prod',
    service: o.service ?? 'web',
    capacityProviders: o.capacityProviders ?? ['spot-arm64'],
    reason: 'RESOURCE:MEMORY',
  };
}

export function anAlarmSignal(
  o: { alarm?: string; state?: AlarmStateValue; eventId?: string; time?: string; stateTimestamp?: string } = {},
): AlarmSignal {
  const alarm = o.alarm ?? 'prod-spot-interruptions';
  const time = o.time ?? T0;
  return {
    kind: 'alarm',
    eventId: o.eventId ?? `alarm-${o.state ?? 'ALARM'}-1`,
    time,
    alarmName: alarm,
    alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm}`,
    state: o.state ?? 'ALARM',
    stateTimestamp: o.stateTimestamp ?? time,
    alarmKind: 'metric',
  };
}

export function aTickSignal(o: { eventId?: string; time?: string } = {}): TickSignal {
  return { kind: 'tick', eventId: o.eventId ?? 'tick-1', time: o.time ?? T0 };
}

export function anIgnoredSignal(o: { eventId?: string; reason?: string } = {}): IgnoredSignal {
  return {
    kind: 'ignored',
    eventId: o.eventId ?? 'ignored-1',
    time: T0,
    source: 'aws.ec2',
    detailType: 'EC2 Instance State-change Notification',
    reason: o.reason ?? 'instance state running calls for no action',
  };
}

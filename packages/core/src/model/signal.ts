import type { AlarmStateValue } from './cluster-state.js';

/** Every kind of signal the parsers emit; `ignored` is a well-formed event we do not act on. */
export const SignalKind = {
  SpotInterruption: 'spot-interruption',
  CapacityReservationInterruption: 'capacity-reservation-interruption',
  RebalanceRecommendation: 'rebalance-recommendation',
  InstanceState: 'instance-state',
  ScheduledChange: 'scheduled-change',
  FargateSpotInterruption: 'fargate-spot-interruption',
  PlacementFailure: 'placement-failure',
  SpotCapacityShortage: 'spot-capacity-shortage',
  Alarm: 'alarm',
  Tick: 'tick',
  Ignored: 'ignored',
} as const;
export type SignalKind = (typeof SignalKind)[keyof typeof SignalKind];

/** The signal kinds that name an EC2 instance and may call for a drain (the policy's `actions` keys). */
export const InstanceSignalKind = {
  SpotInterruption: SignalKind.SpotInterruption,
  CapacityReservationInterruption: SignalKind.CapacityReservationInterruption,
  InstanceState: SignalKind.InstanceState,
  ScheduledChange: SignalKind.ScheduledChange,
  RebalanceRecommendation: SignalKind.RebalanceRecommendation,
} as const satisfies Record<string, InstanceSignal['kind']>;
export type InstanceSignalKind = InstanceSignal['kind'];

/** Drain reasons, most urgent first: when several signals hit one instance, the first wins. */
export const DRAIN_URGENCY = [
  'spot-interruption',
  'capacity-reservation-interruption',
  'instance-state',
  'scheduled-change',
  'rebalance-recommendation',
] as const satisfies readonly InstanceSignalKind[];
// Every instance kind has its place in DRAIN_URGENCY (a compile error names the one missing).
const _everyKindRanked: Exclude<InstanceSignalKind, (typeof DRAIN_URGENCY)[number]> extends never ? true : never = true;
void _everyKindRanked;

interface SignalBase {
  /** EventBridge event id (or a derived id for payloads that have none). */
  eventId: string;
  /** ISO 8601 time of the event. */
  time: string;
  region?: string;
  account?: string;
}

interface InstanceSignalBase extends SignalBase {
  ec2InstanceId: string;
}

/** EC2 Spot Instance Interruption Warning: the instance is reclaimed in two minutes. */
export interface SpotInterruptionSignal extends InstanceSignalBase {
  kind: typeof SignalKind.SpotInterruption;
  /** detail.instance-action: terminate, stop or hibernate. */
  instanceAction: string;
}

/** EC2 Capacity Reservation Instance Interruption Warning (the same detail as the Spot warning). */
export interface CapacityReservationInterruptionSignal extends InstanceSignalBase {
  kind: typeof SignalKind.CapacityReservationInterruption;
  /** detail.instance-action: terminate, stop or hibernate. */
  instanceAction: string;
}

/** EC2 Instance State-change Notification into a state that ends the instance's tasks. */
export interface InstanceStateSignal extends InstanceSignalBase {
  kind: typeof SignalKind.InstanceState;
  /** detail.state: stopping, stopped, shutting-down or terminated. */
  state: string;
}

/** AWS Health scheduled change for EC2, one signal per affected instance. */
export interface ScheduledChangeSignal extends InstanceSignalBase {
  kind: typeof SignalKind.ScheduledChange;
  /** detail.eventTypeCode, when given (AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED, …). */
  eventTypeCode?: string;
  /** ISO time the change starts, when given: the drain waits until drainBeforeSeconds before it. */
  startTime?: string;
}

/** EC2 Instance Rebalance Recommendation: the instance is at elevated risk of interruption. */
export interface RebalanceRecommendationSignal extends InstanceSignalBase {
  kind: typeof SignalKind.RebalanceRecommendation;
}

/** A signal that names an EC2 instance and may call for a drain: one type per kind. */
export type InstanceSignal =
  | SpotInterruptionSignal
  | CapacityReservationInterruptionSignal
  | InstanceStateSignal
  | ScheduledChangeSignal
  | RebalanceRecommendationSignal;

export interface FargateSpotInterruptionSignal extends SignalBase {
  kind: typeof SignalKind.FargateSpotInterruption;
  cluster: string;
  taskArn: string;
  /** `service:NAME` or `family:NAME` when the event carries it. */
  group?: string;
  capacityProvider?: string;
  stopCode: string;
}

export interface PlacementFailureSignal extends SignalBase {
  kind: typeof SignalKind.PlacementFailure;
  cluster: string;
  service: string;
  /** Capacity provider names (taken from the ARNs in the event). */
  capacityProviders: string[];
  reason?: string;
}

/** EC2 Auto Scaling could not launch Spot capacity for a group (`EC2 Instance Launch Unsuccessful`). */
export interface SpotCapacityShortageSignal extends SignalBase {
  kind: typeof SignalKind.SpotCapacityShortage;
  /** The Auto Scaling group's name (detail.AutoScalingGroupName). */
  autoScalingGroup: string;
  /** detail.StatusMessage, as EC2 Auto Scaling wrote it. */
  statusMessage: string;
  /** The Availability Zone of the failed launch, when the event says. */
  availabilityZone?: string;
}

export const AlarmKind = { Metric: 'metric', MetricMath: 'metric-math', Composite: 'composite' } as const;
export type AlarmKind = (typeof AlarmKind)[keyof typeof AlarmKind];

export interface AlarmSignal extends SignalBase {
  kind: typeof SignalKind.Alarm;
  alarmName: string;
  alarmArn?: string;
  state: AlarmStateValue;
  previousState?: AlarmStateValue;
  /** ISO time of the state change (the state's own timestamp, normalised). */
  stateTimestamp: string;
  alarmKind: AlarmKind;
}

export interface TickSignal extends SignalBase {
  kind: typeof SignalKind.Tick;
}

export interface IgnoredSignal extends SignalBase {
  kind: typeof SignalKind.Ignored;
  source: string;
  detailType: string;
  reason: string;
}

export type Signal =
  | InstanceSignal
  | FargateSpotInterruptionSignal
  | PlacementFailureSignal
  | SpotCapacityShortageSignal
  | AlarmSignal
  | TickSignal
  | IgnoredSignal;

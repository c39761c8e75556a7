// What the core's tests and the other packages' tests build with (`@ecs-rebalancer/core/test-support`), name by name.
export {
  aCluster,
  aClusterPolicy,
  ALARM_OK_SINCE,
  anInstance,
  aPolicy,
  aService,
  aStrategy,
  FALLBACK_ALARM,
  ON_DEMAND,
  someInstances,
  SPOT,
} from './builders.js';
export type { InstanceOverrides } from './builders.js';
export {
  aCapacityReservationWarning,
  aFargateSpotInterruption,
  aHealthScheduledChange,
  aLaunchFailure,
  anAlarmAction,
  anAlarmStateChange,
  anInstanceStateChange,
  aPlacementFailure,
  aRebalanceRecommendation,
  aScheduledEvent,
  aSpotWarning,
  COMPOSITE_CONFIGURATION,
  malformedPath,
  METRIC_MATH_CONFIGURATION,
  NO_SPOT_CAPACITY,
} from './events.js';
export { EVENT_FIXTURES_DIR, eventFixtureNames, loadEvent } from '@ecs-rebalancer/fixtures';
export type { RawEvent } from '@ecs-rebalancer/fixtures';
export {
  aCapacityReservationSignal,
  aFargateSpotSignal,
  anAlarmSignal,
  anIgnoredSignal,
  anInstanceSignal,
  anInstanceStateSignal,
  aPlacementFailureSignal,
  aRebalanceSignal,
  aScheduledChangeSignal,
  aSpotSignal,
  aTickSignal,
  T0,
} from './signals.js';

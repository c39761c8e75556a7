import type { EventParser, EventRegistryEntry } from './envelope.js';
import { alarmStateChange } from './alarm-state-change.js';
import { capacityReservationInterruption, interruptibleCapacityReservationInterruption } from './capacity-reservation-interruption.js';
import { healthScheduledChange } from './health-scheduled-change.js';
import { instanceLaunchUnsuccessful } from './instance-launch-unsuccessful.js';
import { instanceStateChange } from './instance-state-change.js';
import { rebalanceRecommendation } from './rebalance-recommendation.js';
import { scheduledEvent } from './scheduled-event.js';
import { serviceAction } from './service-action.js';
import { spotInterruption } from './spot-interruption.js';
import { taskStateChange } from './task-state-change.js';

/**
 * Every EventBridge event the rebalancer reads, keyed by (source, detail-type). A new event
 * kind is one parser file and one line here. The direct alarm-action payload has no
 * detail-type and is recognised before the registry is consulted (see `parseEvent`).
 */
export const eventRegistry: readonly EventRegistryEntry[] = [
  spotInterruption,
  capacityReservationInterruption,
  interruptibleCapacityReservationInterruption,
  rebalanceRecommendation,
  instanceStateChange,
  healthScheduledChange,
  alarmStateChange,
  taskStateChange,
  serviceAction,
  scheduledEvent,
  instanceLaunchUnsuccessful,
];

const byKey = new Map(eventRegistry.map((e) => [registryKey(e.source, e.detailType), e.parse]));

function registryKey(source: string, detailType: string): string {
  return `${source}\u0000${detailType}`;
}

/**
 * The parser registered for an EventBridge (source, detail-type) pair, or undefined when the
 * rebalancer does not read that kind of event (which is then ignored, not an error).
 */
export function findEventParser(source: string, detailType: string): EventParser | undefined {
  return byKey.get(registryKey(source, detailType));
}

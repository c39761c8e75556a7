// Scheduled Event (the rebalancer's own schedule rule: the tick)
// source `aws.events`, detail-type `Scheduled Event`
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
// Reads nothing beyond the envelope: the detail is `{}` and `time` is the scheduled time.
// On each tick the core restores fallbacks that are due and reports drift.
import type { TickSignal } from '../model/index.js';
import { signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';

/** Reads a Scheduled Event into one `tick` signal at the event's time. */
export function parseScheduledEvent(event: EventEnvelope): TickSignal[] {
  return [{ kind: 'tick', ...signalBase(event) }];
}

export const scheduledEvent = {
  source: 'aws.events',
  detailType: 'Scheduled Event',
  parse: parseScheduledEvent,
} as const satisfies EventRegistryEntry;

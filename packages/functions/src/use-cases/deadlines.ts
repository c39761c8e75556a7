// When an interruption drain must be done by, and how long to wait between its attempts.
// EC2 facts: a Spot Instance interruption warning is emitted two minutes before EC2 acts on
// the instance (the event's `time`; the EventBridge event carries no separate action time),
// and a Capacity Reservation interruption warning gives the same two minutes. A stopping or
// shutting-down instance is going now: its drain is worth as much as the same two minutes
// can still save. Rebalance recommendations and scheduled changes carry no such deadline.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
import type { Signal } from '@ecs-rebalancer/core';

export const INTERRUPTION_NOTICE_MS = 120_000;

const URGENT: ReadonlySet<string> = new Set(['spot-interruption', 'capacity-reservation-interruption', 'instance-state']);

/**
 * The time (ms since the epoch) by which the drains a record asks for must be done, or
 * undefined when none of its signals is an interruption. For a Spot warning whose detail names
 * the action time (`instance-action-time`, as the instance metadata gives it) that time is
 * used; otherwise the warning's time plus two minutes.
 */
export function drainDeadline(signals: readonly Signal[]): number | undefined {
  let deadline: number | undefined;
  for (const signal of signals) {
    if (!URGENT.has(signal.kind)) continue;
    const stated = 'instanceActionTime' in signal && typeof signal.instanceActionTime === 'string' ? Date.parse(signal.instanceActionTime) : Number.NaN;
    const time = Date.parse(signal.time);
    const at = Number.isFinite(stated) ? stated : Number.isFinite(time) ? time + INTERRUPTION_NOTICE_MS : Number.NaN;
    if (Number.isFinite(at)) deadline = deadline === undefined ? at : Math.min(deadline, at);
  }
  return deadline;
}

export const BACKOFF_BASE_MS = 200;
export const BACKOFF_CAP_MS = 3_000;

/** Full-jitter exponential back-off (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export function backoffMs(round: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, round));
  return Math.floor(random() * ceiling);
}

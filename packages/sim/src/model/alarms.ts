import type { AlarmStateValue } from '@ecs-rebalancer/core';

export interface SimAlarm {
  name: string;
  arn: string;
  state: AlarmStateValue;
  reason: string;
  /** Epoch ms of the last state change. */
  updatedAt: number;
}

/** One StateUpdate item as DescribeAlarmHistory reports it. */
export interface AlarmHistoryItem {
  alarmName: string;
  timestamp: number;
  oldState: AlarmStateValue;
  newState: AlarmStateValue;
  oldReason: string;
  newReason: string;
}

/** The simulated CloudWatch alarms with their state history. */
export class AlarmStore {
  readonly alarms = new Map<string, SimAlarm>();
  readonly history: AlarmHistoryItem[] = [];

  constructor(private readonly arnOf: (name: string) => string) {}

  /** Creates an alarm in `state` without a history entry (the simulation's starting state). */
  define(name: string, state: AlarmStateValue, at: number): SimAlarm {
    const alarm: SimAlarm = { name, arn: this.arnOf(name), state, reason: 'initial state', updatedAt: at };
    this.alarms.set(name, alarm);
    return alarm;
  }

  /**
   * Moves an alarm to `state`, creating it when unknown. Returns the history item, or
   * undefined when the state did not change (CloudWatch records and emits transitions only).
   */
  set(name: string, state: AlarmStateValue, at: number, reason: string): { alarm: SimAlarm; item: AlarmHistoryItem; previousAt: number } | undefined {
    const alarm = this.alarms.get(name) ?? this.define(name, 'INSUFFICIENT_DATA', at);
    if (alarm.state === state) return undefined;
    const item: AlarmHistoryItem = {
      alarmName: name,
      timestamp: at,
      oldState: alarm.state,
      newState: state,
      oldReason: alarm.reason,
      newReason: reason,
    };
    const previousAt = alarm.updatedAt;
    alarm.state = state;
    alarm.reason = reason;
    alarm.updatedAt = at;
    this.history.push(item);
    return { alarm, item, previousAt };
  }
}

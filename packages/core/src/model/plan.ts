import type { Strategy } from './strategy.js';
import type { InstanceSignalKind } from './signal.js';

export interface DrainAction {
  type: 'drain';
  cluster: string;
  /** Container instance ARNs; adapters chunk them by 10 per UpdateContainerInstancesState. */
  containerInstances: string[];
  /** The EC2 instance ids, in the same order, for logs and decision events. */
  ec2InstanceIds: string[];
  reason: InstanceSignalKind;
  eventIds: string[];
}

export const StrategyChange = { Fallback: 'fallback', Restore: 'restore' } as const;
export type StrategyChange = (typeof StrategyChange)[keyof typeof StrategyChange];

export interface SetStrategyAction {
  type: 'set-strategy';
  cluster: string;
  service: string;
  strategy: Strategy;
  /** The baseline the adapters must keep on the service: the strategy to restore, or null to clear it. */
  baseline: Strategy | null;
  /** When the fallback began (kept with the baseline), null for a restore. */
  fallbackSince: string | null;
  change: StrategyChange;
  reason: string;
  eventIds: string[];
}

/**
 * The service already runs its baseline: only the rebalancer's record (baseline,
 * fallbackSince, applied) is removed, with no UpdateService (which would redeploy every task
 * for nothing). Emitted when a restore is due for a service whose strategy is its baseline
 * already: the restore's UpdateService landed but clearing the record did not, or someone
 * put the baseline back by hand.
 */
export interface ClearRecordAction {
  type: 'clear-record';
  cluster: string;
  service: string;
  reason: string;
  eventIds: string[];
}

/** A count to publish as a metric (interruptions per cluster feed the fallback alarm). */
export interface MetricAction {
  type: 'metric';
  name: 'SpotInterruptions' | 'FargateSpotInterruptions' | 'CapacityReservationInterruptions';
  cluster: string;
  value: number;
  eventIds: string[];
}

export type PlanAction = DrainAction | SetStrategyAction | ClearRecordAction | MetricAction;

export interface Skip {
  eventId: string;
  reason: string;
}

export interface Drift {
  cluster: string;
  service: string;
  expected: Strategy;
  actual: Strategy;
}

/**
 * A drain the plan does not make now but that must still happen, so its event must come back:
 * a scheduled change not yet within `drainBeforeSeconds` of its start (`until` is when it is
 * due), or a discretionary drain the guardrail deferred (`until` null: as soon as another
 * drain ends; try again within minutes). The same event decided again then is drained, or
 * skipped as moot (the instance is gone or DRAINING already). Each is also in `skipped`.
 */
export interface DeferredDrain {
  eventId: string;
  cluster: string;
  ec2InstanceId: string;
  kind: InstanceSignalKind;
  /** ISO time from which the drain is due, or null when only the guardrail holds it back. */
  until: string | null;
}

export interface Plan {
  actions: PlanAction[];
  skipped: Skip[];
  warnings: string[];
  /** Managed services whose strategy no longer matches what the rebalancer set (tick only). */
  drift: Drift[];
  /** Drains to try again later (see DeferredDrain); their events are in `skipped` too. */
  deferred?: DeferredDrain[];
}

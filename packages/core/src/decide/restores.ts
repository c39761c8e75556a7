import type { AlarmStateValue, ServiceState } from '../model/cluster-state.js';
import type { ClearRecordAction, SetStrategyAction } from '../model/plan.js';
import type { AlarmSignal } from '../model/signal.js';
import { DEFAULT_FALLBACK_MIN_SECONDS } from '../policy/schema.js';
import { restoreStrategy } from '../strategy/restore.js';
import { sameStrategy, strategyProblems } from '../strategy/validate.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { compareStrings, emptyDecision, uniqueSorted } from './context.js';
import { controllerProblem } from './service-checks.js';

/** Every event of a batch that asks one cluster to look at its restores. */
export interface RestoreTrigger {
  cluster: ManagedCluster;
  /** Every event that asked this cluster to look at its restores. */
  eventIds: Set<string>;
  /** The alarm OK events among them, by event id with the alarm's name: the operator is told why those did not restore. */
  alarmEvents: Map<string, string>;
}

/** Whether a service's restore is due now, and why not when it is not. */
export type RestoreVerdict = { due: true } | { due: false; reason: string };

/**
 * Decides which fallbacks end. A cluster is looked at when an OK alarm signal is about one of
 * its `fallback.alarms`, and on every tick (which looks at every managed cluster).
 *
 * | condition (managed service holding a baseline) | outcome |
 * |---|---|
 * | fewer than `minSeconds` since `fallbackSince` | nothing; on an alarm OK signal, skipped `restore of web not due until <ISO>` |
 * | a fallback alarm is ALARM, INSUFFICIENT_DATA or unknown | nothing; on an alarm OK signal, skipped naming the alarms |
 * | the batch's latest signal about a fallback alarm predates `fallbackSince` | that signal is not used: the alarm's state is the one the loader read |
 * | CODE_DEPLOY or EXTERNAL controller | skipped |
 * | current strategy already equals the baseline | `clear-record`: the record goes, no UpdateService |
 * | baseline not valid for the cluster any more | skipped with ECS's problems |
 * | otherwise | `set-strategy` (change `restore`) to exactly the baseline, baseline and fallbackSince null |
 * | alarm OK signal, and no managed service of the cluster holds a baseline | skipped `alarm X is OK: no service of prod is in fallback` |
 *
 * A recorded fallback that did not land (isFallbackPending) is completed by
 * decidePendingFallbacks when its restore is not due, never here. An alarm's state comes from
 * the latest alarm signal of the batch about it, else from the state the loader read; but a
 * signal whose `stateTimestamp` is earlier than the service's `fallbackSince` is stale for
 * that service (SQS may redeliver an old OK after a newer fallback began) and the loaded state
 * decides instead. With no fallback alarms (a placement-failure fallback) the restore is due
 * after `minSeconds` alone. A missing or unreadable `fallbackSince` counts as long past, so a
 * damaged record cannot pin a service to on-demand; a cluster whose policy lost its
 * `fallback` restores after the default minSeconds.
 */
export function decideRestores(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  for (const trigger of restoreTriggers(ctx)) {
    const inFallback = trigger.cluster.services.filter((s) => s.baseline !== null);
    if (inFallback.length === 0) {
      for (const [eventId, alarm] of sortedAlarmEvents(trigger)) {
        decision.skipped.push({ eventId, reason: `alarm ${alarm} is OK: no service of ${trigger.cluster.name} is in fallback` });
      }
      continue;
    }
    for (const service of inFallback) {
      if (service.baseline === null) continue;
      restoreFor(ctx, trigger, service, service.baseline, decision);
    }
  }
  return decision;
}

/** The clusters a batch asks to look at their restores (ticks and OK signals on fallback alarms), sorted by cluster. */
export function restoreTriggers(ctx: DecideContext): RestoreTrigger[] {
  const triggers = new Map<string, RestoreTrigger>();
  const add = (cluster: ManagedCluster, eventId: string, alarm?: string): void => {
    const entry = triggers.get(cluster.name) ?? { cluster, eventIds: new Set(), alarmEvents: new Map() };
    entry.eventIds.add(eventId);
    if (alarm !== undefined) entry.alarmEvents.set(eventId, alarm);
    triggers.set(cluster.name, entry);
  };
  for (const signal of ctx.signals) {
    if (signal.kind === 'tick') {
      for (const cluster of ctx.clusters) add(cluster, signal.eventId);
    } else if (signal.kind === 'alarm' && signal.state === 'OK') {
      for (const cluster of ctx.clusters) if (cluster.policy.fallback?.alarms.includes(signal.alarmName)) add(cluster, signal.eventId, signal.alarmName);
    }
  }
  // ctx.clusters is sorted, and so is this.
  return ctx.clusters.flatMap((c) => triggers.get(c.name) ?? []);
}

/**
 * Whether the restore of a service holding a baseline is due: `minSeconds` have passed since
 * `fallbackSince` and every fallback alarm is OK, each alarm's state taken from the batch's
 * latest signal about it unless that signal predates `fallbackSince`, else from the loaded
 * state. When it is not due, the reason names the time it will be or the blocking alarms.
 */
export function restoreVerdict(ctx: DecideContext, cluster: ManagedCluster, service: ServiceState): RestoreVerdict {
  const alarms = cluster.policy.fallback?.alarms ?? [];
  const minSeconds = cluster.policy.fallback?.minSeconds ?? DEFAULT_FALLBACK_MIN_SECONDS;
  const sinceMs = service.fallbackSince === null ? Number.NaN : Date.parse(service.fallbackSince);
  if (!Number.isNaN(sinceMs) && ctx.nowMs < sinceMs + minSeconds * 1000) {
    return { due: false, reason: `restore of ${service.name} not due until ${new Date(sinceMs + minSeconds * 1000).toISOString()}` };
  }
  const blocking = alarms.map((alarm) => ({ alarm, ...restoreAlarmState(ctx, cluster, alarm, sinceMs) })).filter((a) => a.state !== 'OK');
  if (blocking.length > 0) {
    const why = blocking.map((b) => `alarm ${b.alarm} is ${b.state ?? 'unknown'}${b.stale ? ` (its ${b.stale.state} signal of ${b.stale.stateTimestamp} predates the fallback)` : ''}`);
    return { due: false, reason: `restore of ${service.name} blocked: ${why.join(', ')}` };
  }
  return { due: true };
}

// An alarm signal older than the fallback may be a redelivery from before it began: the state
// it reports may already have been superseded by the state that caused the fallback.
function restoreAlarmState(ctx: DecideContext, cluster: ManagedCluster, alarm: string, sinceMs: number): { state: AlarmStateValue | undefined; stale?: AlarmSignal } {
  const latest = ctx.latestAlarms.get(alarm);
  const loaded = cluster.state.alarms[alarm];
  if (!latest) return { state: loaded };
  const at = Date.parse(latest.stateTimestamp);
  if (!Number.isNaN(sinceMs) && !Number.isNaN(at) && at < sinceMs) return { state: loaded, stale: latest };
  return { state: latest.state };
}

function sortedAlarmEvents(trigger: RestoreTrigger): [string, string][] {
  return [...trigger.alarmEvents.entries()].sort(([a], [b]) => compareStrings(a, b));
}

function restoreFor(ctx: DecideContext, trigger: RestoreTrigger, service: ServiceState, baseline: NonNullable<ServiceState['baseline']>, decision: Decision): void {
  const { cluster } = trigger;
  const alarms = cluster.policy.fallback?.alarms ?? [];
  const minSeconds = cluster.policy.fallback?.minSeconds ?? DEFAULT_FALLBACK_MIN_SECONDS;
  const verdict = restoreVerdict(ctx, cluster, service);
  if (!verdict.due) {
    for (const eventId of uniqueSorted(trigger.alarmEvents.keys())) decision.skipped.push({ eventId, reason: verdict.reason });
    return;
  }
  const refused = controllerProblem(service);
  if (refused) return void decision.skipped.push(...uniqueSorted(trigger.eventIds).map((eventId) => ({ eventId, reason: refused })));

  const strategy = restoreStrategy(service.strategy, baseline);
  if (sameStrategy(strategy, service.strategy)) {
    // An UpdateService would redeploy every task for nothing: only the record goes.
    const clear: ClearRecordAction = {
      type: 'clear-record',
      cluster: cluster.name,
      service: service.name,
      reason: `${restoreReason(service.fallbackSince, minSeconds, alarms)}; ${service.name} already runs its baseline`,
      eventIds: uniqueSorted(trigger.eventIds),
    };
    decision.actions.push(clear);
    return;
  }
  const problems = strategyProblems(strategy, cluster.state.capacityProviders);
  if (problems.length > 0) {
    const reason = `restore of ${service.name} in ${cluster.name} is not valid for ECS: ${problems.join('; ')}`;
    return void decision.skipped.push(...uniqueSorted(trigger.eventIds).map((eventId) => ({ eventId, reason })));
  }
  const action: SetStrategyAction = {
    type: 'set-strategy',
    cluster: cluster.name,
    service: service.name,
    strategy,
    baseline: null,
    fallbackSince: null,
    change: 'restore',
    reason: restoreReason(service.fallbackSince, minSeconds, alarms),
    eventIds: uniqueSorted(trigger.eventIds),
  };
  decision.actions.push(action);
}

function restoreReason(since: string | null, minSeconds: number, alarms: readonly string[]): string {
  const time = since === null ? 'restore: fallback has no start time' : `restore: ${minSeconds}s passed since fallback at ${since}`;
  return alarms.length === 0 ? time : `${time}; ${alarms.length === 1 ? 'alarm' : 'alarms'} ${alarms.join(', ')} OK`;
}

import type { AlarmStateValue, ServiceState } from '../model/cluster-state.js';
import type { ClearRecordAction, SetStrategyAction } from '../model/plan.js';
import type { AlarmSignal } from '../model/signal.js';
import { DEFAULT_FALLBACK_MIN_SECONDS, DEFAULT_FALLBACK_OK_SECONDS, DEFAULT_RESTORE_AT_ONCE } from '../policy/schema.js';
import { restoreStrategy } from '../strategy/restore.js';
import { sameStrategy, strategyProblems } from '../strategy/validate.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { compareStrings, emptyDecision, ownValue, timeMs, uniqueSorted } from './context.js';
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
 * | record in phase `restoring` and the strategy is the baseline | `clear-record`: the restore landed, only its record is left |
 * | fewer than `minSeconds` (doubled per entry of `recentFallbacks` in the last hour, at most 8×) since `fallbackSince` | nothing; on an alarm OK signal, skipped `restore of web not due until <ISO>` |
 * | a fallback alarm is ALARM, INSUFFICIENT_DATA or unknown | nothing; on an alarm OK signal, skipped naming the alarms |
 * | a fallback alarm OK for less than `okSeconds`, or since when unknown | nothing; on an alarm OK signal, skipped saying since when it is OK |
 * | the batch's latest signal about a fallback alarm predates `fallbackSince` | that signal is not used: the alarm's state is the one the loader read |
 * | CODE_DEPLOY or EXTERNAL controller | skipped |
 * | current strategy already equals the baseline | `clear-record`: the record goes, no UpdateService |
 * | baseline not valid for the cluster any more | skipped with ECS's problems |
 * | otherwise | `set-strategy` (change `restore`) to exactly the baseline, baseline and fallbackSince null |
 * | more than `restoreAtOnce` restores due in one cluster | the longest in fallback first (earliest `fallbackSince`, then name); the rest skipped, still due |
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
    const part = emptyDecision();
    for (const service of inFallback) {
      if (service.baseline === null) continue;
      restoreFor(ctx, trigger, service, service.baseline, part);
    }
    decision.skipped.push(...part.skipped);
    decision.actions.push(...pace(trigger, part.actions, decision));
  }
  return decision;
}

// Every restore redeploys a whole service: at most restoreAtOnce of them per cluster and
// plan, the longest in fallback first; the others stay due for the next tick.
function pace(trigger: RestoreTrigger, actions: Decision['actions'], decision: Decision): Decision['actions'] {
  const { cluster } = trigger;
  const max = cluster.policy.fallback?.restoreAtOnce ?? DEFAULT_RESTORE_AT_ONCE;
  const since = (name: string): number => {
    const ms = timeMs(cluster.services.find((s) => s.name === name)?.fallbackSince);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  const restores = actions
    .filter((a): a is SetStrategyAction => a.type === 'set-strategy')
    .sort((a, b) => since(a.service) - since(b.service) || compareStrings(a.service, b.service));
  const held = new Set(restores.slice(max));
  for (const action of held) {
    const reason = `restore of ${action.service} in ${cluster.name} held back: restoreAtOnce ${max} restores in ${cluster.name} already in this plan; it stays due`;
    for (const eventId of action.eventIds) decision.skipped.push({ eventId, reason });
  }
  return actions.filter((a) => !held.has(a as SetStrategyAction));
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
 * The `minSeconds` that applies to a service's fallback: the policy's, doubled for each
 * fallback of the service in the hour before now (`recentFallbacks`, the current one not
 * counted), at most 8 times the policy's, so a flapping alarm cannot redeploy it every few
 * minutes.
 */
function effectiveMinSeconds(ctx: DecideContext, cluster: ManagedCluster, service: ServiceState): number {
  const minSeconds = cluster.policy.fallback?.minSeconds ?? DEFAULT_FALLBACK_MIN_SECONDS;
  const current = timeMs(service.fallbackSince);
  const recent = (service.recentFallbacks ?? []).filter((at) => {
    const ms = timeMs(at);
    return ms !== current && ms <= ctx.nowMs && ctx.nowMs - ms <= 3600_000;
  }).length;
  return minSeconds * Math.min(8, 2 ** recent);
}

/**
 * Whether the restore of a service holding a baseline is due: its effective `minSeconds`
 * have passed since `fallbackSince` and every fallback alarm is OK, and has been for
 * `okSeconds`; each alarm's state taken from the batch's latest signal about it unless that
 * signal predates `fallbackSince`, else from the loaded state. When it is not due, the reason
 * names the time it will be or the blocking alarms.
 */
export function restoreVerdict(ctx: DecideContext, cluster: ManagedCluster, service: ServiceState): RestoreVerdict {
  const alarms = cluster.policy.fallback?.alarms ?? [];
  const minSeconds = effectiveMinSeconds(ctx, cluster, service);
  const okSeconds = cluster.policy.fallback?.okSeconds ?? DEFAULT_FALLBACK_OK_SECONDS;
  const sinceMs = timeMs(service.fallbackSince);
  if (!Number.isNaN(sinceMs) && ctx.nowMs < sinceMs + minSeconds * 1000) {
    return { due: false, reason: `restore of ${service.name} not due until ${new Date(sinceMs + minSeconds * 1000).toISOString()} (minSeconds ${minSeconds})` };
  }
  const states = alarms.map((alarm) => ({ alarm, ...restoreAlarmState(ctx, cluster, alarm, sinceMs) }));
  const blocking = states.filter((a) => a.state !== 'OK');
  if (blocking.length > 0) {
    const why = blocking.map((b) => `alarm ${b.alarm} is ${b.state ?? 'unknown'}${b.stale ? ` (its ${b.stale.state} signal of ${b.stale.stateTimestamp} predates the fallback)` : ''}`);
    return { due: false, reason: `restore of ${service.name} blocked: ${why.join(', ')}` };
  }
  if (okSeconds > 0) {
    const young = states.filter((a) => Number.isNaN(a.okSinceMs) || ctx.nowMs - a.okSinceMs < okSeconds * 1000);
    if (young.length > 0) {
      const why = young.map((a) => (Number.isNaN(a.okSinceMs) ? `alarm ${a.alarm} is OK since an unknown time` : `alarm ${a.alarm} is OK since ${new Date(a.okSinceMs).toISOString()}`));
      return { due: false, reason: `restore of ${service.name} waits until every fallback alarm has been OK for okSeconds ${okSeconds}: ${why.join(', ')}` };
    }
  }
  return { due: true };
}

// An alarm signal older than the fallback may be a redelivery from before it began: the state
// it reports may already have been superseded by the state that caused the fallback.
function restoreAlarmState(
  ctx: DecideContext,
  cluster: ManagedCluster,
  alarm: string,
  sinceMs: number,
): { state: AlarmStateValue | undefined; okSinceMs: number; stale?: AlarmSignal } {
  const latest = ctx.latestAlarms.get(alarm);
  const loaded = ownValue(cluster.state.alarms, alarm);
  const loadedSince = timeMs(ownValue(cluster.state.alarmsChangedAt ?? {}, alarm));
  if (!latest) return { state: loaded, okSinceMs: loadedSince };
  const at = timeMs(latest.stateTimestamp);
  if (!Number.isNaN(sinceMs) && !Number.isNaN(at) && at < sinceMs) return { state: loaded, okSinceMs: loadedSince, stale: latest };
  return { state: latest.state, okSinceMs: at };
}

function sortedAlarmEvents(trigger: RestoreTrigger): [string, string][] {
  return [...trigger.alarmEvents.entries()].sort(([a], [b]) => compareStrings(a, b));
}

function restoreFor(ctx: DecideContext, trigger: RestoreTrigger, service: ServiceState, baseline: NonNullable<ServiceState['baseline']>, decision: Decision): void {
  const { cluster } = trigger;
  if (service.fallbackPhase === 'restoring' && sameStrategy(service.strategy, baseline)) {
    // The restore's UpdateService landed and clearing the record did not: finish the restore.
    decision.actions.push({
      type: 'clear-record',
      cluster: cluster.name,
      service: service.name,
      reason: `restore of ${service.name} landed (record in phase restoring, strategy is the baseline): clearing the record`,
      eventIds: uniqueSorted(trigger.eventIds),
    });
    return;
  }
  const verdict = restoreVerdict(ctx, cluster, service);
  if (!verdict.due) {
    for (const eventId of uniqueSorted(trigger.alarmEvents.keys())) decision.skipped.push({ eventId, reason: verdict.reason });
    return;
  }
  const refused = controllerProblem(service);
  if (refused) return void decision.skipped.push(...uniqueSorted(trigger.eventIds).map((eventId) => ({ eventId, reason: refused })));

  // Only the reasons below need these; computed once the restore is known to be due.
  const alarms = cluster.policy.fallback?.alarms ?? [];
  const minSeconds = effectiveMinSeconds(ctx, cluster, service);
  const strategy = restoreStrategy(baseline);
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

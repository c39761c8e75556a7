import type { ServiceState } from '../model/cluster-state.js';
import type { ClearRecordAction, SetStrategyAction } from '../model/plan.js';
import { DEFAULT_FALLBACK_MIN_SECONDS } from '../policy/schema.js';
import { restoreStrategy } from '../strategy/restore.js';
import { sameStrategy, strategyProblems } from '../strategy/validate.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { alarmState, emptyDecision, uniqueSorted } from './context.js';
import { completeFallback, isFallbackPending } from './fallbacks.js';
import { controllerProblem } from './service-checks.js';

interface RestoreTrigger {
  cluster: ManagedCluster;
  /** Every event that asked this cluster to look at its restores. */
  eventIds: Set<string>;
  /** The alarm OK events among them: the operator is told why those did not restore. */
  alarmEventIds: Set<string>;
}

/**
 * Decides which fallbacks end. A cluster is looked at when an OK alarm signal is about one of
 * its `fallback.alarms`, and on every tick (which looks at every managed cluster).
 *
 * | condition (managed service holding a baseline) | outcome |
 * |---|---|
 * | fewer than `minSeconds` since `fallbackSince` | nothing; on an alarm OK signal, skipped `restore of web not due until <ISO>` |
 * | a fallback alarm is ALARM, INSUFFICIENT_DATA or unknown | nothing; on an alarm OK signal, skipped naming the alarms |
 * | CODE_DEPLOY or EXTERNAL controller | skipped |
 * | not due (either row above) and the recorded fallback did not land (strategy still the baseline) | `set-strategy` completing the fallback, `fallbackSince` kept |
 * | current strategy already equals the baseline | `clear-record`: the record goes, no UpdateService |
 * | baseline not valid for the cluster any more | skipped with ECS's problems |
 * | otherwise | `set-strategy` (change `restore`) to exactly the baseline, baseline and fallbackSince null |
 *
 * An alarm's state comes from the latest alarm signal of the batch about it, else from the
 * state the loader read. With no fallback alarms (a placement-failure fallback) the restore is
 * due after `minSeconds` alone. A missing or unreadable `fallbackSince` counts as long past,
 * so a damaged record cannot pin a service to on-demand; a cluster whose policy lost its
 * `fallback` restores after the default minSeconds.
 */
export function decideRestores(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  for (const trigger of restoreTriggers(ctx)) {
    for (const service of trigger.cluster.services) {
      if (service.baseline === null) continue;
      restoreFor(ctx, trigger, service, service.baseline, decision);
    }
  }
  return decision;
}

function restoreTriggers(ctx: DecideContext): RestoreTrigger[] {
  const triggers = new Map<string, RestoreTrigger>();
  const add = (cluster: ManagedCluster, eventId: string, fromAlarm: boolean): void => {
    const entry = triggers.get(cluster.name) ?? { cluster, eventIds: new Set(), alarmEventIds: new Set() };
    entry.eventIds.add(eventId);
    if (fromAlarm) entry.alarmEventIds.add(eventId);
    triggers.set(cluster.name, entry);
  };
  for (const signal of ctx.signals) {
    if (signal.kind === 'tick') {
      for (const cluster of ctx.clusters) add(cluster, signal.eventId, false);
    } else if (signal.kind === 'alarm' && signal.state === 'OK') {
      for (const cluster of ctx.clusters) if (cluster.policy.fallback?.alarms.includes(signal.alarmName)) add(cluster, signal.eventId, true);
    }
  }
  // ctx.clusters is sorted, and so is this.
  return ctx.clusters.flatMap((c) => triggers.get(c.name) ?? []);
}

function restoreFor(ctx: DecideContext, trigger: RestoreTrigger, service: ServiceState, baseline: NonNullable<ServiceState['baseline']>, decision: Decision): void {
  const { cluster } = trigger;
  const notDue = (reason: string): void => {
    for (const eventId of uniqueSorted(trigger.alarmEventIds)) decision.skipped.push({ eventId, reason });
    // Not due means the fallback is meant to be in force: complete one that did not land.
    if (isFallbackPending(service)) {
      const completed = completeFallback(ctx, cluster, service, `fallback: the recorded fallback of ${service.name} did not land (${reason})`, uniqueSorted(trigger.eventIds));
      if (typeof completed === 'string') decision.skipped.push(...uniqueSorted(trigger.eventIds).map((eventId) => ({ eventId, reason: completed })));
      else decision.actions.push(completed);
    }
  };

  const alarms = cluster.policy.fallback?.alarms ?? [];
  const minSeconds = cluster.policy.fallback?.minSeconds ?? DEFAULT_FALLBACK_MIN_SECONDS;
  const sinceMs = service.fallbackSince === null ? Number.NaN : Date.parse(service.fallbackSince);
  if (!Number.isNaN(sinceMs) && ctx.nowMs < sinceMs + minSeconds * 1000) {
    return notDue(`restore of ${service.name} not due until ${new Date(sinceMs + minSeconds * 1000).toISOString()}`);
  }
  const blocking = alarms.map((a) => ({ alarm: a, state: alarmState(ctx, cluster, a) })).filter((a) => a.state !== 'OK');
  if (blocking.length > 0) {
    return notDue(`restore of ${service.name} blocked: ${blocking.map((b) => `alarm ${b.alarm} is ${b.state ?? 'unknown'}`).join(', ')}`);
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

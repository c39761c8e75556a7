import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { emptyDecision, ownValue, uniqueSorted } from './context.js';
import { completeFallback, fallbackTriggers, isFallbackPending } from './fallbacks.js';
import type { RestoreTrigger } from './restores.js';
import { restoreTriggers, restoreVerdict } from './restores.js';

/**
 * Completes the fallbacks whose record was kept but whose strategy change did not land
 * (isFallbackPending: the adapters write the record first, the strategy second); the only
 * place that does, so a batch that both asks the service to fall back and looks at its
 * restore changes it once.
 *
 * | condition (managed service whose recorded fallback did not land) | outcome |
 * |---|---|
 * | no signal of the batch asks it to fall back or looks at its cluster's restores | nothing |
 * | its restore is due (restoreVerdict) and a tick or OK signal looks at the cluster | nothing here: decideRestores clears the record; the fallback signals are skipped |
 * | a fallback signal asks it to fall back (restore not due, or no tick/OK in the batch) | `set-strategy` (change `fallback`) from the recorded baseline, `fallbackSince` kept, with every event that looked at it |
 * | only a tick looks, restore not due, and a fallback alarm is ALARM now (or the cluster has no fallback alarms) | completed likewise |
 * | only a tick looks, restore not due, every fallback alarm OK or unknown | nothing: the record is cleared when the restore is due, no two deployments for nothing |
 * | only OK signals look, restore not due | the OK signals are skipped: an OK never completes a fallback |
 * | the completed fallback would be refused (controller, target, ECS rules) | skipped with the reason, for every such event |
 *
 * The fallback signals are the ALARM, placement-failure and spot-capacity-shortage signals
 * that fallbackTriggers turns into a trigger for the service; the restore signals are the
 * ticks and fallback-alarm OK signals of restoreTriggers.
 */
export function decidePendingFallbacks(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const fallbacks = new Map(fallbackTriggers(ctx).triggers.map((t) => [`${t.cluster.name}\u0000${t.service.name}`, t]));
  const restores = new Map(restoreTriggers(ctx).map((t) => [t.cluster.name, t]));

  for (const cluster of ctx.clusters) {
    for (const service of cluster.services.filter(isFallbackPending)) {
      const asked = fallbacks.get(`${cluster.name}\u0000${service.name}`);
      const looked = restores.get(cluster.name);
      if (!asked && !looked) continue;
      const verdict = restoreVerdict(ctx, cluster, service);
      if (verdict.due && looked) {
        const reason = `fallback of ${service.name} in ${cluster.name} not completed: its restore is due, so the recorded fallback is cleared instead`;
        for (const eventId of uniqueSorted(asked?.eventIds ?? [])) decision.skipped.push({ eventId, reason });
        continue;
      }
      if (!asked && looked && !tickCompletes(ctx, cluster, looked)) {
        const reason = `the recorded fallback of ${service.name} in ${cluster.name} did not land and is not completed: no fallback alarm is ALARM (${verdict.due ? 'restore due' : verdict.reason})`;
        for (const eventId of uniqueSorted(looked.alarmEvents.keys())) decision.skipped.push({ eventId, reason });
        continue;
      }
      const eventIds = uniqueSorted([...(asked?.eventIds ?? []), ...(looked?.eventIds ?? [])]);
      const landed = `completing the fallback recorded at ${service.fallbackSince ?? 'an unknown time'}, which did not land`;
      const reason = asked
        ? `${asked.reasons.join('; ')} (${landed})`
        : `fallback: the recorded fallback of ${service.name} did not land (${verdict.due ? 'restore due' : verdict.reason})`;
      const completed = completeFallback(ctx, cluster, service, reason, eventIds);
      for (const why of completed.refused) for (const eventId of eventIds) decision.skipped.push({ eventId, reason: why });
      decision.warnings.push(...completed.warnings);
      if (completed.action) decision.actions.push(completed.action);
    }
  }
  return decision;
}

// A tick completes a pending fallback only while its cause may still hold: a fallback alarm is
// ALARM now (the batch's latest signal about it, else the state read), or the cluster has no
// fallback alarms (a placement-failure or shortage fallback, whose cause no alarm tells). An
// OK signal alone never does.
function tickCompletes(ctx: DecideContext, cluster: ManagedCluster, looked: RestoreTrigger): boolean {
  if (looked.eventIds.size === looked.alarmEvents.size) return false;
  const alarms = cluster.policy.fallback?.alarms ?? [];
  if (alarms.length === 0) return true;
  return alarms.some((alarm) => (ctx.latestAlarms.get(alarm)?.state ?? ownValue(cluster.state.alarms, alarm)) === 'ALARM');
}

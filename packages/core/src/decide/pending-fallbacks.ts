import type { DecideContext, Decision } from './context.js';
import { emptyDecision, uniqueSorted } from './context.js';
import { completeFallback, fallbackTriggers, isFallbackPending } from './fallbacks.js';
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
 * | otherwise (restore not due, or due but only fallback signals in the batch) | `set-strategy` (change `fallback`) from the recorded baseline, `fallbackSince` kept, with every event that looked at it |
 * | the completed fallback would be refused (controller, target, ECS rules) | skipped with the reason, for every such event |
 *
 * The fallback signals are the ALARM and placement-failure signals that fallbackTriggers
 * turns into a trigger for the service; the restore signals are the ticks and fallback-alarm
 * OK signals of restoreTriggers.
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
      const eventIds = uniqueSorted([...(asked?.eventIds ?? []), ...(looked?.eventIds ?? [])]);
      const landed = `completing the fallback recorded at ${service.fallbackSince ?? 'an unknown time'}, which did not land`;
      const reason = asked
        ? `${asked.reasons.join('; ')} (${landed})`
        : `fallback: the recorded fallback of ${service.name} did not land (${verdict.due ? 'restore due' : verdict.reason})`;
      const completed = completeFallback(ctx, cluster, service, reason, eventIds);
      if (typeof completed === 'string') for (const eventId of eventIds) decision.skipped.push({ eventId, reason: completed });
      else decision.actions.push(completed);
    }
  }
  return decision;
}
